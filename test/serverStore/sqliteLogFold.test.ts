import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openServerStore } from '../../src/serverStore/openServerStore.js';
import type { ServerStore } from '../../src/serverStore/serverStore.js';
import { rfc9162Hasher, verifyInclusion, type Hash } from '../../src/receipts/merkle.js';
import { leafHashOfBody } from '../../src/receipts/nodeHasher.js';
import { sampleReceipt } from '../receipts/logFixture.js';
import { ReferenceTree } from '../receipts/referenceMerkle.js';
import { tempHome } from '../helpers/tempHome.js';

const require = createRequire(import.meta.url);

let opened: { store: ServerStore; reader: BetterSqlite3.Database } | null = null;
afterEach(async () => {
  opened?.reader.close();
  await opened?.store.close();
  opened = null;
});

async function open(): Promise<{ store: ServerStore; reader: BetterSqlite3.Database }> {
  const file = join(tempHome(), 'server.db');
  const store = await openServerStore({ dialect: 'sqlite', file });
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const reader = new Database(file, { readonly: true });
  for (const id of ['acct-a', 'acct-b', 'acct-c']) await store.createAccount({ id, label: id, fingerprintHash: null, at: 1 });
  opened = { store, reader };
  return opened;
}

/** Leaves the stored tree has for an account (read on another connection, so only what committed). */
function storedLeaves(reader: BetterSqlite3.Database, account: string): number {
  return reader.prepare('SELECT count(*) FROM log_nodes WHERE scope = ? AND level = 0').pluck().get(account) as number;
}

function receiptLeaves(reader: BetterSqlite3.Database, account: string): Hash[] {
  return (reader.prepare('SELECT body FROM receipts WHERE account_id = ? ORDER BY seq').pluck().all(account) as string[]).map((b) => leafHashOfBody(b));
}

/** RFC 9162's tree head over the leaves, by its recursive definition. */
function mth(leaves: Hash[], lo = 0, hi = leaves.length): Hash {
  if (hi - lo === 1) return leaves[lo] as Hash;
  const k = ReferenceTree.k(hi - lo);
  return rfc9162Hasher.node(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
}

let n = 0;
const append = (store: ServerStore, account: string, fail = false) =>
  store.withAccount(account, async (tx) => {
    const r = await tx.appendReceipt(sampleReceipt(n++, { session_id: account }));
    if (fail) throw new Error('the caller gave up after storing');
    return r;
  });

describe('the SQLite group commit grows each account log tree with its receipts', () => {
  it('folds every committed receipt, none that rolled back; the tree is the reference tree and proofs verify', async () => {
    const { store, reader } = await open();
    const accounts = ['acct-a', 'acct-b', 'acct-c'];
    // rounds of concurrent transactions (each round a few group commits); every 7th gives up after storing
    for (let round = 0; round < 6; round++) {
      await Promise.allSettled(Array.from({ length: 40 }, (_, i) => append(store, accounts[i % 3] as string, (round * 40 + i) % 7 === 3)));
    }
    for (const acct of accounts) {
      const leaves = receiptLeaves(reader, acct);
      expect(leaves.length).toBeGreaterThan(60);
      // folded with the receipts, before any sync of the log
      expect(storedLeaves(reader, acct)).toBe(leaves.length);
      expect(await store.log.sync(acct)).toBe(leaves.length);
      const root = mth(leaves);
      expect(Buffer.from(await store.log.root(acct, leaves.length))).toEqual(Buffer.from(root));
      for (const i of [0, 1, Math.floor(leaves.length / 2), leaves.length - 1]) {
        const proof = await store.log.inclusionProof(acct, i, leaves.length);
        expect(verifyInclusion(leaves[i] as Hash, i, leaves.length, proof, root)).toEqual({ ok: true });
      }
    }
  }, 60_000);

  it('leaves a tree that is behind its receipts to the log fold, then grows it again once caught up', async () => {
    const { store, reader } = await open();
    for (let i = 0; i < 5; i++) await append(store, 'acct-a');
    // a tree that never had these receipts (as one written before the tree grew with commits)
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    const writer = new Database(reader.name);
    writer.prepare("DELETE FROM log_nodes WHERE scope = 'acct-a'").run();
    writer.close();
    for (let i = 0; i < 3; i++) await append(store, 'acct-a');
    expect(storedLeaves(reader, 'acct-a')).toBe(0);
    expect(await store.log.sync('acct-a')).toBe(8);
    await append(store, 'acct-a');
    expect(storedLeaves(reader, 'acct-a')).toBe(9);
    expect(Buffer.from(await store.log.root('acct-a', 9))).toEqual(Buffer.from(mth(receiptLeaves(reader, 'acct-a'))));
  }, 60_000);

  it('stores the receipt even when its tree is damaged, and leaves the damage to the log fold to report', async () => {
    const { store, reader } = await open();
    for (let i = 0; i < 3; i++) await append(store, 'acct-b');
    // a node already where the next leaf's parent goes (level 1, index 1)
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    const writer = new Database(reader.name);
    writer.prepare("INSERT INTO log_nodes (scope, level, idx, hash) VALUES ('acct-b', 1, 1, ?)").run('00'.repeat(32));
    writer.close();
    const r = await append(store, 'acct-b');
    expect(r.stored.seq).toBe(4);
    expect(storedLeaves(reader, 'acct-b')).toBe(3);
    await expect(store.log.sync('acct-b')).rejects.toThrow();
  }, 60_000);
});
