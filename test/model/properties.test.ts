import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialTransition, transition } from 'xstate';
import { createBreakerMachine, type BreakerEvent, type BreakerSettings } from '../../machines/breaker.machine.js';
import { approvalMachine, type ApprovalEvent } from '../../machines/approval.machine.js';

const settings: BreakerSettings = { failureThreshold: 3, windowMs: 1_000, cooldownMs: 2_000, maxCooldownMs: 16_000, trialTimeoutMs: 1_500 };
const breaker = createBreakerMachine(settings);
const MAX_T = 4_102_444_800_000; // year 2100: future-dated timestamps included

const atArb = fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: MAX_T }));
const breakerEventArb: fc.Arbitrary<BreakerEvent> = fc.oneof(
  fc.record({ type: fc.constant('call.failed' as const), at: atArb, transient: fc.boolean() }),
  fc.record({ type: fc.constant('call.succeeded' as const), at: atArb }),
  fc.record({ type: fc.constant('call.requested' as const), at: atArb, id: fc.string({ minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('breaker.reset' as const), at: atArb, by: fc.constant('human') }),
);

function run(events: BreakerEvent[]) {
  let s = initialTransition(breaker)[0];
  const trace = [];
  for (const e of events) {
    const prev = s;
    s = transition(breaker, s, e)[0];
    trace.push({ prev, event: e, next: s });
  }
  return { final: s, trace };
}

describe('breaker properties', () => {
  it('no event sequence wedges the breaker open: two calls a max-cooldown apart always get a trial', () => {
    fc.assert(
      fc.property(fc.array(breakerEventArb, { maxLength: 40 }), fc.integer({ min: 0, max: MAX_T }), (events, x) => {
        let s = run(events).final;
        s = transition(breaker, s, { type: 'call.requested', at: x, id: 'a' })[0];
        s = transition(breaker, s, { type: 'call.requested', at: x + settings.maxCooldownMs, id: 'b' })[0];
        expect(s.value).not.toBe('open');
      }),
      { numRuns: 400 },
    );
  });

  it('allows one trial at a time in half_open', () => {
    fc.assert(
      fc.property(fc.array(breakerEventArb, { maxLength: 40 }), (events) => {
        for (const { prev, event, next } of run(events).trace) {
          if (prev.value === 'half_open' && next.value === 'half_open' && event.type === 'call.requested') {
            const granted = next.context.trial?.id === event.id && next.context.trial?.at === event.at;
            const prevTrial = prev.context.trial;
            if (granted && prevTrial !== null && !(prevTrial.id === event.id && prevTrial.at === event.at)) {
              // a new trial is only granted when the previous one went stale
              expect(event.at - Math.min(prevTrial.at, event.at)).toBeGreaterThanOrEqual(settings.trialTimeoutMs);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never counts 4xx answers as failures', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 50 }), (times) => {
        let s = initialTransition(breaker)[0];
        for (const at of times) s = transition(breaker, s, { type: 'call.failed', at, transient: false })[0];
        expect(s.value).toBe('closed');
        expect(s.context.failures).toEqual([]);
      }),
    );
  });
});

const HASH = `sha256:${'cd'.repeat(32)}`;
const human = { id: 'alice', via: 'cli' as const };
const tArb = fc.integer({ min: 0, max: 100_000 });
const sessionArb = fc.constantFrom('s1', 's2');
const approvalEventArb: fc.Arbitrary<ApprovalEvent> = fc.oneof(
  fc.record({ type: fc.constant('block.delivered' as const), at: tArb }),
  fc.record({
    type: fc.constant('human.approved' as const),
    at: tArb,
    by: fc.constant(human),
    scope: fc.oneof(
      fc.constant({ kind: 'once' as const }),
      fc.record({ kind: fc.constant('session' as const), sessionId: sessionArb }),
      fc.record({ kind: fc.constant('until' as const), until: tArb }),
    ),
  }),
  fc.record({ type: fc.constant('human.denied' as const), at: tArb, by: fc.constant(human) }),
  fc.record({ type: fc.constant('intent.retried' as const), at: tArb, sessionId: sessionArb }),
  fc.record({ type: fc.constant('session.stopped' as const), at: tArb, sessionId: sessionArb }),
  fc.record({ type: fc.constant('time.checked' as const), at: tArb }),
);

describe('approval properties', () => {
  const input = { hash: HASH, tool: 'Bash', sessionId: 's1', at: 0, ttlMs: 50_000, reason: 'r' };

  it('denied is terminal', () => {
    fc.assert(
      fc.property(fc.array(approvalEventArb, { maxLength: 30 }), (events) => {
        let s = initialTransition(approvalMachine, input)[0];
        let seenDenied = false;
        for (const e of events) {
          s = transition(approvalMachine, s, e)[0];
          if (seenDenied) expect(s.value).toBe('denied');
          if (s.value === 'denied') seenDenied = true;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('an approval binds exactly one hash and is only ever granted by a human event', () => {
    fc.assert(
      fc.property(fc.array(approvalEventArb, { maxLength: 30 }), (events) => {
        let s = initialTransition(approvalMachine, input)[0];
        for (const e of events) {
          const prev = s;
          s = transition(approvalMachine, s, e)[0];
          expect(s.context.hash).toBe(HASH);
          if (s.value === 'approved' && prev.value !== 'approved') expect(e.type).toBe('human.approved');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a once-scoped approval lets exactly one retry through, if it comes while the grant lives', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ at: tArb, sessionId: sessionArb }), { minLength: 1, maxLength: 10 }), (retries) => {
        let s = initialTransition(approvalMachine, input)[0];
        s = transition(approvalMachine, s, { type: 'block.delivered', at: 1 })[0];
        s = transition(approvalMachine, s, { type: 'human.approved', at: 2, by: human, scope: { kind: 'once' } })[0];
        let allowed = 0;
        for (const r of retries) {
          const before = s.context.uses;
          s = transition(approvalMachine, s, { type: 'intent.retried', ...r })[0];
          allowed += s.context.uses - before;
        }
        // the grant lives for the request TTL after it was given (at 2)
        expect(allowed).toBe((retries[0] as { at: number }).at < 2 + input.ttlMs ? 1 : 0);
      }),
    );
  });

  it('an unused once or session grant lapses after the request TTL, on a retry or a time check', () => {
    fc.assert(
      fc.property(fc.constantFrom<'once' | 'session'>('once', 'session'), fc.integer({ min: 0, max: 200_000 }), fc.boolean(), (kind, late, byCheck) => {
        let s = initialTransition(approvalMachine, input)[0];
        s = transition(approvalMachine, s, { type: 'block.delivered', at: 1 })[0];
        const scope = kind === 'once' ? { kind: 'once' as const } : { kind: 'session' as const, sessionId: 's1' };
        s = transition(approvalMachine, s, { type: 'human.approved', at: 1_000, by: human, scope })[0];
        const at = 1_000 + late;
        s = transition(approvalMachine, s, byCheck ? { type: 'time.checked', at } : { type: 'intent.retried', at, sessionId: 's1' })[0];
        const lapsed = late >= input.ttlMs;
        if (lapsed) expect(s.value).toBe('expired');
        else expect(s.value).toBe(byCheck || kind === 'session' ? 'approved' : 'consumed');
      }),
    );
  });
});
