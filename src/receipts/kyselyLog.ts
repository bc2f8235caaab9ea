// The verifiable log for the governance server: one log per account (scope), over the server's
// `receipts(account_id, seq, leaf_hash, body)` table, through Kysely on SQLite or PostgreSQL alike.
// Same tree, checkpoints and proofs as the embedded log (sqliteLog.ts); hashes stored as hex text so
// one schema serves both dialects; proofs fetch their O(log n) subtrees in one round trip.
import { sql, type Kysely, type Transaction } from 'kysely';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { assembleBundle } from './assembleBundle.js';
import { serializeBundle, type ReceiptBundle } from './bundle.js';
import { formatCheckpoint } from './checkpoint.js';
import type { LogKey } from './logKey.js';
import { appendToEdge, consistencyProof, inclusionProof, rangeHash, rightEdgeKeys, type Hash } from './merkle.js';
import { leafHashOfBody, nodeHasher } from './nodeHasher.js';
import { withFetchedSubtrees, type SubtreeKey } from './proofPlan.js';
import { ReceiptError } from './receiptError.js';
import type { AnchorRecord, CheckpointDue, CheckpointRecord, LogEntry } from './receiptLog.js';
import { signNote, type NoteSigner } from './signedNote.js';
import { formatVerifierKey, isValidKeyName, keyIdOf } from './verifierKey.js';
import { verifyBundle } from './verifyBundle.js';

/** Version of the log_* tables, kept in log_meta under `schema`. */
export const SCOPED_LOG_SCHEMA_VERSION = 1;

/** Receipts folded per transaction: small enough that a fold never holds the database for long. */
const SYNC_CHUNK = 250;
const INSERT_BATCH = 400;

/** Where the receipts live and which database speaks. */
export interface ScopedLogOptions {
  dialect: 'sqlite' | 'postgres';
  /** Defaults: the governance server's `receipts` table, scoped by `account_id`, ordered by `seq` (from 1). */
  receiptsTable?: string;
  scopeColumn?: string;
}

/** One log per scope (account), asynchronous, for a Kysely database. */
export interface ScopedReceiptLog {
  /** Create the log_* tables if missing (idempotent, safe from several instances at once). */
  migrate(): Promise<void>;
  /** Fold the scope's new receipts into the stored tree; returns its size. */
  sync(scope: string): Promise<number>;
  treeSize(scope: string): Promise<number>;
  root(scope: string, size: number): Promise<Hash>;
  inclusionProof(scope: string, index: number, size: number): Promise<Hash[]>;
  consistencyProof(scope: string, oldSize: number, newSize: number): Promise<Hash[]>;
  /** Sync, then sign a checkpoint of the scope's whole tree unless the newest covers it (or `due` says no). */
  issueCheckpoint(scope: string, signer: NoteSigner, now: Date, due?: CheckpointDue): Promise<{ record: CheckpointRecord | null; created: boolean }>;
  latestCheckpoint(scope: string): Promise<CheckpointRecord | null>;
  checkpoints(scope: string): Promise<CheckpointRecord[]>;
  addAnchor(scope: string, anchor: AnchorRecord): Promise<void>;
  /** Receipts of the scope whose id or content hash is `selector`, oldest first. */
  findEntries(scope: string, selector: string): Promise<LogEntry[]>;
}

/**
 * The signer of one scope's checkpoints: the server's log key under the name `<key name>/<scope>`, so
 * each account's log has its own origin and verifier key (and a checkpoint of one account can never
 * pass for another's).
 */
export function scopedSigner(key: LogKey, scope: string): NoteSigner & { verifierKey: string } {
  const name = `${key.name}/${scope}`;
  if (!isValidKeyName(name)) throw new ReceiptError('config_invalid', `scope ${JSON.stringify(scope)} cannot be part of a key name`);
  return { name, keyId: keyIdOf(name, key.publicKey), sign: key.signer.sign, verifierKey: formatVerifierKey(name, key.publicKey) };
}

type Db = Kysely<any> | Transaction<any>;
type CheckpointRow = { tree_size: unknown; root: string; note: string; key_name: string; key_id: string; issued_at: string };
type AnchorRow = { tree_size: unknown; chain_id: unknown; tx_hash: string; block_number: unknown; sender: string; anchored_at: string };

