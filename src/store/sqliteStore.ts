import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from '../receipts/canonicalJson.js';
import type BetterSqlite3 from 'better-sqlite3';
import type { Receipt } from '../receipts/receipt.js';
import type { ReceiptQuery, ReceiptStore, RunRecord, StoredReceipt } from './receiptStore.js';
import { VaibotError } from '../util/vaibotError.js';
import { ensurePrivateDir } from '../state/secureFs.js';

const require = createRequire(import.meta.url);

/** Schema version stored in `PRAGMA user_version`. */
export const SQLITE_SCHEMA_VERSION = 1;

const MIGRATIONS: string[] = [
  `CREATE TABLE IF NOT EXISTS receipts (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     content_hash TEXT NOT NULL,
     kind TEXT NOT NULL,
     session_id TEXT,
     tool_use_id TEXT,
     at TEXT NOT NULL,
     leaf_hash TEXT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS receipts_hash ON receipts(content_hash);
   CREATE INDEX IF NOT EXISTS receipts_session ON receipts(session_id);
   CREATE TABLE IF NOT EXISTS runs (
     tool_use_id TEXT PRIMARY KEY,
     session_id TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     decision_receipt_id TEXT NOT NULL,
     started_at INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS session_writes (
     session_id TEXT NOT NULL,
     path TEXT NOT NULL,
     content TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (session_id, path)
   );`,
];

/**
 * A receipt as stored: its RFC 8785 canonical JSON (the body written to the database, so the log can
 * check a body against its leaf hash without parsing it) and its RFC 9162 leaf hash,
 * SHA-256(0x00 || that JSON), hex.
 */
export function canonicalReceipt(receipt: Receipt): { body: string; leafHash: string } {
  let body: string;
  try {
    body = canonicalJson(receipt);
  } catch (cause) {
    throw new VaibotError('internal', 'receipt cannot be canonicalized', { cause });
  }
  return { body, leafHash: createHash('sha256').update(Buffer.from([0])).update(body, 'utf8').digest('hex') };
}

/** RFC 9162 leaf hash of a receipt: SHA-256(0x00 || RFC 8785 JSON), hex. */
export function receiptLeafHash(receipt: Receipt): string {
  return canonicalReceipt(receipt).leafHash;
}

type Row = { seq: number; leaf_hash: string; body: string };

function toStored(row: Row): StoredReceipt {
  return { seq: row.seq, leafHash: row.leaf_hash, receipt: JSON.parse(row.body) as Receipt };
}

