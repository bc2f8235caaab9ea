import { processAlive } from '../../src/util/processAlive.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/** Pids of hook daemons that claimed a socket anywhere under `dir` (their `run/*.sock.owner` files). */
function daemonPids(dir: string, depth = 3): number[] {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return []; }
  const pids: number[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 0) pids.push(...daemonPids(path, depth - 1));
    else if (e.isFile() && e.name.endsWith('.sock.owner')) {
      try {
        const pid = Number(readFileSync(path, 'utf8').trim().split(' ')[0]);
        // only a process that is a hook daemon (a pid may have been reused)
        if (Number.isInteger(pid) && pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hookd')) pids.push(pid);
      } catch { /* gone */ }
    }
  }
  return pids;
}

/** Stop the hook daemons living under `dir`, waiting (bounded) until they are gone. */
function stopDaemons(dir: string): void {
  const pids = daemonPids(dir);
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  const until = Date.now() + 2_000;
  while (pids.some(processAlive) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
}

/**
 * A fresh temporary VAIBOT_HOME per call, removed when the test that asked for it finishes (or,
 * when called outside a test, after the suite; as a last resort when the process exits). Hook
 * daemons a test started there are stopped first, so none is left writing its socket or claim
 * into a directory being removed (or running on for its idle time after the suite).
 */
export function tempHome(prefix = 'vaibot-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => {
    for (let attempt = 0; ; attempt++) {
      stopDaemons(dir);
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
        return;
      } catch (err) {
        // a daemon spawned just before teardown may have claimed its socket only now
        if (attempt >= 3) throw err;
      }
    }
  };
  try {
    onTestFinished(remove);
  } catch {
    try { afterAll(remove); } catch { process.once('exit', remove); }
  }
  return dir;
}
