import type { Receipt } from '../receipts/receipt.js';
import { persistedApprovalSchema } from '../state/approvalStore.js';
import type { ApprovalRow, RunRow, ServerReceipt } from './serverStore.js';

/** A database integer (PostgreSQL int8 may arrive as a string) as a number. */
export const n = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** A `receipts` row as a stored receipt. */
export function toReceipt(row: { gid: unknown; account_id: string; seq: unknown; leaf_hash: string; body: string }): ServerReceipt {
  return { gid: n(row.gid), accountId: row.account_id, seq: n(row.seq), leafHash: row.leaf_hash, receipt: JSON.parse(row.body) as Receipt };
}

/** An `approvals` row, its snapshot validated. */
export function toApproval(row: { account_id: string; content_hash: string; snapshot: string }): ApprovalRow {
  return { accountId: row.account_id, contentHash: row.content_hash, approval: persistedApprovalSchema.parse(JSON.parse(row.snapshot)) };
}

/** A `runs` row of an account. */
export function toRun(accountId: string, r: {
  run_id: string; content_hash: string; session_id: string; tool: string; cwd: string; intent_body: string; mode: string; started_at: unknown; outcome_receipt_id: string | null;
}): RunRow {
  return {
    accountId, runId: r.run_id, contentHash: r.content_hash, sessionId: r.session_id, tool: r.tool, cwd: r.cwd,
    intentBody: JSON.parse(r.intent_body) as unknown, mode: r.mode === 'enforce' ? 'enforce' : 'observe', startedAt: n(r.started_at),
    outcomeReceiptId: r.outcome_receipt_id,
  };
}
