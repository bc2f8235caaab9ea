import type { Policy } from './policy.js';

/**
 * The policy when no file exists: high risk needs a human's approval, dangerous is denied,
 * everything below is allowed. No rules.
 */
export const DEFAULT_POLICY: Policy = Object.freeze({
  escalation: Object.freeze({ none: 'allow', low: 'allow', medium: 'allow', high: 'approval_required', dangerous: 'deny' }),
  rules: [],
  files: [],
  outputs: Object.freeze({ secrets: 'withhold' as const, unscanned: 'withhold' as const }),
}) as Policy;