/** Open (creating and migrating if needed) the SQLite receipts database: WAL, FULL sync, busy timeout. */
export function openSqliteStore(file: string, opts: { busyTimeoutMs?: number; readonly?: boolean } = {}): ReceiptStore {
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  let db: BetterSqlite3.Database;
  let opened: BetterSqlite3.Database | undefined;
  try {
    if (!opts.readonly) ensurePrivateDir(dirname(file));
    const isNew = !existsSync(file);
    db = opened = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 3000}`);
    if (!opts.readonly) {
      if (isNew) chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SQLITE_SCHEMA_VERSION) {
        throw new VaibotError('store_failed', `${file} was written by a newer VAIBot (schema ${version}); upgrade VAIBot`);
      }
      if (version < SQLITE_SCHEMA_VERSION) {
        db.transaction(() => {
          for (let v = version; v < SQLITE_SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
          db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
        }).immediate();
      }
    }
  } catch (err) {
    // A connection that opened but could not be set up (a full disk cannot create the WAL) is
    // closed here: the long-lived daemon retries the open on every call and would leak one each time.
    try { opened?.close(); } catch { /* already failing */ }
    if (err instanceof VaibotError) throw err;
    const code = (err as { code?: string }).code;
    throw new VaibotError(code === 'SQLITE_BUSY' ? 'lock_timeout' : 'store_failed', `cannot open receipts database ${file}: ${(err as Error).message}`, { cause: err });
  }

  const insertReceipt = db.prepare(
    'INSERT INTO receipts (id, content_hash, kind, session_id, tool_use_id, at, leaf_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertRun = db.prepare(
    'INSERT OR REPLACE INTO runs (tool_use_id, session_id, content_hash, decision_receipt_id, started_at) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteRun = db.prepare('DELETE FROM runs WHERE tool_use_id = ?');

  function insert(receipt: Receipt): StoredReceipt {
    const { body, leafHash } = canonicalReceipt(receipt);
    const info = insertReceipt.run(receipt.id, receipt.content_hash, receipt.kind, receipt.session_id, receipt.tool_use_id, receipt.at, leafHash, body);
    return { seq: Number(info.lastInsertRowid), leafHash, receipt };
  }

  function guarded<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof VaibotError) throw err;
      const code = (err as { code?: string }).code;
      throw new VaibotError(code === 'SQLITE_BUSY' ? 'lock_timeout' : 'store_failed', `${what} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  return {
    append: (receipt, run) =>
      guarded('storing a receipt', () =>
        db.transaction(() => {
          const stored = insert(receipt);
          if (run) insertRun.run(run.toolUseId, run.sessionId, run.contentHash, run.decisionReceiptId, run.startedAt);
          return stored;
        }).immediate(),
      ),
    appendOutcome: (receipt, toolUseId) =>
      guarded('storing an outcome receipt', () =>
        db.transaction(() => {
          const stored = insert(receipt);
          if (toolUseId) deleteRun.run(toolUseId);
          return stored;
        }).immediate(),
      ),
    list: (q: ReceiptQuery = {}) =>
      guarded('listing receipts', () => {
        const where: string[] = [];
        const args: unknown[] = [];
        if (q.beforeSeq !== undefined) { where.push('seq < ?'); args.push(q.beforeSeq); }
        if (q.contentHash !== undefined) { where.push('content_hash = ?'); args.push(q.contentHash); }
        if (q.sessionId !== undefined) { where.push('session_id = ?'); args.push(q.sessionId); }
        if (q.kind !== undefined) { where.push('kind = ?'); args.push(q.kind); }
        const sql = `SELECT seq, leaf_hash, body FROM receipts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
        return (db.prepare(sql).all(...args, Math.min(Math.max(q.limit ?? 50, 1), 10_000)) as Row[]).map(toStored);
      }),
    byId: (id) =>
      guarded('reading a receipt', () => {
        const row = db.prepare('SELECT seq, leaf_hash, body FROM receipts WHERE id = ?').get(id) as Row | undefined;
        return row ? toStored(row) : null;
      }),
    run: (toolUseId) =>
      guarded('reading run state', () => {
        const row = db.prepare('SELECT * FROM runs WHERE tool_use_id = ?').get(toolUseId) as
          | { tool_use_id: string; session_id: string; content_hash: string; decision_receipt_id: string; started_at: number }
          | undefined;
        return row
          ? { toolUseId: row.tool_use_id, sessionId: row.session_id, contentHash: row.content_hash, decisionReceiptId: row.decision_receipt_id, startedAt: row.started_at }
          : null;
      }),
    recordWrite: (sessionId, path, content, at) =>
      guarded('recording a session write', () => {
        db.prepare('INSERT OR REPLACE INTO session_writes (session_id, path, content, at) VALUES (?, ?, ?, ?)').run(sessionId, path, content.slice(0, 1_000_000), at);
      }),
    sessionWrites: (sessionId) =>
      guarded('reading session writes', () => {
        const rows = db.prepare('SELECT path, content FROM session_writes WHERE session_id = ?').all(sessionId) as Array<{ path: string; content: string }>;
        return new Map(rows.map((r) => [r.path, r.content]));
      }),
    count: () => guarded('counting receipts', () => (db.prepare('SELECT count(*) AS n FROM receipts').get() as { n: number }).n),
    close: () => db.close(),
  };
}
