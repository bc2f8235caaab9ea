/** Who performed an approval act. Only humans approve; `via` says through which surface. */
export interface Approver {
  /** A human-readable identity (OS user, dashboard account, approver token name). */
  id: string;
  via: 'cli' | 'dashboard' | 'mcp-elicitation' | 'agent-mediated' | 'api';
}

/** How far an approval reaches, chosen by the approver. */
export type ApprovalScope =
  | { kind: 'once' }
  | { kind: 'session'; sessionId: string }
  | { kind: 'until'; until: number };

/** What survives between processes for one intent (content hash). */
export interface ApprovalContext {
  /** `sha256:<hex>` of the intent this approval binds to. Never changes. */
  hash: string;
  tool: string;
  /** The session that first asked. */
  sessionId: string;
  /** When the approval was requested (ms). */
  requestedAt: number;
  /** When a still-unanswered request expires (ms). */
  expiresAt: number;
  /** Why approval is required (the policy's reason). */
  reason: string;
  /** Set once a human answers. */
  decidedAt: number | null;
  decidedBy: Approver | null;
  scope: ApprovalScope | null;
  /** Why it ended denied: a human's reason, `stop sweep`, or `expired`. */
  denialReason: string | null;
  /** Retries let through on this approval. */
  uses: number;
}

/** Input when a new approval actor is created for an intent. */
export interface ApprovalInput {
  hash: string;
  tool: string;
  sessionId: string;
  at: number;
  ttlMs: number;
  reason: string;
}

/**
 * Events are past-tense facts with who and when.
 * - `block.delivered`: the hook returned the block to Codex (the human can now be asked).
 * - `human.approved` / `human.denied`: a human answered.
 * - `intent.retried`: the agent asked for the same intent again.
 * - `session.stopped`: Codex's Stop hook ran for a session (sweeps that session's pending intents).
 * - `time.checked`: a process looked at the approval at time `at` (expiry is data, not a timer).
 */
export type ApprovalEvent =
  | { type: 'block.delivered'; at: number }
  | { type: 'human.approved'; at: number; by: Approver; scope: ApprovalScope }
  | { type: 'human.denied'; at: number; by: Approver; reason?: string }
  | { type: 'intent.retried'; at: number; sessionId: string }
  | { type: 'session.stopped'; at: number; sessionId: string }
  | { type: 'time.checked'; at: number };
