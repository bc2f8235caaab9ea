/**
 * The policy engine's public surface.
 */
export { DEFAULT_POLICY } from './defaultPolicy.js';
export { evaluate, ruleMatches } from './evaluate.js';
export { invalidPolicyDecision } from './invalidPolicyDecision.js';
export { type LoadPolicyOptions, type LoadPolicyResult, findProjectPolicy, loadPolicy, userPolicyFile } from './loadPolicy.js';
export type { EffectiveRule, Policy, PolicySource } from './policy.js';
export { POLICY_ACTIONS, type PolicyAction, actionRank, stricterAction } from './policyAction.js';
export type { PolicyDecision } from './policyDecision.js';
export { type PolicyFile, type PolicyMatch, type PolicyRule, policyFileSchema } from './policySchema.js';
