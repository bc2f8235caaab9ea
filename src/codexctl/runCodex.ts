import { spawn } from 'node:child_process';
import { resolveCodexBin } from './codexBin.js';
import { CodexCtlError } from './errors.js';

/** Where and how a codex command runs. */
export interface CodexRunOptions {
  /** The CODEX_HOME the command works on (it must exist: codex refuses a missing one). */
  codexHome: string;
  /** HOME for the command (default: inherited). */
  home?: string;
  /** Working directory (default: this process's). */
  cwd?: string;
  /** The whole environment (default `process.env`); CODEX_HOME and HOME are set on top of it. */
  env?: NodeJS.ProcessEnv;
  /** Deadline in milliseconds; past it the command and its children are killed. */
  timeoutMs: number;
  /** Text written to stdin; by default stdin is /dev/null (as `codex exec … </dev/null`). */
  stdin?: string;
  /** Keep at most this many bytes of each stream (default 16 MiB); the rest is dropped. */
  maxOutputBytes?: number;
}

/** What a finished codex command did. */
export interface CodexRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** The environment a codex command gets: `base` plus CODEX_HOME (and HOME when given). */
export function codexEnv(options: Pick<CodexRunOptions, 'codexHome' | 'home' | 'env'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), CODEX_HOME: options.codexHome };
  if (options.home !== undefined) env.HOME = options.home;
  return env;
}

/** Kills a process group we started (detached), falling back to the process itself. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Runs the codex CLI with `args` and captures its output. Never waits longer than `timeoutMs`: past it
 * the whole process group (codex, its hooks and shells) is killed and a `codex_timeout` error is thrown.
 * A codex that cannot be started throws `codex_not_found`. A non-zero exit is returned, not thrown.
 */
export function runCodex(args: readonly string[], options: CodexRunOptions): Promise<CodexRunResult> {
  const env = codexEnv(options);
  const bin = resolveCodexBin(env);
  const limit = options.maxOutputBytes ?? 16 * 1024 * 1024;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin.command, [...bin.prefixArgs, ...args], {
      cwd: options.cwd,
      env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let errSize = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (outSize < limit) out.push(chunk.subarray(0, limit - outSize));
      outSize += chunk.length;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (errSize < limit) err.push(chunk.subarray(0, limit - errSize));
      errSize += chunk.length;
    });
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new CodexCtlError('codex_not_found', `could not start codex (${bin.command}): ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(
          new CodexCtlError('codex_timeout', `codex ${args.slice(0, 3).join(' ')} took longer than ${options.timeoutMs} ms`, {
            stderr: stderr.trim(),
            exitCode,
          }),
        );
        return;
      }
      resolve({ exitCode, signal, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/**
 * The lines of codex's stderr that explain a failure: its `Error: …` and `Caused by:` text, without
 * the Rust backtrace or the PATH-alias warning it prints on every run.
 */
export function codexErrorText(stderr: string): string {
  const lines = stderr.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (/^Stack backtrace:/.test(line)) break;
    if (/^WARNING: proceeding, even though we could not create PATH aliases/.test(line)) continue;
    if (line.trim() !== '') kept.push(line.trim());
  }
  return kept.join(' ').slice(0, 2000);
}
