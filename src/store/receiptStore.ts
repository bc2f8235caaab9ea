import type { Receipt } from '../receipts/receipt.js';

/** A tool run in flight: links the outcome (PostToolUse) to its decision (PreToolUse). */
export interface RunRecord {
  toolUseId: string;
  sessionId: string;
  contentHash: string;
  decisionReceiptId: string;
  startedAt: number;
}

/** A stored receipt with its position in the log. */
export interface StoredReceipt {
  seq: number;
  leafHash: string;
  receipt: Receipt;
}

/** Filters for listing receipts. */
export interface ReceiptQuery {
  limit?: number;
  /** Only receipts with seq below this (pagination, newest first). */
  beforeSeq?: number;
  contentHash?: string;
  sessionId?: string;
  kind?: Receipt['kind'];
}

/** Where receipts and run state live: SQLite embedded, Postgres for the server. */
export interface ReceiptStore {
  /** Append a receipt (and optionally start a run) in one durable transaction. */
  append(receipt: Receipt, run?: RunRecord): StoredReceipt;
  /** Append an outcome receipt and close its run in one transaction. */
  appendOutcome(receipt: Receipt, toolUseId: string | null): StoredReceipt;
  /** Newest first. */
  list(query?: ReceiptQuery): StoredReceipt[];
  byId(id: string): StoredReceipt | null;
  run(toolUseId: string): RunRecord | null;
  /** Record what the agent wrote to a file this session (cross-call taint). */
  recordWrite(sessionId: string, path: string, content: string, at: number): void;
  /** Files the agent wrote this session, newest content per path. */
  sessionWrites(sessionId: string): Map<string, string>;
  /** Number of receipts stored. */
  count(): number;
  close(): void;
}
