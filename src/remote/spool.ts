import { createRequire } from 'node:module';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ensurePrivateDir } from '../state/secureFs.js';
import { VaibotError } from '../util/vaibotError.js';

const require = createRequire(import.meta.url);

/** Where remote mode keeps what it could not deliver, and which run each tool call belongs to. */
export function spoolFile(home: string): string {
  return join(home, 'remote-spool.db');
}

/** Something to deliver later: a receipt decided locally, or a finalize of a server run. */
export type SpoolItem =
  | { kind: 'receipt'; id: string; body: unknown }
  | { kind: 'finalize'; id: string; runId: string; body: unknown }
  | { kind: 'breaker'; id: string; body: unknown };

/** The remote run a tool call belongs to (decide in one hook process, finalize in another). */
export interface RemoteRun {
  toolUseId: string;
  /** The server's run id, or null when the decision was taken locally. */
  runId: string | null;
  /** The local decision receipt's id when the decision was taken locally. */
  localReceiptId: string | null;
  startedAt: number;
}

/** The spool: durable (SQLite, FULL sync), leased so concurrent hooks do not send the same item at once. */
export interface Spool {
  add(item: SpoolItem, at: number): void;
  /** Lease up to `limit` items (oldest first) for `leaseMs`. */
  lease(limit: number, at: number, leaseMs: number): SpoolItem[];
  /** Delivered (or accepted as a duplicate): forget it. */
  done(id: string): void;
  /** Refused by the server (4xx): kept with the reason, never retried blindly more than `maxAttempts`. */
  rejected(id: string, reason: string, at: number, maxAttempts: number): void;
  size(): number;
  putRun(run: RemoteRun): void;
  takeRun(toolUseId: string): RemoteRun | null;
  close(): void;
}

/** Open (creating) the spool database. */
export function openSpool(home: string): Spool {
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const file = spoolFile(home);
  let db: BetterSqlite3.Database;
  try {
    ensurePrivateDir(home);
    const isNew = !existsSync(file);
    db = new Database(file);
    if (isNew) chmodSync(file, 0o600);
    db.pragma('busy_timeout = 3000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE IF NOT EXISTS spool (id TEXT PRIMARY KEY, kind TEXT NOT NULL, run_id TEXT, body TEXT NOT NULL, created_at INTEGER NOT NULL,
               leased_until INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, rejected TEXT);
             CREATE TABLE IF NOT EXISTS runs (tool_use_id TEXT PRIMARY KEY, run_id TEXT, local_receipt_id TEXT, started_at INTEGER NOT NULL);`);
  } catch (err) {
    throw new VaibotError('store_failed', `cannot open the remote spool ${file}: ${(err as Error).message}`, { cause: err });
  }
  const d = db;
  return {
    add(item, at) {
      d.prepare('INSERT OR IGNORE INTO spool (id, kind, run_id, body, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(item.id, item.kind, item.kind === 'finalize' ? item.runId : null, JSON.stringify(item.body), at);
    },
    lease(limit, at, leaseMs) {
      return d.transaction(() => {
        const rows = d.prepare('SELECT id, kind, run_id, body FROM spool WHERE rejected IS NULL AND leased_until <= ? ORDER BY created_at, id LIMIT ?').all(at, limit) as Array<{ id: string; kind: string; run_id: string | null; body: string }>;
        const mark = d.prepare('UPDATE spool SET leased_until = ?, attempts = attempts + 1 WHERE id = ?');
        for (const r of rows) mark.run(at + leaseMs, r.id);
        return rows.map((r): SpoolItem => {
          const body = JSON.parse(r.body) as unknown;
          return r.kind === 'finalize' ? { kind: 'finalize', id: r.id, runId: r.run_id ?? '', body } : { kind: r.kind as 'receipt' | 'breaker', id: r.id, body };
        });
      }).immediate();
    },
    done(id) {
      d.prepare('DELETE FROM spool WHERE id = ?').run(id);
    },
    rejected(id, reason, at, maxAttempts) {
      const row = d.prepare('SELECT attempts FROM spool WHERE id = ?').get(id) as { attempts: number } | undefined;
      if (!row) return;
      if (row.attempts >= maxAttempts) d.prepare('UPDATE spool SET rejected = ? WHERE id = ?').run(reason.slice(0, 500), id);
      else d.prepare('UPDATE spool SET leased_until = ? WHERE id = ?').run(at + 60_000, id);
    },
    size: () => (d.prepare('SELECT count(*) AS n FROM spool WHERE rejected IS NULL').get() as { n: number }).n,
    putRun(r) {
      d.prepare('INSERT OR REPLACE INTO runs (tool_use_id, run_id, local_receipt_id, started_at) VALUES (?, ?, ?, ?)').run(r.toolUseId, r.runId, r.localReceiptId, r.startedAt);
    },
    takeRun(toolUseId) {
      return d.transaction(() => {
        const r = d.prepare('SELECT * FROM runs WHERE tool_use_id = ?').get(toolUseId) as { tool_use_id: string; run_id: string | null; local_receipt_id: string | null; started_at: number } | undefined;
        if (!r) return null;
        d.prepare('DELETE FROM runs WHERE tool_use_id = ?').run(toolUseId);
        return { toolUseId: r.tool_use_id, runId: r.run_id, localReceiptId: r.local_receipt_id, startedAt: r.started_at };
      }).immediate();
    },
    close: () => d.close(),
  };
}
