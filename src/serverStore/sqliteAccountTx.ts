import type BetterSqlite3 from 'better-sqlite3';
import type { PersistedApproval } from '../state/approvalStore.js';
import { canonicalReceipt } from '../store/sqliteStore.js';
import type { AccountTx } from './serverStore.js';
import type { SqliteLogFold } from './sqliteLogFold.js';
import { n, toApproval, toReceipt, toRun } from './rows.js';

/**
 * Account transactions straight on the better-sqlite3 connection, for the SQLite group commit: the
 * same statements as the Kysely version (kyselyServerStore.ts), prepared once. Kysely compiles and
 * prepares every query again, which costs more than running these small ones. The caller holds the
 * connection (and the open transaction) while the returned transaction is used. With `fold`, each
 * new receipt's leaf goes into its account's log tree in the same transaction.
 */
export function sqliteAccountTxFactory(db: BetterSqlite3.Database, fold: SqliteLogFold | null = null): (accountId: string) => AccountTx {
  const s = {
    approval: db.prepare('SELECT account_id, content_hash, snapshot FROM approvals WHERE account_id = ? AND content_hash = ?'),
    putApproval: db.prepare(`INSERT INTO approvals (account_id, content_hash, state, snapshot, requested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account_id, content_hash) DO UPDATE SET state = excluded.state, snapshot = excluded.snapshot, requested_at = excluded.requested_at, updated_at = excluded.updated_at`),
    addEvent: db.prepare('INSERT INTO approval_events (account_id, content_hash, type, at_ms, actor, state_after, body) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    existing: db.prepare('SELECT gid, account_id, seq, leaf_hash, body FROM receipts WHERE account_id = ? AND id = ?'),
    bump: db.prepare('UPDATE accounts SET receipt_seq = receipt_seq + 1 WHERE id = ? RETURNING receipt_seq'),
    insertReceipt: db.prepare(`INSERT INTO receipts (account_id, seq, id, content_hash, kind, tool, decision, risk_level, approval_state, session_id, tool_use_id, at_ms, leaf_hash, body)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING gid`),
    openRun: db.prepare(`INSERT INTO runs (account_id, run_id, content_hash, session_id, tool, cwd, intent_body, mode, started_at, outcome_receipt_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (account_id, run_id) DO NOTHING`),
    run: db.prepare('SELECT * FROM runs WHERE account_id = ? AND run_id = ?'),
    closeRun: db.prepare('UPDATE runs SET outcome_receipt_id = ? WHERE account_id = ? AND run_id = ?'),
    recordWrite: db.prepare(`INSERT INTO session_writes (account_id, session_id, path, content, at_ms) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (account_id, session_id, path) DO UPDATE SET content = excluded.content, at_ms = excluded.at_ms`),
  };
  type ReceiptRowRaw = { gid: number; account_id: string; seq: number; leaf_hash: string; body: string };
  type RunRowRaw = Parameters<typeof toRun>[1];
  return (accountId) => ({
    accountId,
    async approval(hash) {
      const row = s.approval.get(accountId, hash) as { account_id: string; content_hash: string; snapshot: string } | undefined;
      return row ? toApproval(row).approval : null;
    },
    async putApproval(hash, approval: PersistedApproval, at) {
      s.putApproval.run(accountId, hash, approval.value, JSON.stringify(approval), approval.context.requestedAt, at);
    },
    async addApprovalEvent(e) {
      s.addEvent.run(accountId, e.contentHash, e.type, e.at, e.actor, e.stateAfter, JSON.stringify(e.body));
    },
    async appendReceipt(receipt, opts) {
      const existing = opts?.fresh ? undefined : s.existing.get(accountId, receipt.id) as ReceiptRowRaw | undefined;
      if (existing) return { stored: toReceipt(existing), duplicate: true };
      const seq = n((s.bump.get(accountId) as { receipt_seq: number }).receipt_seq);
      const { body, leafHash } = canonicalReceipt(receipt);
      const { gid } = s.insertReceipt.get(
        accountId, seq, receipt.id, receipt.content_hash, receipt.kind, receipt.tool, receipt.decision, receipt.risk?.level ?? null, receipt.approval_state,
        receipt.session_id, receipt.tool_use_id, Date.parse(receipt.at) || 0, leafHash, body,
      ) as { gid: number };
      fold?.append(accountId, seq, leafHash);
      return { stored: { gid: n(gid), accountId, seq, leafHash, receipt }, duplicate: false };
    },
    async openRun(r) {
      s.openRun.run(accountId, r.runId, r.contentHash, r.sessionId, r.tool, r.cwd, JSON.stringify(r.intentBody), r.mode, r.startedAt);
    },
    async run(runId) {
      const r = s.run.get(accountId, runId) as RunRowRaw | undefined;
      return r ? toRun(accountId, r) : null;
    },
    async closeRun(runId, outcomeReceiptId) {
      s.closeRun.run(outcomeReceiptId, accountId, runId);
    },
    async recordWrite(sessionId, path, content, at) {
      s.recordWrite.run(accountId, sessionId, path, content.slice(0, 1_000_000), at);
    },
  });
}

/** Most account ids {@link touchAccount} remembers before it starts over. */
const KNOWN_ACCOUNTS_MAX = 100_000;

/**
 * Whether the account exists. (PostgreSQL locks the account's row here; in SQLite the group already
 * holds the database's write lock from BEGIN IMMEDIATE, so a read is enough.) No account is ever
 * deleted, so one found once is remembered and not looked up again; one not found is looked up
 * every time (it may be created later).
 */
export function touchAccount(db: BetterSqlite3.Database): (accountId: string) => boolean {
  const stmt = db.prepare('SELECT 1 FROM accounts WHERE id = ?');
  const known = new Set<string>();
  return (accountId) => {
    if (known.has(accountId)) return true;
    if (stmt.get(accountId) === undefined) return false;
    if (known.size >= KNOWN_ACCOUNTS_MAX) known.clear();
    known.add(accountId);
    return true;
  };
}
