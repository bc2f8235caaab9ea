import type { Approver, ApprovalEvent, ApprovalScope } from '../../machines/approval.types.js';
import { listApprovalHashes, loadApproval, stepPersistedApproval, updateApproval, type PersistedApproval } from '../state/approvalStore.js';
import { VaibotError, isVaibotError } from '../util/vaibotError.js';
import { grantLapsed } from '../../machines/approval.machine.js';

/** Why approving an approved intent changes nothing: it still holds, or it lapsed unused. */
export function approvedWhy(cur: PersistedApproval, at: number): string {
  return grantLapsed(cur.context, at)
    ? 'its earlier approval lapsed unused (VAIBOT_APPROVAL_TTL_MS); ask the agent to retry, then approve the new request'
    : 'it is already approved';
}

/** The outcome of a human approval act. */
export type HumanActResult =
  | { kind: 'done'; approval: PersistedApproval; event: ApprovalEvent }
  | { kind: 'unchanged'; approval: PersistedApproval; why: string };

function act(home: string, hash: string, at: number, apply: (cur: PersistedApproval) => HumanActResult): HumanActResult {
  return updateApproval<HumanActResult>(home, hash, at, (cur) => {
    if (cur === null) {
      throw new VaibotError('not_found', `no approval request for ${hash}: check the hash with \`vaibot pending\``);
    }
    const result = apply(cur);
    return result.kind === 'done' ? { next: result.approval, result, event: result.event } : { next: undefined, result };
  });
}

/** A human approves the intent with this hash (scope: once by default). */
export function approveIntent(home: string, hash: string, by: Approver, scope: ApprovalScope = { kind: 'once' }, at = Date.now()): HumanActResult {
  return act(home, hash, at, (cur) => {
    if (cur.value === 'denied') return { kind: 'unchanged', approval: cur, why: 'it was already denied; denial is final' };
    if (cur.value === 'approved') return { kind: 'unchanged', approval: cur, why: approvedWhy(cur, at) };
    if (cur.value === 'consumed') return { kind: 'unchanged', approval: cur, why: 'its approval was already used; the next attempt will ask again' };
    const event: ApprovalEvent = { type: 'human.approved', at, by, scope };
    const next = stepPersistedApproval(cur, event);
    if (next.value !== 'approved') return { kind: 'unchanged', approval: next, why: 'the request expired; ask the agent to retry to create a new one' };
    return { kind: 'done', approval: next, event };
  });
}

/** A human denies the intent with this hash (final). */
export function denyIntent(home: string, hash: string, by: Approver, reason: string | undefined, at = Date.now()): HumanActResult {
  return act(home, hash, at, (cur) => {
    if (cur.value === 'denied') return { kind: 'unchanged', approval: cur, why: 'it is already denied' };
    if (cur.value === 'consumed' || cur.value === 'expired') return { kind: 'unchanged', approval: cur, why: `it is ${cur.value}` };
    const event: ApprovalEvent = { type: 'human.denied', at, by, ...(reason ? { reason } : {}) };
    return { kind: 'done', approval: stepPersistedApproval(cur, event), event };
  });
}

/** An approval request, with the file problem if it could not be read. */
export type ApprovalListing =
  | { hash: string; ok: true; approval: PersistedApproval }
  | { hash: string; ok: false; error: string };

/** Every stored approval (unreadable ones reported, not hidden), newest request first. */
export function listApprovals(home: string): ApprovalListing[] {
  const out: ApprovalListing[] = [];
  for (const hash of listApprovalHashes(home)) {
    try {
      const approval = loadApproval(home, hash);
      if (approval) out.push({ hash, ok: true, approval });
    } catch (err) {
      if (!isVaibotError(err)) throw err;
      out.push({ hash, ok: false, error: err.message });
    }
  }
  return out.sort((a, b) => (b.ok ? b.approval.context.requestedAt : 0) - (a.ok ? a.approval.context.requestedAt : 0));
}

/** Requests still waiting for a human (pending or blocked_until_approved, not yet expired at `at`). */
export function pendingApprovals(home: string, at = Date.now()): PersistedApproval[] {
  return listApprovals(home)
    .filter((l): l is Extract<ApprovalListing, { ok: true }> => l.ok)
    .map((l) => l.approval)
    .filter((a) => (a.value === 'pending' || a.value === 'blocked_until_approved') && a.context.expiresAt > at);
}

/** Stop sweep: every still-pending intent of this session becomes denied. Returns the swept hashes. */
export function sweepSession(home: string, sessionId: string, at: number): string[] {
  const swept: string[] = [];
  for (const listing of listApprovals(home)) {
    if (!listing.ok || listing.approval.value !== 'pending' || listing.approval.context.sessionId !== sessionId) continue;
    const changed = updateApproval(home, listing.hash, at, (cur) => {
      if (cur === null || cur.value !== 'pending') return { next: undefined, result: false };
      const event: ApprovalEvent = { type: 'session.stopped', at, sessionId };
      const next = stepPersistedApproval(cur, event);
      return { next, result: next.value === 'denied', event };
    });
    if (changed) swept.push(listing.hash);
  }
  return swept;
}
