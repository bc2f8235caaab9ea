import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { walCheckpointer, type WalCheckpointer } from '../../src/serverStore/walCheckpointer.js';
import { tempDir } from '../server/serverHelpers.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

let tmp: { dir: string; remove: () => void } | undefined;
let db: BetterSqlite3.Database | undefined;
let ckpt: WalCheckpointer | null = null;
afterEach(async () => {
  await ckpt?.close();
  ckpt = null;
  db?.close();
  db = undefined;
  tmp?.remove();
  tmp = undefined;
});

function open(): { file: string; db: BetterSqlite3.Database } {
  tmp = tempDir('vaibot-ckpt-');
  const file = join(tmp.dir, 'c.db');
  db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { file, db };
}

/** Commit `n` transactions of a few pages each, telling the checkpointer after each. */
function commit(d: BetterSqlite3.Database, n: number, c: WalCheckpointer | null): void {
  const ins = d.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < n; i++) {
    d.transaction(() => { for (let j = 0; j < 4; j++) ins.run('x'.repeat(3000)); })();
    c?.afterCommit();
  }
}

const until = async (what: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const autocheckpoint = (d: BetterSqlite3.Database) => Number(d.pragma('wal_autocheckpoint', { simple: true }));

describe('walCheckpointer: copying the write-ahead log into the database on a worker thread', () => {
  it('takes checkpoints over from the committing connection and keeps the log from growing', async () => {
    const { file, db: d } = open();
    ckpt = walCheckpointer(d, file, { minIntervalMs: 0 });
    expect(ckpt).not.toBeNull();
    expect(await ckpt!.started()).toBe(true);
    expect(autocheckpoint(d)).toBe(0);
    // 600 commits of ~4 pages: far past SQLite's own 1000-page threshold, which no longer applies
    for (let round = 0; round < 6; round++) {
      commit(d, 100, ckpt);
      await until(() => !ckpt!.stats().running);
    }
    await until(() => ckpt!.stats().checkpoints >= 2);
    const s = ckpt!.stats();
    expect(s.failures).toBe(0);
    expect(s.fallbacks).toBe(0);
    // the log was restarted after checkpoints: it holds far fewer than the 2,400+ pages written
    expect(statSync(`${file}-wal`).size).toBeLessThan(2_400 * 4096);
    // closing gives checkpoints back to SQLite, and nothing committed is lost
    await ckpt!.close();
    expect(autocheckpoint(d)).toBe(1000);
    expect((d.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(2_400);
  });

  it('checkpoints the last commits of a burst once the interval has passed, without another commit', async () => {
    const { file, db: d } = open();
    ckpt = walCheckpointer(d, file, { minIntervalMs: 150 });
    expect(await ckpt!.started()).toBe(true);
    commit(d, 1, ckpt);
    await until(() => ckpt!.stats().checkpoints === 1);
    commit(d, 20, ckpt); // within the interval: held back, then run by the timer
    await until(() => ckpt!.stats().checkpoints === 2, 3_000);
    expect(ckpt!.stats().lastLogFrames).toBeGreaterThan(0);
  });

  it('gives checkpoints back to SQLite when the worker cannot open the database, and says so', async () => {
    const { file, db: d } = open();
    d.pragma('wal_autocheckpoint = 500');
    const warnings: string[] = [];
    ckpt = walCheckpointer(d, join(file, 'missing.db'), { warn: (m) => warnings.push(m) });
    expect(await ckpt!.started()).toBe(false);
    expect(autocheckpoint(d)).toBe(1000);
    expect(warnings.join('\n')).toMatch(/checkpoint worker stopped/);
    commit(d, 5, ckpt); // no error: commits go on, SQLite checkpoints inside them
  });

  it('checkpoints on the committing connection when the log passes the hard limit', async () => {
    const { file, db: d } = open();
    ckpt = walCheckpointer(d, file, { minIntervalMs: 60_000, hardLimitBytes: 64 * 1024 });
    expect(await ckpt!.started()).toBe(true);
    commit(d, 1, ckpt); // the first checkpoint runs at once; the next one is 60 s away
    await until(() => ckpt!.stats().checkpoints === 1);
    commit(d, 40, ckpt);
    expect(ckpt!.stats().fallbacks).toBeGreaterThan(0);
    expect(statSync(`${file}-wal`).size).toBeLessThan(40 * 4 * 4096);
  });

  it('is not used for an in-memory database or one not in WAL mode', () => {
    const mem = new Database(':memory:');
    expect(walCheckpointer(mem, '')).toBeNull();
    mem.close();
    tmp = tempDir('vaibot-ckpt-');
    const file = join(tmp.dir, 'r.db');
    db = new Database(file);
    expect(walCheckpointer(db, file)).toBeNull();
  });

  it('close() stops the worker even after the database file is gone', async () => {
    const { file, db: d } = open();
    ckpt = walCheckpointer(d, file);
    expect(await ckpt!.started()).toBe(true);
    unlinkSync(file);
    await ckpt!.close();
    ckpt = null;
  });
});
