import type { Intent } from '../intent/intent.js';
import type { Decision } from '../receipts/receipt.js';
import type { RiskAssessment } from '../risk/assessment.js';

/** What risk classification plus policy say about one intent, before approvals are consulted. */
export interface EngineVerdict {
  action: Decision;
  reason: string;
  ruleIds: string[];
  risk: RiskAssessment;
  /** `policy_invalid` when the policy file could not be used (then action is deny). */
  basis: 'policy' | 'policy_invalid';
}

/** Classify and evaluate one intent. Pure apart from path resolution; `sessionWrites` feeds cross-call taint. */
export type DecisionEngine = ((intent: Intent, sessionWrites: ReadonlyMap<string, string>) => EngineVerdict) & {
  /** Whether tool output carrying secrets is withheld from the model (policy `outputs.secrets`; default withhold). */
  secretsInOutput?: 'withhold' | 'allow';
  /** What happens to output past the scan bound (policy `outputs.unscanned`; default withhold). */
  unscannedOutput?: 'withhold' | 'pass';
};
