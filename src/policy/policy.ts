import type { RiskLevel } from '../risk/riskLevel.js';
import type { PolicyAction } from './policyAction.js';
import type { PolicyRule } from './policySchema.js';

/** Where a rule came from. */
export type PolicySource = 'default' | 'user' | 'project';

/** A rule in the effective policy, with its origin. */
export interface EffectiveRule extends PolicyRule {
  source: PolicySource;
  /** The file it was read from (absent for defaults). */
  file?: string;
}

/** The effective policy: escalation per level plus ordered rules (user rules, then project rules). */
export interface Policy {
  escalation: Record<RiskLevel, PolicyAction>;
  rules: EffectiveRule[];
  /** The files that were read, in order (user, project). */
  files: string[];
  /** Whether tool output that carries secrets is withheld from the model (default) or passed on. */
  outputs?: { secrets: 'withhold' | 'allow'; unscanned?: 'withhold' | 'pass' };
}
