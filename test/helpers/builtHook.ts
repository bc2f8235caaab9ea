import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built hook bundle (npm install / npm run build produce it). */
export const HOOK = join(__dirname, '..', '..', 'plugin', 'dist', 'hook.cjs');

/** Throws a clear error when the plugin has not been built. */
export function requireBuiltHook(): string {
  if (!existsSync(HOOK)) throw new Error('plugin/dist/hook.cjs is missing: run `npm run build` first');
  return HOOK;
}

/** The result of running the hook as a real process. */
export interface HookProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the built hook as Codex does (a fresh process, stdin piped), with a bounded wait.
 * `killAfterMs` sends SIGKILL at that time (for crash tests).
 */
export function runHookProcess(event: string, stdin: Buffer | string, env: NodeJS.ProcessEnv, opts: { killAfterMs?: number; timeoutMs?: number } = {}): Promise<HookProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [requireBuiltHook(), event], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => { /* the process may die before reading */ });
    child.stdin.end(stdin);
    const killer = opts.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : undefined;
    const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('hook process did not finish in time')); }, opts.timeoutMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (killer) clearTimeout(killer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Run async jobs with at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  }));
}
