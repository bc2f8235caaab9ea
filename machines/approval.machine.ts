import { and, assign, setup } from 'xstate';
import type { ApprovalContext, ApprovalEvent, ApprovalInput, ApprovalScope } from './approval.types.js';

export type { ApprovalContext, ApprovalEvent, ApprovalInput, ApprovalScope, Approver } from './approval.types.js';

/** Whether an approval with this scope still covers a retry at `at` from `sessionId`. */
export function scopeCovers(scope: ApprovalScope | null, uses: number, at: number, sessionId: string): boolean {
  if (scope === null) return false;
  switch (scope.kind) {
    case 'once':
      return uses === 0;
    case 'session':
      return scope.sessionId === sessionId;
    case 'until':
      return at < scope.until;
  }
}

/**
 * Whether a granted `once` or `session` approval has gone unused for too long: it stays usable for as
 * long as a request may wait for a human (VAIBOT_APPROVAL_TTL_MS), counted from when it was granted,
 * so an approval nobody used does not wait forever. `until` approvals carry their own end.
 */
export function grantLapsed(context: ApprovalContext, at: number): boolean {
  if (context.scope === null || context.scope.kind === 'until' || context.decidedAt === null) return false;
  return at >= context.decidedAt + (context.expiresAt - context.requestedAt);
}

/**
 * One actor per intent (content hash). Pure: expiry is evaluated from `at` on events.
 *
 * pending (decided approval_required, block not yet delivered) -> blocked_until_approved
 * -> approved | denied. `session.stopped` sweeps a still-pending intent of that session to denied.
 * An approved intent lets retries through while its scope covers them (a `once` or `session` grant for
 * at most the request TTL after it was given), then ends `consumed` or `expired`;
 * unanswered requests end `expired`. denied is terminal: retries stay denied.
 * `consumed` and `expired` are final too; a later call for the same hash starts a new actor.
 */
export const approvalMachine = setup({
  types: {
    context: {} as ApprovalContext,
    events: {} as ApprovalEvent,
    input: {} as ApprovalInput,
  },
  guards: {
    'same session': ({ context, event }) => 'sessionId' in event && event.sessionId === context.sessionId,
    'request expired': ({ context, event }) => event.at >= context.expiresAt,
    'scope covers retry': ({ context, event }) =>
      event.type === 'intent.retried' && scopeCovers(context.scope, context.uses, event.at, event.sessionId) && !grantLapsed(context, event.at),
    'scope is once': ({ context }) => context.scope?.kind === 'once',
    'scope lapsed': ({ context, event }) => (context.scope?.kind === 'until' && event.at >= context.scope.until) || grantLapsed(context, event.at),
  },
  actions: {
    'record approval': assign(({ event }) =>
      event.type === 'human.approved' ? { decidedAt: event.at, decidedBy: event.by, scope: event.scope } : {},
    ),
    'record human denial': assign(({ event }) =>
      event.type === 'human.denied'
        ? { decidedAt: event.at, decidedBy: event.by, denialReason: event.reason ?? 'denied by approver' }
        : {},
    ),
    'record sweep': assign(({ event }) => ({ decidedAt: event.at, denialReason: 'stop sweep: the turn ended before the block was delivered' })),
    'count use': assign(({ context }) => ({ uses: context.uses + 1 })),
  },
}).createMachine({
  id: 'approval',
  context: ({ input }) => ({
    hash: input.hash,
    tool: input.tool,
    sessionId: input.sessionId,
    requestedAt: input.at,
    expiresAt: input.at + input.ttlMs,
    reason: input.reason,
    decidedAt: null,
    decidedBy: null,
    scope: null,
    denialReason: null,
    uses: 0,
  }),
  initial: 'pending',
  states: {
    pending: {
      on: {
        'block.delivered': [
          { guard: 'request expired', target: 'expired' },
          { target: 'blocked_until_approved' },
        ],
        'human.approved': { target: 'approved', actions: 'record approval' },
        'human.denied': { target: 'denied', actions: 'record human denial' },
        'session.stopped': { guard: 'same session', target: 'denied', actions: 'record sweep' },
        'time.checked': { guard: 'request expired', target: 'expired' },
      },
    },
    blocked_until_approved: {
      on: {
        'human.approved': [
          { guard: 'request expired', target: 'expired' },
          { target: 'approved', actions: 'record approval' },
        ],
        'human.denied': { target: 'denied', actions: 'record human denial' },
        'time.checked': { guard: 'request expired', target: 'expired' },
      },
    },
    approved: {
      on: {
        'intent.retried': [
          { guard: and(['scope covers retry', 'scope is once']), target: 'consumed', actions: 'count use' },
          { guard: 'scope covers retry', actions: 'count use' },
          // Outside the approver's scope (another session, past the time): ask again.
          { target: 'expired' },
        ],
        'time.checked': { guard: 'scope lapsed', target: 'expired' },
        'human.denied': { target: 'denied', actions: 'record human denial' },
      },
    },
    denied: { type: 'final' },
    consumed: { type: 'final' },
    expired: { type: 'final' },
  },
});

/** The type of the approval machine. */
export type ApprovalMachine = typeof approvalMachine;
