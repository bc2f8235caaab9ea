import type { RiskLevel } from './riskLevel.js';

/** One rule that matched a tool call. */
export interface RiskFinding {
  /** Stable rule id, e.g. `fs.rm-recursive-home`. */
  ruleId: string;
  /** Rule category, e.g. `destroy-files`, `vcs-history`, `secrets`, `self-protection`. */
  category: string;
  /** The level this finding alone implies. */
  level: RiskLevel;
  /** A sentence for the person reading Codex's screen. */
  reason: string;
}

/** The classifier's verdict on one intent: the highest finding wins. */
export interface RiskAssessment {
  level: RiskLevel;
  /** Every finding, highest level first. Empty when nothing matched. */
  findings: RiskFinding[];
  /** The top finding's reason, or a neutral sentence when none matched. */
  reason: string;
}
