import { readFileSync } from 'node:fs';

/**
 * Whether a process with this pid is running (one we may not signal, EPERM, counts too). A process
 * that has exited but was not reaped yet (a zombie) does not: in a container whose init does not
 * reap orphans, a killed hook daemon stays a zombie for good, and counting it alive would keep its
 * claims and locks from ever being taken over. On systems without /proc the signal check alone decides.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return !exitedUnreaped(pid);
}

/** True when /proc shows the process as a zombie (`Z`) or dead (`X`); false when it cannot be read. */
function exitedUnreaped(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    // gone between the signal and the read; any other failure (no /proc): trust the signal
    return (err as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux';
  }
  // `pid (comm) S …`: the state follows the last `)` (comm may itself contain parentheses)
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}
