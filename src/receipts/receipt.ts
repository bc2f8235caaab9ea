import type { RiskLevel } from '../risk/riskLevel.js';

/** The current receipt format version. */
export const RECEIPT_VERSION = 1;

/** A governance verdict. */
export type Decision = 'allow' | 'deny' | 'approval_required';

/** What happened when the tool ran (outcome receipts only). Never the output itself. */
export interface Outcome {
  status: 'succeeded' | 'failed' | 'unknown';
  exit_code: number | null;
  duration_ms: number | null;
  /** A short error summary (first line, redacted, bounded), or null. */
  error: string | null;
  /** `sha256:<hex>` of the tool's response as Codex reported it. */
  output_sha256: string;
  /** Secrets found in the output and withheld from the model: kind and hash only. */
  withheld?: Array<{ kind: string; sha256: string }>;
}

/**
 * One receipt: a decision (PreToolUse / PermissionRequest / Stop sweep) or an outcome (PostToolUse).
 * Stored redacted; `content_hash` is computed over the original intent (see docs/receipts.md).
 */
export interface Receipt {
  v: typeof RECEIPT_VERSION;
  id: string;
  kind: 'decision' | 'outcome';
  content_hash: string;
  tool: string;
  cwd: string;
  /** The intent with secrets redacted. */
  intent: unknown;
  risk: { level: RiskLevel; rule_ids: string[]; reason: string } | null;
  /** What the hook enforced (observe mode: always allow). */
  decision: Decision | null;
  mode: 'observe' | 'enforce';
  /** What the policy said, whether or not it was enforced. */
  shadow_decision: Decision | null;
  /** Why this decision: `policy`, `previously_approved`, `previously_denied`, `awaiting_approval`, `stop_sweep`, `failure:<code>` … */
  basis: string;
  approval_state: string | null;
  session_id: string | null;
  turn_id: string | null;
  tool_use_id: string | null;
  event: string;
  agent: { /** The agent that asked: 'codex' for this plugin, or a v2 client's agent_id. */ name: string; model: string | null; install_id: string | null };
  at: string;
  /** The receipt this one follows for the same run (an outcome follows its decision). */
  follows: string | null;
  outcome?: Outcome;
}
