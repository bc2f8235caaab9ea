import type { ApprovalEvent, ApprovalScope, Approver } from '../../machines/approval.types.js';
import { newApproval, stepPersistedApproval, type ApprovalState, type PersistedApproval } from '../state/approvalStore.js';
import { approvedWhy } from '../governance/humanApprovals.js';

/** What the approval statechart says about a call that policy sends to approval (server side). */
export type ApprovalStepResult =
  | { kind: 'allow'; state: ApprovalState }
  | { kind: 'deny'; state: 'denied'; denialReason: string }
  | { kind: 'blocked'; state: ApprovalState; isNew: boolean };

/** A step of one approval actor: the next snapshot (undefined = unchanged), the events applied, the result. */
export interface ApprovalStep<R> {
  next: PersistedApproval | undefined;
  events: ApprovalEvent[];
  result: R;
}

const FINISHED: ReadonlySet<ApprovalState> = new Set(['consumed', 'expired']);

/**
 * The decision-time step of one hash's approval statechart, pure: the same rules as the embedded
 * gate. An approved intent's retry is let through (and counted), a denied one stays denied, an
 * unknown / finished one starts a new actor `pending` and, because the server's answer is the
 * delivery of the block, steps it to `blocked_until_approved` at once.
 */
export function decisionApprovalStep(
  current: PersistedApproval | null,
  req: { hash: string; tool: string; sessionId: string; at: number; ttlMs: number; reason: string },
): ApprovalStep<ApprovalStepResult> {
  let cur = current;
  const events: ApprovalEvent[] = [];
  if (cur !== null && cur.value !== 'denied') {
    const event: ApprovalEvent = cur.value === 'approved'
      ? { type: 'intent.retried', at: req.at, sessionId: req.sessionId }
      : { type: 'time.checked', at: req.at };
    const checked = stepPersistedApproval(cur, event);
    if (checked.value !== cur.value || checked.context.uses !== cur.context.uses) events.push(event);
    if (cur.value === 'approved' && checked.context.uses > cur.context.uses) {
      return { next: checked, events, result: { kind: 'allow', state: checked.value } };
    }
    cur = checked;
  }
  if (cur !== null && cur.value === 'denied') {
    return { next: cur === current ? undefined : cur, events, result: { kind: 'deny', state: 'denied', denialReason: cur.context.denialReason ?? 'denied' } };
  }
  if (cur === null || FINISHED.has(cur.value)) {
    const fresh = newApproval({ hash: req.hash, tool: req.tool, sessionId: req.sessionId, at: req.at, ttlMs: req.ttlMs, reason: req.reason });
    const delivered: ApprovalEvent = { type: 'block.delivered', at: req.at };
    const next = stepPersistedApproval(fresh, delivered);
    return { next, events: [...events, delivered], result: { kind: 'blocked', state: next.value, isNew: true } };
  }
  return { next: events.length ? cur : undefined, events, result: { kind: 'blocked', state: cur.value, isNew: false } };
}

/** The result of a human act on an approval. */
export type HumanStepResult = { changed: true; state: ApprovalState } | { changed: false; state: ApprovalState; why: string };

/** A human approves: the same rules as `vaibot approve` (idempotent; denial is final; expiry wins). */
export function approveStep(cur: PersistedApproval, by: Approver, scope: ApprovalScope, at: number): ApprovalStep<HumanStepResult> {
  if (cur.value === 'denied') return { next: undefined, events: [], result: { changed: false, state: cur.value, why: 'it was already denied; denial is final' } };
  if (cur.value === 'approved') return { next: undefined, events: [], result: { changed: false, state: cur.value, why: approvedWhy(cur, at) } };
  if (cur.value === 'consumed') return { next: undefined, events: [], result: { changed: false, state: cur.value, why: 'its approval was already used; the next attempt will ask again' } };
  if (cur.value === 'expired') return { next: undefined, events: [], result: { changed: false, state: cur.value, why: 'the request expired; ask the agent to retry to create a new one' } };
  const event: ApprovalEvent = { type: 'human.approved', at, by, scope };
  const next = stepPersistedApproval(cur, event);
  if (next.value !== 'approved') {
    return { next, events: [{ type: 'time.checked', at }], result: { changed: false, state: next.value, why: 'the request expired; ask the agent to retry to create a new one' } };
  }
  return { next, events: [event], result: { changed: true, state: next.value } };
}

/** A human denies (final; idempotent). */
export function denyStep(cur: PersistedApproval, by: Approver, reason: string | undefined, at: number): ApprovalStep<HumanStepResult> {
  if (cur.value === 'denied') return { next: undefined, events: [], result: { changed: false, state: cur.value, why: 'it is already denied' } };
  if (cur.value === 'consumed' || cur.value === 'expired') return { next: undefined, events: [], result: { changed: false, state: cur.value, why: `it is ${cur.value}` } };
  const event: ApprovalEvent = { type: 'human.denied', at, by, ...(reason ? { reason } : {}) };
  const next = stepPersistedApproval(cur, event);
  return { next, events: [event], result: { changed: true, state: next.value } };
}
