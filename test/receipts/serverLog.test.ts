import { afterAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { openServerStore } from '../../src/serverStore/openServerStore.js';
import type { ServerStore } from '../../src/serverStore/serverStore.js';
import { kyselyLog, exportScopedBundle, scopedSigner, type ScopedReceiptLog } from '../../src/receipts/kyselyLog.js';
import { ensureLogKey } from '../../src/receipts/logKey.js';
import { verifyBundle } from '../../src/receipts/verifyBundle.js';
import { rfc9162Hasher, verifyConsistency, verifyInclusion, type Hash } from '../../src/receipts/merkle.js';
import { leafHashOfBody } from '../../src/receipts/nodeHasher.js';
import { tempHome } from '../helpers/tempHome.js';
import { startPg, type PgCluster } from '../server/pgCluster.js';
import { sampleReceipt } from './logFixture.js';
import { ReferenceTree } from './referenceMerkle.js';
import { independentVerify } from './independentVerifier.js';

const require = createRequire(import.meta.url);

type Backend = { name: string; store: ServerStore; db: Kysely<any>; dialect: 'sqlite' | 'postgres'; close: () => Promise<void> };

async function sqliteBackend(): Promise<Backend> {
  const file = join(tempHome(), 'server.db');
  const store = await openServerStore({ dialect: 'sqlite', file });
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const conn = new Database(file);
  conn.pragma('busy_timeout = 5000');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: conn }) });
  return { name: 'sqlite', store, db, dialect: 'sqlite', close: async () => { await db.destroy(); await store.close(); } };
}

let pgCluster: PgCluster | null = null;
let pgSkip: string | null = null;
async function pgBackend(): Promise<Backend | null> {
  if (!pgCluster && !pgSkip) {
    const started = startPg();
    if ('skip' in started) pgSkip = started.skip;
    else pgCluster = started;
  }
  if (!pgCluster) return null;
  // a fresh database per backend
  const pg = require('pg') as typeof import('pg');
  const admin = new pg.Client({ connectionString: pgCluster.url });
  await admin.connect();
  const name = `tlog_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = pgCluster.url.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const store = await openServerStore({ dialect: 'postgres', url }, { poolSize: 4 });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 4 }) }) });
  return { name: 'postgres', store, db, dialect: 'postgres', close: async () => { await db.destroy(); await store.close(); } };
}
afterAll(() => { pgCluster?.stop(); });

async function append(store: ServerStore, account: string, from: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + n; i++) {
    const r = sampleReceipt(i, { session_id: account });
    await store.withAccount(account, async (tx) => { await tx.appendReceipt(r); });
    ids.push(r.id);
  }
  return ids;
}

async function bodies(db: Kysely<any>, account: string): Promise<Hash[]> {
  const rows = await db.selectFrom('receipts').select(['body']).where('account_id', '=', account).orderBy('seq').execute();
  return rows.map((r: { body: string }) => leafHashOfBody(r.body));
}

for (const make of [sqliteBackend, pgBackend]) {
  describe(`the server's per-account log on ${make === sqliteBackend ? 'SQLite' : 'PostgreSQL'} (Kysely)`, () => {
    it('folds each account into its own tree; every proof matches the reference and verifies; bundles verify with the account key', async (ctx) => {
      const b = await make();
      if (!b) { ctx.skip(`PostgreSQL unavailable: ${pgSkip}`); return; }
      try {
        for (const id of ['acct-a', 'acct-b']) await b.store.createAccount({ id, label: id, fingerprintHash: null, at: Date.now() });
        const idsA = await append(b.store, 'acct-a', 0, 23);
        await append(b.store, 'acct-b', 100, 7);
        const log: ScopedReceiptLog = kyselyLog(b.db, { dialect: b.dialect });
        await Promise.all([log.migrate(), log.migrate()]);
        expect(await log.sync('acct-a')).toBe(23);
        expect(await log.sync('acct-b')).toBe(7);
        const leaves = await bodies(b.db, 'acct-a');
        // reference MTH over the recomputed leaf hashes (RFC 9162 recursion)
        const mth = (lo: number, hi: number): Hash => (hi - lo === 1 ? leaves[lo] as Hash : rfc9162Hasher.node(mth(lo, lo + ReferenceTree.k(hi - lo)), mth(lo + ReferenceTree.k(hi - lo), hi)));
        for (let n = 1; n <= 23; n++) {
          expect(Buffer.from(await log.root('acct-a', n))).toEqual(Buffer.from(mth(0, n)));
          for (const m of [0, Math.floor(n / 2), n - 1]) {
            const p = await log.inclusionProof('acct-a', m, n);
            expect(verifyInclusion(leaves[m] as Hash, m, n, p, mth(0, n))).toEqual({ ok: true });
          }
          const c = await log.consistencyProof('acct-a', Math.max(1, n - 5), n);
          expect(verifyConsistency(Math.max(1, n - 5), n, mth(0, Math.max(1, n - 5)), mth(0, n), c)).toEqual({ ok: true });
        }
        const home = tempHome();
        const { key } = ensureLogKey(home);
        const exported = await exportScopedBundle(log, 'acct-a', key, idsA[9] as string);
        expect(exported.verifierKey).toBe(scopedSigner(key, 'acct-a').verifierKey);
        expect(verifyBundle(exported.text, { trustedKey: exported.verifierKey }).summary).toMatch(/^ok tree_size=23 leaf_index=9 /);
        expect(independentVerify(exported.text, exported.verifierKey)).toMatch(/^ok tree_size=23 leaf_index=9 /);
        // account B's key does not vouch for account A's checkpoint
        expect(() => verifyBundle(exported.text, { trustedKey: scopedSigner(key, 'acct-b').verifierKey })).toThrow(/no signature by the trusted key/);
        // the log grows: a new checkpoint, consistent with the old one
        await append(b.store, 'acct-a', 23, 10);
        const { record, created } = await log.issueCheckpoint('acct-a', scopedSigner(key, 'acct-a'), new Date());
        expect(created).toBe(true);
        expect(record?.treeSize).toBe(33);
        const cps = await log.checkpoints('acct-a');
        expect(cps.map((c) => c.treeSize)).toEqual([23, 33]);
        const proof = await log.consistencyProof('acct-a', 23, 33);
        expect(verifyConsistency(23, 33, cps[0]!.root, cps[1]!.root, proof)).toEqual({ ok: true });
        expect((await log.issueCheckpoint('acct-a', scopedSigner(key, 'acct-a'), new Date())).created).toBe(false);
      } finally { await b.close(); }
    }, 120_000);

    it('refuses to fold a receipt whose stored body was edited', async (ctx) => {
      const b = await make();
      if (!b) { ctx.skip(`PostgreSQL unavailable: ${pgSkip}`); return; }
      try {
        await b.store.createAccount({ id: 'acct-c', label: 'c', fingerprintHash: null, at: Date.now() });
        const ids = await append(b.store, 'acct-c', 0, 4);
        const log = kyselyLog(b.db, { dialect: b.dialect });
        await log.migrate();
        const row = await b.db.selectFrom('receipts').select(['body']).where('account_id', '=', 'acct-c').where('seq', '=', 3).executeTakeFirstOrThrow();
        await b.db.updateTable('receipts').set({ body: (row as { body: string }).body.replace('Bash', 'Zsh') }).where('account_id', '=', 'acct-c').where('seq', '=', 3).execute();
        if (b.dialect === 'postgres') {
          // folded in batches: the fold checks each body against the leaf hash stored with it
          await expect(log.sync('acct-c')).rejects.toThrow(/receipt seq 3 no longer matches/);
        } else {
          // the SQLite group commit folded each leaf with its receipt, before the edit
          expect(await log.sync('acct-c')).toBe(4);
        }
        // either way no bundle vouches for the edited body
        await expect(exportScopedBundle(log, 'acct-c', ensureLogKey(tempHome()).key, ids[2] as string)).rejects.toThrow(/no longer matches the leaf hash|leads to a different root than the checkpoint's/);
      } finally { await b.close(); }
    }, 120_000);
  });
}

