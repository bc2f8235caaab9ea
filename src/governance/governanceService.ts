import type { Intent } from '../intent/intent.js';
import type { Decision } from '../receipts/receipt.js';
import type { RiskAssessment } from '../risk/assessment.js';
import type { Mode } from '../config/settings.js';

/** Why a verdict is what it is. */
export type VerdictBasis =
  | 'policy'
  | 'previously_approved'
  | 'previously_denied'
  | 'awaiting_approval'
  | 'policy_invalid'
  | 'breaker_open';

/** What every governed call carries: the intent and its hash, where it comes from, and when. */
export interface CallContext {
  intent: Intent;
  hash: string;
  sessionId: string;
  turnId: string | null;
  toolUseId: string | null;
  model: string | null;
  mode: Mode;
  at: number;
}

/** A request to decide one tool call. */
export interface DecisionRequest extends CallContext {
  event: 'PreToolUse' | 'PermissionRequest';
}

/** The verdict on one tool call. `decision` is what enforce mode applies. */
export interface Verdict {
  decision: Decision;
  /** What the policy alone said. */
  policyDecision: Decision;
  basis: VerdictBasis;
  reason: string;
  risk: RiskAssessment;
  ruleIds: string[];
  /** The approval state for this hash after the decision, if approvals are involved. */
  approvalState: string | null;
  receiptId: string;
}

/** The outcome of a tool run (PostToolUse). */
export interface FinalizeRequest extends CallContext {
  toolResponse: unknown;
  /** Secrets found in the output and withheld from the model (kinds and hashes only). */
  withheld?: Array<{ kind: string; sha256: string }>;
}

/** The result of finalizing: the outcome receipt's id. */
export interface FinalizeResult {
  receiptId: string;
}

/** Decisions, outcomes and sweeps: answered locally (embedded) or by a server (remote). */
export interface GovernanceService {
  decide(req: DecisionRequest): Promise<Verdict>;
  finalize(req: FinalizeRequest): Promise<FinalizeResult>;
  /** Stop: sweep the session's still-pending intents to denied; returns how many. */
  sweep(sessionId: string, at: number, mode: Mode): Promise<number>;
}
