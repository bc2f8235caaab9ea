/** What a policy can decide for a tool call. */
export const POLICY_ACTIONS = ['allow', 'approval_required', 'deny'] as const;

/** A policy action. */
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** Strictness order: allow < approval_required < deny. */
export function actionRank(a: PolicyAction): number {
  return POLICY_ACTIONS.indexOf(a);
}

/** The stricter of two actions. */
export function stricterAction(a: PolicyAction, b: PolicyAction): PolicyAction {
  return actionRank(a) >= actionRank(b) ? a : b;
}
