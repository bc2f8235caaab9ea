import { existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { withFileLock } from '../state/fileLock.js';
import { writeFileAtomic } from '../state/secureFs.js';
import { processAlive } from '../util/processAlive.js';

/**
 * A claim younger than this is honoured while its process lives, even before its socket listens:
 * a daemon that claimed the path binds within milliseconds, so an older claim whose socket does
 * not answer belongs to a hung daemon or to a recycled pid.
 */
const CLAIM_GRACE_MS = 10_000;

/** The file that names the daemon owning a socket path: `<socket>.owner`, holding `<pid> <claimed at ms>`. */
export function ownerFile(socketPath: string): string {
  return `${socketPath}.owner`;
}

interface Claim { pid: number; at: number }

function readClaim(socketPath: string): Claim | null {
  try {
    const [pid, at] = readFileSync(ownerFile(socketPath), 'utf8').trim().split(' ').map(Number);
    return Number.isInteger(pid) && (pid as number) > 0 && Number.isFinite(at) ? { pid: pid as number, at: at as number } : null;
  } catch {
    return null;
  }
}

/**
 * Decide, under the socket's lock, whether this process becomes the daemon for `socketPath`.
 * Refused while another live process holds a young claim, or when the socket answered (`socketLive`,
 * probed just before). Otherwise the claim is taken and a leftover socket file removed, so the
 * caller can bind. Exactly one of any number of daemons started at once wins.
 */
export function claimDaemonSocket(socketPath: string, socketLive: boolean, now: number = Date.now()): boolean {
  return withFileLock(socketPath, () => {
    if (socketLive) return false; // somebody answers there
    const claim = readClaim(socketPath);
    // a claim stamped in the future (the clock went back) is not young: it is treated as stale
    if (claim && claim.pid !== process.pid && processAlive(claim.pid) && claim.at <= now && now - claim.at < CLAIM_GRACE_MS) return false;
    writeFileAtomic(ownerFile(socketPath), `${process.pid} ${now}\n`);
    if (existsSync(socketPath)) unlinkSync(socketPath);
    return true;
  });
}

/** Whether this process still holds the claim on `socketPath` (a newer daemon may have taken it over). */
export function holdsDaemonClaim(socketPath: string): boolean {
  return readClaim(socketPath)?.pid === process.pid;
}

/**
 * Put the socket this daemon bound at `bindPath` in place at `socketPath`, under the lock and only
 * while it still holds the claim. False when the claim was taken over meanwhile.
 */
export function placeDaemonSocket(bindPath: string, socketPath: string): boolean {
  return withFileLock(socketPath, () => {
    if (!holdsDaemonClaim(socketPath)) return false;
    renameSync(bindPath, socketPath);
    return true;
  });
}

/** Remove the socket and its owner file (under the socket's lock). */
function removeSocketAndClaim(socketPath: string): void {
  try { unlinkSync(socketPath); } catch { /* gone */ }
  try { unlinkSync(ownerFile(socketPath)); } catch { /* gone */ }
}

/** Give up the claim: remove the socket and owner files, only if they are still this process's. */
export function releaseDaemonClaim(socketPath: string): void {
  try {
    withFileLock(socketPath, () => {
      if (holdsDaemonClaim(socketPath)) removeSocketAndClaim(socketPath);
    }, { timeoutMs: 2_000 });
  } catch { /* the next daemon treats what is left as stale */ }
}

/**
 * After a call timed out on the daemon at `socketPath`, stop that daemon (SIGKILL) and remove its
 * socket and claim, under the lock, so the next call starts a fresh one instead of waiting out the
 * deadline again (a daemon hung while its socket still accepts is never replaced otherwise). Only a
 * process that is verifiably the VAIBot daemon for this very socket is signalled: on Linux its
 * command line names hookd.mjs and this socket path (so a recycled pid is left alone); on other
 * systems nothing is done. SQLite and the state files survive a kill by design. True when evicted.
 */
export function evictHungDaemon(socketPath: string): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return withFileLock(socketPath, () => {
      const claim = readClaim(socketPath);
      if (!claim || claim.pid === process.pid) return false;
      let argv: string[];
      try {
        argv = readFileSync(`/proc/${claim.pid}/cmdline`, 'utf8').split('\0');
      } catch {
        return false;
      }
      if (!argv.some((a) => a.endsWith('hookd.mjs')) || !argv.includes(socketPath)) return false;
      try {
        process.kill(claim.pid, 'SIGKILL');
      } catch {
        return false;
      }
      removeSocketAndClaim(socketPath);
      return true;
    }, { timeoutMs: 500 }); // inside the second the hook keeps before its deadline
  } catch {
    return false;
  }
}
