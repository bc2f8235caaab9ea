import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../helpers/tempHome.js';
import { processAlive } from '../../src/util/processAlive.js';
import { withFileLock } from '../../src/state/fileLock.js';
import { claimDaemonSocket, ownerFile } from '../../src/hook/daemonOwnership.js';
import { ensurePrivateDir } from '../../src/state/secureFs.js';

/**
 * A process that has exited but is not reaped: `sh` starts a short `sleep` in the background, prints
 * its pid and becomes a long `sleep`, which never waits for it. (The child outlives the exec, so the
 * shell itself cannot reap it first: with `true &` it sometimes did, and the pid was gone.) This is
 * what a killed hook daemon is in a container whose init does not reap orphans. Returns the
 * zombie's pid and the parent to stop afterwards.
 */
async function zombie(): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no pid printed')), 5_000);
    parent.stdout!.once('data', (d: Buffer) => { clearTimeout(t); resolve(Number(d.toString().trim())); });
  });
  // bounded wait until the kernel shows it exited
  for (let i = 0; i < 200 && !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 20));
  return { pid, parent };
}

describe.skipIf(process.platform !== 'linux')('a process that exited but was never reaped (a zombie)', () => {
  it('is not alive, while a running process and one we may not signal are', async () => {
    const z = await zombie();
    try {
      expect(readFileSync(`/proc/${z.pid}/stat`, 'utf8')).toMatch(/\) Z /); // the case is real: signal 0 still reaches it
      expect(() => process.kill(z.pid, 0)).not.toThrow();
      expect(processAlive(z.pid)).toBe(false);
      expect(processAlive(z.parent.pid!)).toBe(true);
      expect(processAlive(process.pid)).toBe(true);
      expect(processAlive(1)).toBe(true);
    } finally {
      z.parent.kill('SIGKILL');
    }
  });

  it("does not hold a lock: a lock file with its pid is taken over at once, not after the stale time", async () => {
    const dir = tempHome('vaibot-zombie-');
    const target = join(dir, 'state.json');
    const z = await zombie();
    try {
      writeFileSync(`${target}.lock`, `${z.pid} ${Date.now()} token\n`);
      const started = Date.now();
      expect(withFileLock(target, () => 'held', { timeoutMs: 2_000, staleMs: 60_000 })).toBe('held');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      z.parent.kill('SIGKILL');
    }
  });

  it("does not keep a daemon claim: a young claim with its pid is taken over", async () => {
    const dir = tempHome('vaibot-zombie-');
    const run = join(dir, 'run');
    ensurePrivateDir(run);
    const socket = join(run, 'hook.sock');
    const z = await zombie();
    try {
      writeFileSync(ownerFile(socket), `${z.pid} ${Date.now()}\n`);
      expect(claimDaemonSocket(socket, false)).toBe(true);
      expect(readFileSync(ownerFile(socket), 'utf8').split(' ')[0]).toBe(String(process.pid));
      expect(existsSync(socket)).toBe(false);
    } finally {
      z.parent.kill('SIGKILL');
    }
  });
});
