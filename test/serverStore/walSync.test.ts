import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readlinkSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walSync, type WalSync } from '../../src/serverStore/walSync.js';
import { tempDir } from '../server/serverHelpers.js';

/** Descriptors of this process open on `file`. */
function openOn(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith(file); } catch { return false; }
  }).length;
}

let tmp: { dir: string; remove: () => void } | undefined;
let sync: WalSync | undefined;
afterEach(() => { sync?.close(); sync = undefined; tmp?.remove(); tmp = undefined; });

describe('walSync: flushing a write-ahead log off the event loop', () => {
  it('flushes the file; concurrent calls all resolve, and close releases the descriptor', async () => {
    tmp = tempDir('vaibot-walsync-');
    const file = join(tmp.dir, 'db-wal');
    writeFileSync(file, 'frames');
    sync = walSync(file);
    await Promise.all(Array.from({ length: 50 }, () => sync!.sync()));
    expect(openOn(file)).toBe(1);
    await sync.settled();
    sync.close();
    expect(openOn(file)).toBe(0);
  });

  it('refuses to flush a file that has taken the path of the log, and reports a missing one to every waiting caller', async () => {
    tmp = tempDir('vaibot-walsync-');
    const file = join(tmp.dir, 'db-wal');
    writeFileSync(file, 'one');
    sync = walSync(file);
    await sync.sync();
    unlinkSync(file);
    writeFileSync(file, 'two');
    await expect(sync.sync()).rejects.toMatchObject({ code: 'store_failed', message: expect.stringMatching(/no longer the file/) });
    rmSync(file);
    const failed = await Promise.allSettled([sync.sync(), sync.sync(), sync.sync()]);
    for (const f of failed) expect(f).toMatchObject({ status: 'rejected', reason: { code: 'ENOENT' } });
    await expect(sync.settled()).resolves.toBeUndefined();
    sync.close();
    await expect(sync.sync()).rejects.toMatchObject({ code: 'store_failed', message: expect.stringMatching(/closed/) });
  });

  it('a log that does not exist yet fails the flush without leaking a descriptor', async () => {
    tmp = tempDir('vaibot-walsync-');
    const file = join(tmp.dir, 'db-wal');
    sync = walSync(file);
    await expect(sync.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(file, 'now');
    await expect(sync.sync()).resolves.toBeUndefined();
    expect(openOn(file)).toBe(1);
  });
});
