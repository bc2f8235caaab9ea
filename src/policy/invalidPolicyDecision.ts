import type { RiskLevel } from '../risk/riskLevel.js';
import type { PolicyDecision } from './policyDecision.js';

/**
 * The decision for every call while the policy file is invalid (enforce mode): deny, naming the
 * file, the line and the error so the user can fix it.
 */
export function invalidPolicyDecision(invalid: { file: string; line: number | null; message: string }, risk: RiskLevel = 'high'): PolicyDecision {
  const where = invalid.line !== null ? `${invalid.file}:${invalid.line}` : invalid.file;
  return {
    action: 'deny',
    reason: `the VAIBOT policy file ${where} is invalid (${invalid.message.replace(/[.\s]+$/, '')}); every tool call is denied until it is fixed`,
    ruleIds: ['policy.invalid'],
    risk,
  };
}
