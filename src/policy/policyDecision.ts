import type { RiskLevel } from '../risk/riskLevel.js';
import type { PolicyAction } from './policyAction.js';

/** The policy's verdict on one tool call. */
export interface PolicyDecision {
  action: PolicyAction;
  /** One sentence for the user (no trailing period: Codex appends `. Command: …`). */
  reason: string;
  /** Classifier rule ids that matched, then `policy:<id>` for every policy rule that applied. */
  ruleIds: string[];
  /** The classifier's level. */
  risk: RiskLevel;
}