describe("the server log's queries on SQLite", () => {
  it('look nodes and receipts up by key: no query walks every node or receipt of an account', async () => {
    const file = join(tempHome(), 'server.db');
    const store = await openServerStore({ dialect: 'sqlite', file });
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    const conn = new Database(file);
    conn.pragma('busy_timeout = 5000');
    const seen: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: conn }), log: (e) => { if (e.level === 'query') seen.push({ sql: e.query.sql, parameters: e.query.parameters }); } });
    try {
      await store.createAccount({ id: 'acct-p', label: 'p', fingerprintHash: null, at: Date.now() });
      const ids = await append(store, 'acct-p', 0, 37);
      const log = kyselyLog(db, { dialect: 'sqlite' });
      await log.migrate();
      await log.sync('acct-p');
      await log.inclusionProof('acct-p', 5, 37);
      await log.consistencyProof('acct-p', 11, 37);
      await exportScopedBundle(log, 'acct-p', ensureLogKey(tempHome()).key, ids[3] as string);
      const reads = seen.filter((q) => /^select/i.test(q.sql) && /log_nodes|receipts/.test(q.sql));
      expect(reads.some((q) => / or /i.test(q.sql))).toBe(true); // the multi-key lookups were exercised
      for (const q of reads) {
        const plan = (conn.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail);
        // a search on the scope (account) alone reads all of its rows; every lookup must also use level/idx, id, hash or seq
        for (const step of plan) expect(step, `${q.sql}\n${plan.join(' | ')}`).not.toMatch(/^SCAN (log_nodes|receipts)|\((scope|account_id)=\?\)$/);
      }
    } finally { await db.destroy(); await store.close(); }
  }, 120_000);
});
