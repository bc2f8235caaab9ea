import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/** What the Codex process that started this server was told on its command line. */
export interface ParentCodex {
  pid: number;
  /** The parent's executable (the codex binary), when it is one. */
  executable: string | null;
  args: string[];
  /** `--disable hooks`, `-c features.hooks=false` (or `codex_hooks`): hooks are off for this session. */
  hooksDisabled: boolean;
  /** `--dangerously-bypass-hook-trust`: untrusted and modified hooks run anyway in this session. */
  bypassHookTrust: boolean;
}

const HOOK_FEATURES = new Set(['hooks', 'codex_hooks']);

function disablesHooks(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg === '--disable' && next !== undefined && HOOK_FEATURES.has(next)) return true;
    if (arg.startsWith('--disable=') && HOOK_FEATURES.has(arg.slice('--disable='.length))) return true;
    const override = arg === '-c' || arg === '--config' ? next : arg.startsWith('--config=') ? arg.slice('--config='.length) : undefined;
    if (override !== undefined) {
      const m = /^\s*features\.(hooks|codex_hooks)\s*=\s*"?false"?\s*$/.exec(override);
      if (m) return true;
    }
  }
  return false;
}

/**
 * Reads the parent process's command line (Linux `/proc/<ppid>/cmdline`), to catch a session started
 * with hooks turned off on the command line, which neither config.toml nor a separate app-server can
 * see. Returns null where /proc is unavailable or the parent is not codex.
 */
export function parentCodex(ppid: number = process.ppid, proc = '/proc'): ParentCodex | null {
  let raw: string;
  try {
    raw = readFileSync(`${proc}/${ppid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
  const args = raw.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  let executable: string | null = null;
  try {
    executable = readlinkSync(`${proc}/${ppid}/exe`);
  } catch {
    executable = null;
  }
  const looksLikeCodex = (p: string | null | undefined): boolean => p !== null && p !== undefined && /^codex(\.js|\.exe)?$/.test(basename(p));
  if (!looksLikeCodex(executable) && !looksLikeCodex(args[0]) && !looksLikeCodex(args[1])) return null;
  return {
    pid: ppid,
    executable: looksLikeCodex(executable) ? executable : null,
    args: args.slice(1),
    hooksDisabled: disablesHooks(args),
    bypassHookTrust: args.includes('--dangerously-bypass-hook-trust'),
  };
}
