import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { CodexCtlError } from './errors.js';
import { killGroup } from './runCodex.js';

const HooksFile = z.looseObject({
  hooks: z.record(
    z.string(),
    z.array(
      z.looseObject({
        matcher: z.optional(z.nullable(z.string())),
        hooks: z.array(
          z.looseObject({ type: z.string(), command: z.optional(z.string()), timeout: z.optional(z.number()) }),
        ),
      }),
    ),
  ),
});

/** One command hook of an installed plugin, ready to run. */
export interface InstalledHookCommand {
  event: string;
  matcher: string;
  /** The command with `${PLUGIN_ROOT}` substituted, as Codex runs it (through the shell). */
  command: string;
  /** Seconds (Codex's default is 600). */
  timeoutSec: number;
}

/**
 * Does `matcher` select `toolName`, as Codex matches: `""`/`"*"` match all; names of `[A-Za-z0-9_|]`
 * match exactly; anything else is a regex (here a JavaScript one: close enough for the checks we run).
 */
export function matcherSelects(matcher: string, toolName: string): boolean {
  if (matcher === '' || matcher === '*') return true;
  if (/^[A-Za-z0-9_|]+$/.test(matcher)) return matcher.split('|').includes(toolName);
  try {
    return new RegExp(matcher).test(toolName);
  } catch {
    return false; // Codex drops a group with an invalid regex
  }
}

/**
 * The command hooks for `event` (PascalCase, e.g. `PreToolUse`) in an installed plugin directory
 * whose matcher selects `toolName`. The hooks file is the manifest's `hooks` entry
 * (`.codex-plugin/plugin.json`), default `hooks/hooks.json`. Throws `config_invalid` when unreadable.
 */
export async function installedHookCommands(pluginRoot: string, event: string, toolName: string): Promise<InstalledHookCommand[]> {
  let hooksRel = 'hooks/hooks.json';
  try {
    const manifest = JSON.parse(await readFile(join(pluginRoot, '.codex-plugin', 'plugin.json'), 'utf8')) as { hooks?: unknown };
    if (typeof manifest.hooks === 'string') hooksRel = manifest.hooks;
  } catch {
    // no manifest hooks entry: the default path
  }
  const path = join(pluginRoot, hooksRel);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new CodexCtlError('config_invalid', `cannot read the installed hooks file ${path}: ${(cause as Error).message}`, { cause });
  }
  const checked = z.safeParse(HooksFile, parsed);
  if (!checked.success) throw new CodexCtlError('config_invalid', `${path} is not a hooks file: ${z.prettifyError(checked.error)}`);
  const commands: InstalledHookCommand[] = [];
  for (const group of checked.data.hooks[event] ?? []) {
    const matcher = group.matcher ?? '';
    if (!matcherSelects(matcher, toolName)) continue;
    for (const hook of group.hooks) {
      if (hook.type !== 'command' || hook.command === undefined) continue;
      commands.push({
        event,
        matcher,
        command: hook.command.replaceAll('${PLUGIN_ROOT}', pluginRoot),
        timeoutSec: hook.timeout ?? 600,
      });
    }
  }
  return commands;
}

/** What one hook process did. */
export interface HookRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

/**
 * Runs a hook command the way Codex does: through `/bin/sh -c`, the JSON input on stdin, in `cwd`, with
 * `env` (give it PLUGIN_ROOT, PLUGIN_DATA, CODEX_HOME). Killed (process group) after `timeoutMs`.
 */
export function runHookCommand(
  command: string,
  input: unknown,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<HookRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 1_000_000) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 1_000_000) stderr += chunk;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(input));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, stdout, stderr: stderr + String(error), timedOut, durationMs: Date.now() - started });
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

/** How Codex treats a PreToolUse hook's result (see docs/codex-hooks.md, "PreToolUse outputs"). */
export type PreToolUseVerdict =
  | { kind: 'allow' } // exit 0, empty stdout
  | { kind: 'deny'; reason: string } // exit 0 + the deny JSON
  | { kind: 'deny_exit2'; reason: string } // exit 2 + reason on stderr
  | { kind: 'rewrite'; updatedInput: unknown } // allow with updatedInput
  | { kind: 'fail_open'; why: string }; // anything else: Codex runs the tool

/** Classifies a PreToolUse hook run exactly as Codex 0.169 acts on it. */
export function preToolUseVerdict(run: HookRun): PreToolUseVerdict {
  if (run.timedOut) return { kind: 'fail_open', why: 'timed out' };
  if (run.exitCode === 2) {
    return run.stderr.trim() === '' ? { kind: 'fail_open', why: 'exit 2 with empty stderr' } : { kind: 'deny_exit2', reason: run.stderr.trim() };
  }
  if (run.exitCode !== 0) return { kind: 'fail_open', why: `exit ${run.exitCode}` };
  const text = run.stdout.trim();
  if (text === '') return { kind: 'allow' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'fail_open', why: `stdout is not JSON: ${text.slice(0, 120)}` };
  }
  const out = (parsed as { hookSpecificOutput?: Record<string, unknown> } | null)?.hookSpecificOutput;
  if (typeof out !== 'object' || out === null || out.hookEventName !== 'PreToolUse') {
    return { kind: 'fail_open', why: 'JSON without hookSpecificOutput.hookEventName "PreToolUse"' };
  }
  if (out.permissionDecision === 'deny') {
    const reason = out.permissionDecisionReason;
    return typeof reason === 'string' && reason.trim() !== ''
      ? { kind: 'deny', reason }
      : { kind: 'fail_open', why: 'deny without a non-empty permissionDecisionReason' };
  }
  if (out.permissionDecision === 'allow' && out.updatedInput !== undefined) return { kind: 'rewrite', updatedInput: out.updatedInput };
  return { kind: 'fail_open', why: `permissionDecision ${JSON.stringify(out.permissionDecision)} is not acted on` };
}
