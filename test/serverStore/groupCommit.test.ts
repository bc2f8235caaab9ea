import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Kysely, SqliteDialect } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { migrateServerDb } from '../../src/serverStore/openServerStore.js';
import { kyselyServerStore } from '../../src/serverStore/kyselyServerStore.js';
import type { ServerDatabase } from '../../src/serverStore/schema.js';
import type { ServerStore } from '../../src/serverStore/serverStore.js';
import { sampleReceipt } from '../receipts/logFixture.js';
import { tempDir } from '../server/serverHelpers.js';

const require = createRequire(import.meta.url);

async function openCounted(link = false): Promise<{ store: ServerStore; sqlite: BetterSqlite3.Database; commits: () => number; file: string; cleanup: () => Promise<void> }> {
  const tmp = tempDir('vaibot-group-commit-');
  const file = join(tmp.dir, 'server.db');
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  if (link) {
    // the database file is a symlink: SQLite names its log after the real file, not the link
    mkdirSync(join(tmp.dir, 'real'));
    new Database(join(tmp.dir, 'real', 'server.db')).close();
    symlinkSync(join(tmp.dir, 'real', 'server.db'), file);
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL'); // as the server opens it
  let commits = 0;
  const db = new Kysely<ServerDatabase>({
    dialect: new SqliteDialect({ database: sqlite }),
  });
  // count commits on the connection itself (the group commit runs its transactions there)
  const exec = sqlite.exec.bind(sqlite);
  sqlite.exec = (source: string) => { if (/^commit$/i.test(source.trim())) commits++; return exec(source); };
  await migrateServerDb(db, 'sqlite');
  const store = kyselyServerStore(db, 'sqlite', sqlite);
  await store.createAccount({ id: 'acct-a', label: 'a', fingerprintHash: null, at: 1 });
  await store.createAccount({ id: 'acct-b', label: 'b', fingerprintHash: null, at: 1 });
  return { store, sqlite, commits: () => commits, file, cleanup: async () => { await store.close(); tmp.remove(); } };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => { await cleanup?.(); cleanup = undefined; });

describe('SQLite group commit of account transactions', () => {
  it('folds concurrent transactions into few commits, numbering each account gap-free, and settles none before its commit', async () => {
    const t = await openCounted();
    cleanup = t.cleanup;
    const before = t.commits();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      t.store.withAccount(i % 2 === 0 ? 'acct-a' : 'acct-b', (tx) => tx.appendReceipt(sampleReceipt(i, { id: `r-${i}` })))));
    const commits = t.commits() - before;
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThan(60);
    for (const acct of ['acct-a', 'acct-b']) {
      const seqs = results.filter((r) => r.stored.accountId === acct).map((r) => r.stored.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
    // what each caller was told is what another connection reads from the file
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    const other = new Database(t.file, { readonly: true });
    try { expect((other.prepare('select count(*) as c from receipts').get() as { c: number }).c).toBe(60); } finally { other.close(); }
  });

  it('rolls back only the transaction that throws; the others in its group commit, and the caller gets its own error', async () => {
    const t = await openCounted();
    cleanup = t.cleanup;
    class Refused extends Error { override name = 'ApiError'; }
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
      t.store.withAccount('acct-a', async (tx) => {
        const res = await tx.appendReceipt(sampleReceipt(i, { id: `k-${i}` }));
        if (i === 4) throw new Refused('refused after writing');
        return res;
      })));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    const failed = outcomes[4] as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(Refused);
    const stored = await t.store.receipts({ accountIds: ['acct-a'], limit: 100 });
    expect(stored.map((r) => r.receipt.id).sort()).toEqual(['k-0', 'k-1', 'k-2', 'k-3', 'k-5', 'k-6', 'k-7', 'k-8', 'k-9']);
    // the rolled-back append used up no sequence number
    expect(stored.map((r) => r.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('an unknown account fails alone with not_found', async () => {
    const t = await openCounted();
    cleanup = t.cleanup;
    const [bad, good] = await Promise.allSettled([
      t.store.withAccount('nobody', (tx) => tx.appendReceipt(sampleReceipt(1, { id: 'x-1' }))),
      t.store.withAccount('acct-b', (tx) => tx.appendReceipt(sampleReceipt(2, { id: 'x-2' }))),
    ]);
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    expect(good.status).toBe('fulfilled');
  });

  it('with synchronous = FULL, flushes the log after the commit and leaves the connection at FULL for every other writer', async () => {
    const t = await openCounted();
    cleanup = t.cleanup;
    expect(t.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.store.withAccount('acct-a', (tx) => tx.appendReceipt(sampleReceipt(i, { id: `d-${i}` })))));
    expect(t.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(existsSync(`${t.file}-wal`)).toBe(true);
    const listed = await t.store.receipts({ accountIds: ['acct-a'], limit: 100 });
    expect(listed).toHaveLength(20);
  });

  it('flushes the log SQLite really writes when the database is opened through a symlink', async () => {
    const t = await openCounted(true);
    cleanup = t.cleanup;
    const res = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      t.store.withAccount('acct-a', (tx) => tx.appendReceipt(sampleReceipt(i, { id: `s-${i}` })))));
    expect(res).toHaveLength(5);
    expect(existsSync(`${t.file}-wal`)).toBe(false);
    expect(await t.store.ping()).toMatchObject({ ok: true });
  });

  it('a log that cannot be flushed is final: that group and every later write is refused, reads fail, the health check says so', async () => {
    const t = await openCounted();
    cleanup = t.cleanup;
    await t.store.withAccount('acct-a', (tx) => tx.appendReceipt(sampleReceipt(0, { id: 'f-0' })));
    // the log file vanishes under the open database: the next group's commit lands in an unlinked
    // file, and nothing can make it durable any more
    unlinkSync(`${t.file}-wal`);
    class Refused extends Error { override name = 'ApiError'; }
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) =>
      t.store.withAccount(i % 2 ? 'acct-a' : 'acct-b', async (tx) => {
        const r = await tx.appendReceipt(sampleReceipt(i + 1, { id: `f-${i + 1}` }));
        if (i === 3) throw new Refused('its own error');
        return r;
      })));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    outcomes.forEach((o, i) => {
      const reason = (o as PromiseRejectedResult).reason;
      if (i === 3) expect(reason).toBeInstanceOf(Refused); // a job that failed on its own keeps its error
      else expect(reason).toMatchObject({ code: 'store_failed', message: expect.stringMatching(/flushing a commit to the disk failed.*until the server restarts/) });
    });
    await expect(t.store.withAccount('acct-a', (tx) => tx.appendReceipt(sampleReceipt(20, { id: 'after' })))).rejects.toMatchObject({ code: 'store_failed' });
    await expect(t.store.receipts({ accountIds: ['acct-a'], limit: 10 })).rejects.toMatchObject({ code: 'store_failed' });
    expect(await t.store.ping()).toMatchObject({ ok: false, error: expect.stringMatching(/flushing a commit/) });
    // nothing else writes on the connection either
    expect(() => t.sqlite.prepare("UPDATE accounts SET label = 'x'").run()).toThrow(/readonly|read-only|query_only/i);
    expect(t.sqlite.pragma('synchronous', { simple: true })).toBe(2);
  });
});
