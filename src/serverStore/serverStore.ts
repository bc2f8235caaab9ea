import type { Receipt } from '../receipts/receipt.js';
import type { PersistedApproval } from '../state/approvalStore.js';
import type { ServerDialect } from './migrations.js';
import type { ScopedReceiptLog } from '../receipts/kyselyLog.js';

/** An account as the API shows it. */
export interface AccountRecord {
  id: string;
  label: string;
  createdAt: number;
  receiptCount: number;
}

/** A key looked up by its hash. `accountId` null = operator token for every account. */
export interface KeyRecord {
  keyHash: string;
  accountId: string | null;
  kind: 'agent' | 'approver';
  hint: string;
  label: string;
  installId: string | null;
}

/** A stored receipt with its place in its account's log. */
export interface ServerReceipt {
  gid: number;
  accountId: string;
  seq: number;
  leafHash: string;
  receipt: Receipt;
}

/** A run opened by a decision and closed by its outcome. */
export interface RunRow {
  accountId: string;
  runId: string;
  contentHash: string;
  sessionId: string;
  tool: string;
  cwd: string;
  intentBody: unknown;
  mode: 'observe' | 'enforce';
  startedAt: number;
  outcomeReceiptId: string | null;
}

/** One step in an approval's history. */
export interface ApprovalEventRow {
  accountId: string;
  contentHash: string;
  type: string;
  at: number;
  actor: string | null;
  stateAfter: string;
  body: unknown;
}

/** An approval statechart snapshot of one hash in one account. */
export interface ApprovalRow {
  accountId: string;
  contentHash: string;
  approval: PersistedApproval;
}

/** Filters for listing receipts (newest first). */
export interface ReceiptFilter {
  /** Null: every account (operators). */
  accountIds: string[] | null;
  limit: number;
  /** Only receipts with a global id below this (the `next_cursor` of the previous page). */
  beforeGid?: number;
  decision?: string;
  riskLevel?: string;
  /** The current approval state of the receipt's content hash. */
  approvalStatus?: string;
  tool?: string;
  contentHash?: string;
  kind?: string;
}

/** A human approver of the dashboard. */
export interface ApproverRecord {
  id: string;
  name: string;
  accountId: string | null;
  passwordHash: string | null;
}

/** Work done inside one account's transaction: every write in it commits or none does. */
export interface AccountTx {
  readonly accountId: string;
  approval(hash: string): Promise<PersistedApproval | null>;
  putApproval(hash: string, approval: PersistedApproval, at: number): Promise<void>;
  addApprovalEvent(event: Omit<ApprovalEventRow, 'accountId'>): Promise<void>;
  /**
   * Append a receipt with the account's next sequence number. Idempotent by receipt id: a receipt
   * already stored is returned as it is (`duplicate: true`) and no number is used up. `fresh`: the
   * id was just made by the server (a random UUID), so the lookup for a stored one is skipped; the
   * unique index on (account, id) still refuses a clash.
   */
  appendReceipt(receipt: Receipt, opts?: { fresh?: boolean }): Promise<{ stored: ServerReceipt; duplicate: boolean }>;
  openRun(run: Omit<RunRow, 'accountId' | 'outcomeReceiptId'>): Promise<void>;
  run(runId: string): Promise<RunRow | null>;
  closeRun(runId: string, outcomeReceiptId: string): Promise<void>;
  recordWrite(sessionId: string, path: string, content: string, at: number): Promise<void>;
}

/** The server's storage: SQLite (default) or PostgreSQL (several instances), one interface. */
export interface ServerStore {
  readonly dialect: ServerDialect;
  /** Each account's verifiable log over its receipts (tree, checkpoints, anchors, proofs). */
  readonly log: ScopedReceiptLog;
  /** A cheap round trip to the database. */
  ping(): Promise<{ ok: true; latencyMs: number } | { ok: false; error: string }>;

  /** Create an account with its first agent key; `exists` when the fingerprint is taken. */
  createAccount(a: { id: string; label: string; fingerprintHash: string | null; at: number }, key?: Omit<KeyRecord, 'accountId'>): Promise<'created' | 'exists'>;
  account(id: string): Promise<AccountRecord | null>;
  accounts(): Promise<AccountRecord[]>;
  addKey(key: KeyRecord, at: number): Promise<void>;
  key(keyHash: string): Promise<KeyRecord | null>;

  /** Run `fn` in a transaction holding the account's lock (serializes every write of one account). */
  withAccount<T>(accountId: string, fn: (tx: AccountTx) => Promise<T>): Promise<T>;

  /** What the agent wrote in this session (for the classifier's script checks): a plain read, no transaction. */
  sessionWrites(accountId: string, sessionId: string): Promise<Map<string, string>>;
  receipts(filter: ReceiptFilter): Promise<ServerReceipt[]>;
  receipt(accountIds: string[] | null, id: string): Promise<ServerReceipt | null>;
  approvalEvents(accountId: string, hash: string): Promise<ApprovalEventRow[]>;
  /** Approvals of a hash, in the given accounts (null = all). */
  approvalsOf(accountIds: string[] | null, hash: string): Promise<ApprovalRow[]>;
  /** Approvals in the given states, newest request first. */
  approvalsIn(accountIds: string[] | null, states: string[], limit: number): Promise<ApprovalRow[]>;

  createApprover(a: ApproverRecord, at: number): Promise<void>;
  approver(id: string): Promise<ApproverRecord | null>;
  approverByName(name: string): Promise<ApproverRecord | null>;
  approverCount(): Promise<number>;
  setPassword(approverId: string, passwordHash: string): Promise<void>;
  addLoginToken(tokenHash: string, approverId: string, expiresAt: number): Promise<void>;
  /** Use a login token once: returns its approver, or null if unknown, used or expired. */
  useLoginToken(tokenHash: string, at: number): Promise<string | null>;
  addSession(tokenHash: string, approverId: string, csrf: string, expiresAt: number): Promise<void>;
  session(tokenHash: string, at: number): Promise<{ approverId: string; csrf: string } | null>;
  deleteSession(tokenHash: string): Promise<void>;

  close(): Promise<void>;
}
