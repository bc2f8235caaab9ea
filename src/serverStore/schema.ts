import type { Generated } from 'kysely';

/** Accounts: one per bootstrapped agent install (or created by an operator). */
export interface AccountsTable {
  id: string;
  created_at: number;
  /** SHA-256 of the bootstrap fingerprint (null for accounts made by an operator). */
  fingerprint_hash: string | null;
  label: string;
  /** The last receipt sequence number handed out; bumped under the row lock (gapless per account). */
  receipt_seq: number;
}

/** API keys and approver tokens, stored as SHA-256 of the secret only. */
export interface ApiKeysTable {
  key_hash: string;
  /** Null: an operator token valid for every account. */
  account_id: string | null;
  kind: 'agent' | 'approver';
  /** The last characters, for people to tell keys apart. */
  hint: string;
  label: string;
  install_id: string | null;
  created_at: number;
  revoked_at: number | null;
}

/** Every receipt: per-account gapless `seq`, global `gid` for cross-account pagination. */
export interface ReceiptsTable {
  gid: Generated<number>;
  account_id: string;
  seq: number;
  id: string;
  content_hash: string;
  kind: string;
  tool: string;
  decision: string | null;
  risk_level: string | null;
  approval_state: string | null;
  session_id: string | null;
  tool_use_id: string | null;
  at_ms: number;
  leaf_hash: string;
  body: string;
}

/** A tool run in flight: decision receipt id = run id; closed when its outcome arrives. */
export interface RunsTable {
  account_id: string;
  run_id: string;
  content_hash: string;
  session_id: string;
  tool: string;
  cwd: string;
  intent_body: string;
  mode: string;
  started_at: number;
  outcome_receipt_id: string | null;
}

/** The approval statechart of one content hash in one account (persisted snapshot as JSON). */
export interface ApprovalsTable {
  account_id: string;
  content_hash: string;
  state: string;
  snapshot: string;
  requested_at: number;
  updated_at: number;
}

/** Every step of an approval statechart, for the receipt's history. */
export interface ApprovalEventsTable {
  gid: Generated<number>;
  account_id: string;
  content_hash: string;
  type: string;
  at_ms: number;
  actor: string | null;
  state_after: string;
  body: string;
}

/** Files the agent wrote in a session (cross-call taint for the classifier). */
export interface SessionWritesTable {
  account_id: string;
  session_id: string;
  path: string;
  content: string;
  at_ms: number;
}

/** Human approvers of the dashboard. `account_id` null = operator for every account. */
export interface ApproversTable {
  id: string;
  name: string;
  account_id: string | null;
  /** scrypt hash `scrypt$N$r$p$salt$hash` (base64url), or null until a password is set. */
  password_hash: string | null;
  created_at: number;
}

/** One-time login links (hash of the token). */
export interface LoginTokensTable {
  token_hash: string;
  approver_id: string;
  expires_at: number;
  used_at: number | null;
}

/** Dashboard sessions (hash of the cookie value) with their CSRF token. */
export interface SessionsTable {
  token_hash: string;
  approver_id: string;
  csrf: string;
  expires_at: number;
}

/** Every table of the server database. */
export interface ServerDatabase {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  receipts: ReceiptsTable;
  runs: RunsTable;
  approvals: ApprovalsTable;
  approval_events: ApprovalEventsTable;
  session_writes: SessionWritesTable;
  approvers: ApproversTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
}
