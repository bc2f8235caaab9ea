import { join } from 'node:path';

/** The protocol version spoken over the daemon socket (one JSON line each way). */
export const DAEMON_PROTOCOL = 1;

/** A hook call forwarded to the daemon. */
export interface DaemonRequest {
  v: typeof DAEMON_PROTOCOL;
  event: string | undefined;
  stdin: string;
  /** The calling hook's environment (settings are read from it per call). */
  env: Record<string, string>;
}

/** The daemon's answer: what the hook prints. */
export interface DaemonResponse {
  v: typeof DAEMON_PROTOCOL;
  stdout: string;
  exitCode: number;
  lines: string[];
}

/** FNV-1a (64-bit) as 16 hex digits: a cheap name for a build (node:crypto costs the hook start-up time). */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** Unix socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 100;

/**
 * Where the daemon of this build listens: `<VAIBOT_HOME>/run/hookd-<build>.sock`, so a different
 * build (an upgrade) never talks to an old daemon. Undefined when the path would be too long.
 */
export function daemonSocketPath(home: string, buildId: string): string | undefined {
  const tag = fnv1a64(buildId);
  const path = join(home, 'run', `hookd-${tag}.sock`);
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH ? path : undefined;
}

/** Whether a parsed value is a well-formed daemon response. */
export function isDaemonResponse(v: unknown): v is DaemonResponse {
  const r = v as DaemonResponse;
  return typeof v === 'object' && v !== null && r.v === DAEMON_PROTOCOL && typeof r.stdout === 'string' && typeof r.exitCode === 'number'
    && Array.isArray(r.lines) && r.lines.every((l) => typeof l === 'string');
}

/** The environment a hook call forwards: only what settings and paths are read from. */
export function forwardedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (k.startsWith('VAIBOT_') || k === 'HOME' || k === 'CODEX_HOME' || k === 'PLUGIN_ROOT' || k === 'PLUGIN_DATA' || k === 'USER')) out[k] = v;
  }
  return out;
}
