import type { Mode } from '../config/settings.js';
import type { PersistedBreaker } from '../state/breakerStore.js';

/** What the breaker lets a call do. */
export type BreakerGate =
  /** Call the governance server (closed, or this call holds the half-open trial). */
  | { kind: 'call' }
  /** Do not call; let the tool through (allowlisted, or observe mode) with a breadcrumb. */
  | { kind: 'pass'; breadcrumb: string }
  /** Do not call; deny with an actionable reason. */
  | { kind: 'deny'; reason: string };

/** Breaker options the gate needs. */
export interface BreakerGateSettings {
  allowlist: readonly string[];
  denylist: readonly string[];
  failureThreshold: number;
  windowMs: number;
}

/**
 * Decide, after `call.requested` was recorded, what a call may do. Closed -> call. Half-open and
 * this call holds the trial -> call. Otherwise the breaker is tripped: the denylist wins, then the
 * allowlist passes, everything else is denied (observe mode never blocks, it only logs).
 */
export function breakerGate(after: PersistedBreaker, callId: string, tool: string, mode: Mode, s: BreakerGateSettings, at: number): BreakerGate {
  if (after.value === 'closed') return { kind: 'call' };
  if (after.value === 'half_open' && after.context.trial?.id === callId) return { kind: 'call' };
  const openedAt = after.context.openedAt ?? at;
  const retryInS = Math.max(0, Math.ceil((openedAt + after.context.cooldownMs - at) / 1000));
  const state = after.value === 'half_open' ? 'half-open (another call is testing the server)' : `open for about ${retryInS}s more`;
  if (mode === 'observe') {
    return { kind: 'pass', breadcrumb: `VAIBot [observe]: breaker ${state}; ${tool} allowed without a governance decision` };
  }
  if (s.denylist.includes(tool)) {
    return { kind: 'deny', reason: `VAIBot: the governance server is unreachable (breaker ${state}) and ${tool} is in VAIBOT_BREAKER_DENYLIST, so it is blocked until the server answers again` };
  }
  if (s.allowlist.includes(tool)) {
    return { kind: 'pass', breadcrumb: `VAIBot: breaker ${state}; ${tool} passes (VAIBOT_BREAKER_ALLOWLIST)` };
  }
  return {
    kind: 'deny',
    reason:
      `VAIBot: the governance server is unreachable (breaker ${state}), so ${tool} cannot be checked and is blocked. ` +
      `Next steps: wait for the cooldown and retry; or add ${tool} to VAIBOT_BREAKER_ALLOWLIST; or raise VAIBOT_BREAKER_FAILURE_THRESHOLD (now ${s.failureThreshold} in ${s.windowMs} ms); ` +
      'or run `vaibot breaker reset` once the server is back',
  };
}
