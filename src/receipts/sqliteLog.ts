// The verifiable log in the embedded SQLite database: its own tables beside `receipts`
// (which the store owns and this module only reads), created with CREATE TABLE IF NOT EXISTS and
// versioned in tlog_meta.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { bytesToHex } from '@noble/hashes/utils.js';
import { openSqliteStore, SQLITE_SCHEMA_VERSION } from '../store/sqliteStore.js';
import { formatCheckpoint } from './checkpoint.js';
import { appendToEdge, consistencyProof, inclusionProof, rangeHash, rightEdgeKeys, type Hash, type SubtreeSource } from './merkle.js';
import { leafHashOfBody, nodeHasher } from './nodeHasher.js';
import { ReceiptError } from './receiptError.js';
import type { AnchorRecord, CheckpointDue, CheckpointRecord, LogEntry, ReceiptLog } from './receiptLog.js';
import { signNote, type NoteSigner } from './signedNote.js';

const require = createRequire(import.meta.url);

/** Version of the tlog_* tables, kept in tlog_meta under `schema`. */
export const TLOG_SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tlog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS tlog_nodes (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, idx)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS tlog_checkpoints (
    tree_size INTEGER PRIMARY KEY,
    root BLOB NOT NULL,
    note TEXT NOT NULL,
    key_name TEXT NOT NULL,
    key_id TEXT NOT NULL,
    issued_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS tlog_anchors (
    tree_size INTEGER NOT NULL,
    chain_id INTEGER NOT NULL,
    tx_hash TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    sender TEXT NOT NULL,
    anchored_at TEXT NOT NULL,
    PRIMARY KEY (chain_id, tx_hash)
  );
  CREATE INDEX IF NOT EXISTS tlog_anchors_size ON tlog_anchors(tree_size);
`;

/** Receipts folded into the tree per write transaction (bounds how long writers wait on a catch-up). */
const SYNC_CHUNK = 5000;

type CheckpointRow = { tree_size: number; root: Buffer; note: string; key_name: string; key_id: string; issued_at: string };
type AnchorRow = { tree_size: number; chain_id: number; tx_hash: string; block_number: number; sender: string; anchored_at: string };
type ReceiptRow = { seq: number; id: string; content_hash: string; body: string; leaf_hash: string };

function toEntry(r: ReceiptRow): LogEntry {
  return { index: r.seq - 1, seq: r.seq, id: r.id, contentHash: r.content_hash, body: r.body, storedLeafHash: r.leaf_hash };
}

export { leafHashOfBody } from './nodeHasher.js';

/**
 * Open the log in the receipts database `file` (creating the receipts table through the store if the
 * database is new, and the tlog_* tables if missing). `readonly` opens without creating anything.
 */
export function openSqliteLog(file: string, opts: { readonly?: boolean; busyTimeoutMs?: number } = {}): ReceiptLog {
  const readonly = opts.readonly ?? false;
  if (!existsSync(file)) {
    if (readonly) throw new ReceiptError('not_found', `no receipts database at ${file}`);
    openSqliteStore(file).close(); // the store creates, protects and migrates the receipts table
  }
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Database(file, { readonly, fileMustExist: true });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  if (!readonly) {
    db.pragma('synchronous = FULL');
    const storeVersion = db.pragma('user_version', { simple: true }) as number;
    if (storeVersion !== SQLITE_SCHEMA_VERSION || !db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'receipts'").get()) {
      openSqliteStore(file).close(); // migrate (or refuse a newer schema) through the store
    }
    const current = (): number => {
      const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tlog_meta'").get();
      const row = has ? (db.prepare("SELECT value FROM tlog_meta WHERE key = 'schema'").get() as { value: string } | undefined) : undefined;
      return row ? Number(row.value) : 0;
    };
    // Only a missing or older schema takes a write transaction; the common open is two reads.
    if (current() !== TLOG_SCHEMA_VERSION) {
      db.transaction(() => {
        const version = current();
        if (version > TLOG_SCHEMA_VERSION) throw new ReceiptError('config_invalid', `${file}: the log tables were written by a newer VAIBot (schema ${version}); upgrade VAIBot`);
        db.exec(SCHEMA);
        db.prepare("INSERT OR REPLACE INTO tlog_meta (key, value) VALUES ('schema', ?)").run(String(TLOG_SCHEMA_VERSION));
      }).immediate();
    }
  } else {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tlog_nodes'").get();
    if (!has) db.exec('CREATE TEMP TABLE tlog_nodes (level INTEGER, idx INTEGER, hash BLOB); CREATE TEMP TABLE tlog_checkpoints (tree_size INTEGER, root BLOB, note TEXT, key_name TEXT, key_id TEXT, issued_at TEXT); CREATE TEMP TABLE tlog_anchors (tree_size INTEGER, chain_id INTEGER, tx_hash TEXT, block_number INTEGER, sender TEXT, anchored_at TEXT);');
  }

  const getNode = db.prepare('SELECT hash FROM tlog_nodes WHERE level = ? AND idx = ?').pluck();
  const maxLeaf = db.prepare('SELECT max(idx) FROM tlog_nodes WHERE level = 0').pluck();
  const anchorsOf = db.prepare('SELECT * FROM tlog_anchors WHERE tree_size = ? ORDER BY anchored_at');
  const latestRow = db.prepare('SELECT * FROM tlog_checkpoints ORDER BY tree_size DESC LIMIT 1');

  const src: SubtreeSource = {
    perfect(level, index) {
      const h = getNode.get(level, index) as Buffer | undefined;
      if (!h) throw new ReceiptError('log_tampered', `the stored tree has no node at level ${level}, index ${index}; run \`vaibot verify --log\``);
      return h;
    },
  };

  function treeSize(): number {
    const m = maxLeaf.get() as number | null;
    return m === null ? 0 : m + 1;
  }

  function toAnchor(r: AnchorRow): AnchorRecord {
    return { treeSize: r.tree_size, chainId: r.chain_id, txHash: r.tx_hash, blockNumber: r.block_number, sender: r.sender, anchoredAt: r.anchored_at };
  }

  function toCheckpoint(r: CheckpointRow): CheckpointRecord {
    return {
      treeSize: r.tree_size, root: new Uint8Array(r.root), note: r.note, keyName: r.key_name, keyId: r.key_id, issuedAt: r.issued_at,
      anchors: (anchorsOf.all(r.tree_size) as AnchorRow[]).map(toAnchor),
    };
  }

  function latest(): CheckpointRecord | null {
    const r = latestRow.get() as CheckpointRow | undefined;
    return r ? toCheckpoint(r) : null;
  }

  /** Fold up to `limit` new receipts into the tree; call inside a write transaction. Returns how many. */
  function syncChunk(limit: number): number {
    let size = treeSize();
    const rows = db.prepare('SELECT seq, id, content_hash, body, leaf_hash FROM receipts WHERE seq > ? ORDER BY seq LIMIT ?').all(size, limit) as ReceiptRow[];
    if (rows.length === 0) return 0;
    // The pending left siblings on the right edge: node (l, (size >> l) - 1) for each set bit l of size.
    const pending = new Map<number, Hash>(rightEdgeKeys(size).map(([l, x]) => [l, src.perfect(l, x)]));
    const insert = db.prepare('INSERT INTO tlog_nodes (level, idx, hash) VALUES (?, ?, ?)');
    for (const row of rows) {
      if (row.seq !== size + 1) {
        throw new ReceiptError('log_gap', `receipt seq ${size + 1} (leaf ${size}) is missing from the receipts table (next is seq ${row.seq}): a receipt was removed; run \`vaibot verify --log\``);
      }
      let leaf: Hash;
      try {
        leaf = leafHashOfBody(row.body, row.leaf_hash);
      } catch (err) {
        throw new ReceiptError('log_tampered', `receipt seq ${row.seq} (leaf ${size}) has an unreadable body: ${(err as Error).message}`, { cause: err });
      }
      if (bytesToHex(leaf) !== row.leaf_hash) {
        throw new ReceiptError('log_tampered', `receipt seq ${row.seq} (leaf ${size}): its body no longer matches the leaf hash recorded when it was stored; run \`vaibot verify --log\``);
      }
      for (const [level, idx, h] of appendToEdge(pending, size, leaf, nodeHasher)) insert.run(level, idx, h);
      size++;
    }
    return rows.length;
  }

  function sync(): number {
    for (;;) {
      const n = db.transaction(() => syncChunk(SYNC_CHUNK)).immediate();
      if (n < SYNC_CHUNK) return treeSize();
    }
  }

  function root(size: number): Hash {
    if (size > treeSize()) throw new ReceiptError('not_found', `the tree has ${treeSize()} leaves, not ${size}`);
    return rangeHash(src, 0, size, nodeHasher);
  }

  return {
    sync,
    treeSize,
    root,
    inclusionProof: (index, size) => {
      if (size > treeSize()) throw new ReceiptError('not_found', `the tree has ${treeSize()} leaves, not ${size}`);
      return inclusionProof(src, index, size, nodeHasher);
    },
    consistencyProof: (oldSize, newSize) => {
      if (newSize > treeSize()) throw new ReceiptError('not_found', `the tree has ${treeSize()} leaves, not ${newSize}`);
      return consistencyProof(src, oldSize, newSize, nodeHasher);
    },
    storedNode: (level, index) => {
      const h = getNode.get(level, index) as Buffer | undefined;
      return h ? new Uint8Array(h) : null;
    },
    issueCheckpoint(signer: NoteSigner, now: Date, due?: CheckpointDue) {
      // A long backlog is folded in chunks first; the usual few receipts go in the signing transaction.
      const backlog = (db.prepare('SELECT coalesce(max(seq), 0) FROM receipts').pluck().get() as number) - treeSize();
      if (backlog > SYNC_CHUNK) sync();
      return db.transaction(() => {
        while (syncChunk(SYNC_CHUNK) === SYNC_CHUNK) { /* stragglers appended since */ }
        const size = treeSize();
        const last = latest();
        if (last && last.treeSize > size) {
          throw new ReceiptError('log_tampered', `checkpoint ${last.treeSize} covers more leaves than the tree has (${size}); run \`vaibot verify --log\``);
        }
        if (last && last.treeSize === size) return { record: last, created: false };
        if (due && !due(last, size)) return { record: last, created: false };
        const r = rangeHash(src, 0, size, nodeHasher);
        const note = signNote(formatCheckpoint({ origin: signer.name, size, root: r }), signer);
        const issuedAt = now.toISOString();
        db.prepare('INSERT INTO tlog_checkpoints (tree_size, root, note, key_name, key_id, issued_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(size, Buffer.from(r), note, signer.name, bytesToHex(signer.keyId), issuedAt);
        return { record: { treeSize: size, root: r, note, keyName: signer.name, keyId: bytesToHex(signer.keyId), issuedAt, anchors: [] }, created: true };
      }).immediate();
    },
    latestCheckpoint: latest,
    checkpoints: () => (db.prepare('SELECT * FROM tlog_checkpoints ORDER BY tree_size').all() as CheckpointRow[]).map(toCheckpoint),
    checkpointAt: (size) => {
      const r = db.prepare('SELECT * FROM tlog_checkpoints WHERE tree_size = ?').get(size) as CheckpointRow | undefined;
      return r ? toCheckpoint(r) : null;
    },
    addAnchor: (a) => {
      db.prepare('INSERT OR REPLACE INTO tlog_anchors (tree_size, chain_id, tx_hash, block_number, sender, anchored_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(a.treeSize, a.chainId, a.txHash, a.blockNumber, a.sender, a.anchoredAt);
    },
    findEntries: (selector) => {
      const s = selector.trim();
      const hash = /^[0-9a-fA-F]{64}$/.test(s) ? `sha256:${s.toLowerCase()}` : s;
      return (db.prepare('SELECT seq, id, content_hash, body, leaf_hash FROM receipts WHERE id = ? OR content_hash = ? ORDER BY seq').all(s, hash) as ReceiptRow[]).map(toEntry);
    },
    *entries() {
      for (const r of db.prepare('SELECT seq, id, content_hash, body, leaf_hash FROM receipts ORDER BY seq').iterate() as IterableIterator<ReceiptRow>) yield toEntry(r);
    },
    receiptCount: () => {
      const r = db.prepare('SELECT count(*) AS n, coalesce(max(seq), 0) AS m FROM receipts').get() as { n: number; m: number };
      return { rows: r.n, maxSeq: r.m };
    },
    indexesOfLeaf: (leafHash) => db.prepare('SELECT idx FROM tlog_nodes WHERE level = 0 AND hash = ? ORDER BY idx').pluck().all(Buffer.from(leafHash)) as number[],
    close: () => db.close(),
  };
}
