import type { ApprovalEvent, ApprovalInput } from '../../machines/approval.types.js';
import { loadApproval, newApproval, stepPersistedApproval, updateApproval, type ApprovalState, type PersistedApproval } from '../state/approvalStore.js';

/** What the approval statechart says about a call that policy sends to approval. */
export type ApprovalGateResult =
  | { kind: 'allow'; basis: 'previously_approved'; state: ApprovalState }
  | { kind: 'deny'; basis: 'previously_denied'; state: 'denied'; denialReason: string }
  | { kind: 'blocked'; basis: 'awaiting_approval'; state: ApprovalState; isNew: boolean };

/** Parameters of {@link approvalGate}: a new actor's input, plus where approvals are stored. */
export interface ApprovalGateRequest extends ApprovalInput {
  home: string;
}

const FINISHED: ReadonlySet<ApprovalState> = new Set(['consumed', 'expired']);

/**
 * Rehydrate the approval actor of this hash, step it, persist it atomically (under its lock), and
 * say whether the call may go: an approved intent's retry is let through (`previously_approved`),
 * a denied one stays denied, anything else waits for a human (a new actor starts `pending`).
 */
export function approvalGate(req: ApprovalGateRequest): ApprovalGateResult {
  return updateApproval<ApprovalGateResult>(req.home, req.hash, req.at, (current) => {
    let cur: PersistedApproval | null = current;
    let event: ApprovalEvent | undefined;
    if (cur !== null && cur.value !== 'denied') {
      event = cur.value === 'approved'
        ? { type: 'intent.retried', at: req.at, sessionId: req.sessionId }
        : { type: 'time.checked', at: req.at };
      const checked = stepPersistedApproval(cur, event);
      if (cur.value === 'approved' && checked.context.uses > cur.context.uses) {
        return { next: checked, result: { kind: 'allow', basis: 'previously_approved', state: checked.value }, event };
      }
      cur = checked;
    }
    if (cur !== null && cur.value === 'denied') {
      return {
        next: cur === current ? undefined : cur,
        result: { kind: 'deny', basis: 'previously_denied', state: 'denied', denialReason: cur.context.denialReason ?? 'denied' },
      };
    }
    if (cur === null || FINISHED.has(cur.value)) {
      const { home: _home, ...input } = req;
      const fresh = newApproval(input);
      return { next: fresh, result: { kind: 'blocked', basis: 'awaiting_approval', state: fresh.value, isNew: true }, event: { type: 'xstate.init' } };
    }
    return { next: cur, result: { kind: 'blocked', basis: 'awaiting_approval', state: cur.value, isNew: false }, ...(event ? { event } : {}) };
  });
}

/** Record that the block for this hash reached Codex: pending -> blocked_until_approved. */
export function markBlockDelivered(home: string, hash: string, at: number): ApprovalState | null {
  return updateApproval(home, hash, at, (cur) => {
    if (cur === null || cur.value !== 'pending') return { next: undefined, result: cur?.value ?? null };
    const event = { type: 'block.delivered', at } as const;
    const next = stepPersistedApproval(cur, event);
    return { next, result: next.value, event };
  });
}

/** The current approval state of a hash (null when none). */
export function approvalStateOf(home: string, hash: string): ApprovalState | null {
  return loadApproval(home, hash)?.value ?? null;
}