/** Open the per-scope log over a Kysely database (call `migrate()` once before use). */
export function kyselyLog(db: Kysely<any>, opts: ScopedLogOptions): ScopedReceiptLog {
  const receipts = sql.table(opts.receiptsTable ?? 'receipts');
  const scopeCol = sql.ref(opts.scopeColumn ?? 'account_id');
  const pg = opts.dialect === 'postgres';

  /** Serialize writers of one scope: an advisory lock on PostgreSQL, the write lock on SQLite. */
  async function lock(trx: Transaction<any>, scope: string): Promise<void> {
    if (pg) await sql`SELECT pg_advisory_xact_lock(hashtext(${`vaibot-tlog:${scope}`}))`.execute(trx);
    else await sql`UPDATE log_meta SET value = value WHERE key = 'schema'`.execute(trx);
  }

  async function size(d: Db, scope: string): Promise<number> {
    const r = await sql<{ m: unknown }>`SELECT max(idx) AS m FROM log_nodes WHERE scope = ${scope} AND level = 0`.execute(d);
    const m = r.rows[0]?.m;
    return m === null || m === undefined ? 0 : Number(m) + 1;
  }

  async function fetchNodes(d: Db, scope: string, keys: SubtreeKey[]): Promise<Map<string, Hash>> {
    const out = new Map<string, Hash>();
    for (let i = 0; i < keys.length; i += INSERT_BATCH) {
      const part = keys.slice(i, i + INSERT_BATCH);
      // the scope goes into every term: with it outside the OR, SQLite walks every node of the scope
      // (one lookup per key with it inside), which grew with the log and stalled the event loop
      const cond = sql.join(part.map(([l, x]) => sql`(scope = ${scope} AND level = ${l} AND idx = ${x})`), sql` OR `);
      const r = await sql<{ level: unknown; idx: unknown; hash: string }>`SELECT level, idx, hash FROM log_nodes WHERE ${cond}`.execute(d);
      for (const row of r.rows) out.set(`${Number(row.level)}/${Number(row.idx)}`, hexToBytes(row.hash));
    }
    return out;
  }

  async function insertNodes(d: Db, scope: string, rows: Array<[number, number, Hash]>): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const values = sql.join(rows.slice(i, i + INSERT_BATCH).map(([l, x, h]) => sql`(${scope}, ${l}, ${x}, ${bytesToHex(h)})`));
      await sql`INSERT INTO log_nodes (scope, level, idx, hash) VALUES ${values}`.execute(d);
    }
  }

  /** Fold up to SYNC_CHUNK new receipts of `scope`; inside a locked transaction. Returns how many. */
  async function syncChunk(trx: Transaction<any>, scope: string): Promise<number> {
    let n = await size(trx, scope);
    const rows = (await sql<{ seq: unknown; body: string; leaf_hash: string }>`SELECT seq, body, leaf_hash FROM ${receipts} WHERE ${scopeCol} = ${scope} AND seq > ${n} ORDER BY seq LIMIT ${SYNC_CHUNK}`.execute(trx)).rows;
    if (rows.length === 0) return 0;
    const pendingKeys: SubtreeKey[] = rightEdgeKeys(n);
    const fetched = await fetchNodes(trx, scope, pendingKeys);
    const pending = new Map<number, Hash>();
    for (const [l, x] of pendingKeys) {
      const h = fetched.get(`${l}/${x}`);
      if (!h) throw new ReceiptError('log_tampered', `scope ${scope}: the stored tree has no node at level ${l}, index ${x}`);
      pending.set(l, h);
    }
    const out: Array<[number, number, Hash]> = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== n + 1) throw new ReceiptError('log_gap', `scope ${scope}: receipt seq ${n + 1} (leaf ${n}) is missing (next is seq ${seq})`);
      const leaf = leafHashOfBody(row.body, row.leaf_hash);
      if (bytesToHex(leaf) !== row.leaf_hash) throw new ReceiptError('log_tampered', `scope ${scope}: receipt seq ${seq} no longer matches the leaf hash recorded when it was stored`);
      out.push(...appendToEdge(pending, n, leaf, nodeHasher));
      n++;
    }
    await insertNodes(trx, scope, out);
    return rows.length;
  }

  async function anchorsOf(d: Db, scope: string, treeSize: number): Promise<AnchorRecord[]> {
    const r = await sql<AnchorRow>`SELECT * FROM log_anchors WHERE scope = ${scope} AND tree_size = ${treeSize} ORDER BY anchored_at`.execute(d);
    return r.rows.map((a) => ({ treeSize: Number(a.tree_size), chainId: Number(a.chain_id), txHash: a.tx_hash, blockNumber: Number(a.block_number), sender: a.sender, anchoredAt: a.anchored_at }));
  }

  async function toCheckpoint(d: Db, scope: string, r: CheckpointRow): Promise<CheckpointRecord> {
    const treeSize = Number(r.tree_size);
    return { treeSize, root: hexToBytes(r.root), note: r.note, keyName: r.key_name, keyId: r.key_id, issuedAt: r.issued_at, anchors: await anchorsOf(d, scope, treeSize) };
  }

  async function latest(d: Db, scope: string): Promise<CheckpointRecord | null> {
    const r = await sql<CheckpointRow>`SELECT * FROM log_checkpoints WHERE scope = ${scope} ORDER BY tree_size DESC LIMIT 1`.execute(d);
    return r.rows[0] ? toCheckpoint(d, scope, r.rows[0]) : null;
  }

  async function checkSize(scope: string, n: number): Promise<void> {
    const have = await size(db, scope);
    if (n > have) throw new ReceiptError('not_found', `scope ${scope}: the tree has ${have} leaves, not ${n}`);
  }

  async function sync(scope: string): Promise<number> {
    for (;;) {
      const n = await db.transaction().execute(async (trx) => { await lock(trx, scope); return syncChunk(trx, scope); });
      if (n < SYNC_CHUNK) return size(db, scope);
      // between chunks, let requests in: on SQLite a chunk holds the one connection, and a long
      // fold in one piece would stall every decision behind it
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  return {
    async migrate() {
      await db.transaction().execute(async (trx) => {
        if (pg) await sql`SELECT pg_advisory_xact_lock(hashtext('vaibot-tlog-migrate'))`.execute(trx);
        await sql`CREATE TABLE IF NOT EXISTS log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.execute(trx);
        const row = (await sql<{ value: string }>`SELECT value FROM log_meta WHERE key = 'schema'`.execute(trx)).rows[0];
        const version = row ? Number(row.value) : 0;
        if (version > SCOPED_LOG_SCHEMA_VERSION) throw new ReceiptError('config_invalid', `the log tables were written by a newer VAIBot (schema ${version}); upgrade VAIBot`);
        if (version === SCOPED_LOG_SCHEMA_VERSION) return;
        await sql`CREATE TABLE IF NOT EXISTS log_nodes (scope TEXT NOT NULL, level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (scope, level, idx))`.execute(trx);
        await sql`CREATE TABLE IF NOT EXISTS log_checkpoints (scope TEXT NOT NULL, tree_size BIGINT NOT NULL, root TEXT NOT NULL, note TEXT NOT NULL, key_name TEXT NOT NULL, key_id TEXT NOT NULL, issued_at TEXT NOT NULL, PRIMARY KEY (scope, tree_size))`.execute(trx);
        await sql`CREATE TABLE IF NOT EXISTS log_anchors (scope TEXT NOT NULL, tree_size BIGINT NOT NULL, chain_id BIGINT NOT NULL, tx_hash TEXT NOT NULL, block_number BIGINT NOT NULL, sender TEXT NOT NULL, anchored_at TEXT NOT NULL, PRIMARY KEY (chain_id, tx_hash))`.execute(trx);
        if (row) await sql`UPDATE log_meta SET value = ${String(SCOPED_LOG_SCHEMA_VERSION)} WHERE key = 'schema'`.execute(trx);
        else await sql`INSERT INTO log_meta (key, value) VALUES ('schema', ${String(SCOPED_LOG_SCHEMA_VERSION)})`.execute(trx);
      });
    },
    sync,
    treeSize: (scope) => size(db, scope),
    async root(scope, n) {
      await checkSize(scope, n);
      return withFetchedSubtrees((src) => rangeHash(src, 0, n, nodeHasher), (keys) => fetchNodes(db, scope, keys));
    },
    async inclusionProof(scope, index, n) {
      await checkSize(scope, n);
      return withFetchedSubtrees((src) => inclusionProof(src, index, n, nodeHasher), (keys) => fetchNodes(db, scope, keys));
    },
    async consistencyProof(scope, m, n) {
      await checkSize(scope, n);
      return withFetchedSubtrees((src) => consistencyProof(src, m, n, nodeHasher), (keys) => fetchNodes(db, scope, keys));
    },
    async issueCheckpoint(scope, signer, now, due) {
      await sync(scope);
      return db.transaction().execute(async (trx) => {
        await lock(trx, scope);
        while ((await syncChunk(trx, scope)) === SYNC_CHUNK) { /* stragglers */ }
        const n = await size(trx, scope);
        const last = await latest(trx, scope);
        if (last && last.treeSize > n) throw new ReceiptError('log_tampered', `scope ${scope}: checkpoint ${last.treeSize} covers more leaves than the tree has (${n})`);
        if (last && last.treeSize === n) return { record: last, created: false };
        if (due && !due(last, n)) return { record: last, created: false };
        const root = await withFetchedSubtrees((src) => rangeHash(src, 0, n, nodeHasher), (keys) => fetchNodes(trx, scope, keys));
        const note = signNote(formatCheckpoint({ origin: signer.name, size: n, root }), signer);
        const issuedAt = now.toISOString();
        await sql`INSERT INTO log_checkpoints (scope, tree_size, root, note, key_name, key_id, issued_at) VALUES (${scope}, ${n}, ${bytesToHex(root)}, ${note}, ${signer.name}, ${bytesToHex(signer.keyId)}, ${issuedAt})`.execute(trx);
        return { record: { treeSize: n, root, note, keyName: signer.name, keyId: bytesToHex(signer.keyId), issuedAt, anchors: [] }, created: true };
      });
    },
    latestCheckpoint: (scope) => latest(db, scope),
    async checkpoints(scope) {
      const r = await sql<CheckpointRow>`SELECT * FROM log_checkpoints WHERE scope = ${scope} ORDER BY tree_size`.execute(db);
      return Promise.all(r.rows.map((row) => toCheckpoint(db, scope, row)));
    },
    async addAnchor(scope, a) {
      await sql`INSERT INTO log_anchors (scope, tree_size, chain_id, tx_hash, block_number, sender, anchored_at) VALUES (${scope}, ${a.treeSize}, ${a.chainId}, ${a.txHash}, ${a.blockNumber}, ${a.sender}, ${a.anchoredAt})`.execute(db);
    },
    async findEntries(scope, selector) {
      const s = selector.trim();
      const hash = /^[0-9a-fA-F]{64}$/.test(s) ? `sha256:${s.toLowerCase()}` : s;
      const r = await sql<{ seq: unknown; id: string; content_hash: string; body: string; leaf_hash: string }>`SELECT seq, id, content_hash, body, leaf_hash FROM ${receipts} WHERE (${scopeCol} = ${scope} AND id = ${s}) OR (${scopeCol} = ${scope} AND content_hash = ${hash}) ORDER BY seq`.execute(db);
      return r.rows.map((x) => ({ index: Number(x.seq) - 1, seq: Number(x.seq), id: x.id, contentHash: x.content_hash, body: x.body, storedLeafHash: x.leaf_hash }));
    },
  };
}

/**
 * The bundle of one receipt of one scope (newest match), signing a checkpoint if none covers it yet;
 * verified against the scope's verifier key before it is returned.
 */
export async function exportScopedBundle(log: ScopedReceiptLog, scope: string, key: LogKey, selector: string, now: Date = new Date()): Promise<{ bundle: ReceiptBundle; text: string; entry: LogEntry; verifierKey: string }> {
  const signer = scopedSigner(key, scope);
  const found = await log.findEntries(scope, selector);
  const entry = found[found.length - 1];
  if (!entry) throw new ReceiptError('not_found', `no receipt of ${scope} has the id or content hash ${JSON.stringify(selector)}`);
  await log.sync(scope);
  let cp = await log.latestCheckpoint(scope);
  if (!cp || cp.treeSize <= entry.index) cp = (await log.issueCheckpoint(scope, signer, now)).record;
  if (!cp || cp.treeSize <= entry.index) throw new ReceiptError('log_tampered', `receipt ${entry.id} is not in the log of ${scope}`);
  const proof = await log.inclusionProof(scope, entry.index, cp.treeSize);
  const bundle = assembleBundle(entry, cp, proof, signer.verifierKey);
  const text = serializeBundle(bundle);
  verifyBundle(text, { trustedKey: signer.verifierKey });
  return { bundle, text, entry, verifierKey: signer.verifierKey };
}
