import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { processAlive } from '../util/processAlive.js';
import { VaibotError } from '../util/vaibotError.js';
import { ensurePrivateDir } from './secureFs.js';
import { dirname } from 'node:path';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** The lock's token when its holder is gone (dead pid, or too old), else null. */
function staleToken(lockPath: string, staleMs: number): string | null {
  try {
    const st = statSync(lockPath);
    const token = readFileSync(lockPath, 'utf8');
    const age = Date.now() - st.mtimeMs;
    if (age > staleMs) return token;
    const pid = Number.parseInt(token.split(' ')[0] ?? '', 10);
    if (!Number.isInteger(pid) || pid <= 0) return age > 1000 ? token : null;
    return processAlive(pid) ? null : token;
  } catch {
    return null; // vanished meanwhile: just retry
  }
}

/**
 * Remove a stale lock without racing another reaper: move it aside atomically, and if what we moved
 * is not the stale lock we judged (someone re-took the lock meanwhile), put it back.
 */
function reap(lockPath: string, token: string): void {
  const aside = `${lockPath}.reap.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return;
  }
  try {
    if (readFileSync(aside, 'utf8') !== token) {
      try { linkSync(aside, lockPath); } catch { /* a new holder exists already */ }
    }
  } finally {
    try { unlinkSync(aside); } catch { /* ignore */ }
  }
}

/** Options for {@link withFileLock}. */
export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this (ms) is taken over even if its holder's pid looks alive. */
  staleMs?: number;
}

/**
 * Run `fn` while holding an exclusive lock file (`<path>.lock`, created with O_EXCL).
 * Safe across processes; a lock left by a killed process (dead pid, or older than `staleMs`) is
 * taken over. Throws `lock_timeout` when the lock cannot be had in time.
 */
export function withFileLock<T>(path: string, fn: () => T, opts: LockOptions = {}): T {
  const lockPath = `${path}.lock`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const staleMs = opts.staleMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  ensurePrivateDir(dirname(lockPath));
  let fd: number | undefined;
  let delay = 1;
  while (fd === undefined) {
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new VaibotError('state_unwritable', `cannot lock ${path}: ${(err as Error).message}`, { cause: err });
      }
      const token = staleToken(lockPath, staleMs);
      if (token !== null) {
        reap(lockPath, token);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new VaibotError('lock_timeout', `timed out after ${timeoutMs} ms waiting for the lock on ${path}`);
      }
      sleepMs(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 20);
    }
  }
  try {
    writeSync(fd, `${process.pid} ${Date.now()}`);
  } catch (err) {
    // The lock file was created but its token could not be written (a full disk: ENOSPC). It is
    // ours, so close and remove it: left behind it would hold up every caller for a second, and
    // leak a descriptor in the long-lived daemon on every call.
    try { closeSync(fd); } catch { /* already failing */ }
    try { unlinkSync(lockPath); } catch { /* nothing to clean */ }
    throw new VaibotError('state_unwritable', `cannot lock ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return fn();
  } finally {
    try { closeSync(fd); } catch { /* ignore */ }
    try { unlinkSync(lockPath); } catch { /* ignore */ }
  }
}
