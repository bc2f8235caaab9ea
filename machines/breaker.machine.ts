import { assign, setup } from 'xstate';
import type { BreakerContext, BreakerEvent, BreakerSettings } from './breaker.types.js';

export type { BreakerContext, BreakerEvent, BreakerSettings } from './breaker.types.js';

/** The seed's defaults (VAIBOT_BREAKER_*), plus our backoff ceiling and trial timeout. */
export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  failureThreshold: 3,
  windowMs: 10_000,
  cooldownMs: 60_000,
  maxCooldownMs: 600_000,
  trialTimeoutMs: 30_000,
};

/**
 * Clamp stored times against the event's own time: any stored timestamp later than the event (a
 * clock that jumped backwards, or a tampered snapshot) is pulled back to the event time, so a time
 * "in the future" can never keep the breaker open past one cooldown measured on the current clock.
 * The event time itself is trusted as it comes; `lastAt` records it for diagnostics only.
 */
function sanitize(ctx: BreakerContext, at: number): BreakerContext {
  const now = at;
  return {
    failures: ctx.failures.map((t) => Math.min(t, now)),
    openedAt: ctx.openedAt === null ? null : Math.min(ctx.openedAt, now),
    cooldownMs: ctx.cooldownMs,
    trial: ctx.trial === null ? null : { id: ctx.trial.id, at: Math.min(ctx.trial.at, now) },
    lastAt: now,
  };
}

function inWindow(failures: number[], at: number, windowMs: number): number[] {
  return failures.filter((t) => t > at - windowMs);
}

/**
 * Build the breaker statechart for the given settings. Pure: no timers, no I/O.
 * closed -(threshold transient failures inside the window)-> open -(cooldown elapsed, next call)->
 * half_open (one trial) -> closed on success | open again with a backed-off cooldown on failure.
 */
export function createBreakerMachine(settings: BreakerSettings = DEFAULT_BREAKER_SETTINGS) {
  return setup({
    types: {
      context: {} as BreakerContext,
      events: {} as BreakerEvent,
    },
    guards: {
      'threshold reached': ({ context, event }) => {
        if (event.type !== 'call.failed' || !event.transient) return false;
        const c = sanitize(context, event.at);
        return inWindow(c.failures, event.at, settings.windowMs).length + 1 >= settings.failureThreshold;
      },
      'is transient': ({ event }) => event.type === 'call.failed' && event.transient,
      'cooldown elapsed': ({ context, event }) => {
        const c = sanitize(context, event.at);
        return c.openedAt === null || event.at - c.openedAt >= c.cooldownMs;
      },
      'trial stale': ({ context, event }) => {
        const c = sanitize(context, event.at);
        return c.trial === null || event.at - c.trial.at >= settings.trialTimeoutMs;
      },
    },
    actions: {
      'record failure': assign(({ context, event }) => {
        const c = sanitize(context, event.at);
        return { ...c, failures: [...inWindow(c.failures, event.at, settings.windowMs), event.at] };
      }),
      'observe time': assign(({ context, event }) => {
        const c = sanitize(context, event.at);
        return { ...c, failures: inWindow(c.failures, event.at, settings.windowMs) };
      }),
      'trip': assign(({ context, event }) => ({
        ...sanitize(context, event.at),
        failures: [],
        openedAt: event.at,
        cooldownMs: settings.cooldownMs,
        trial: null,
      })),
      'start trial': assign(({ context, event }) => ({
        ...sanitize(context, event.at),
        trial: { id: event.type === 'call.requested' ? event.id : 'unknown', at: event.at },
      })),
      'reopen with backoff': assign(({ context, event }) => ({
        ...sanitize(context, event.at),
        failures: [],
        openedAt: event.at,
        cooldownMs: Math.min(Math.max(context.cooldownMs, settings.cooldownMs) * 2, settings.maxCooldownMs),
        trial: null,
      })),
      'close': assign(({ event }) => ({
        failures: [],
        openedAt: null,
        cooldownMs: settings.cooldownMs,
        trial: null,
        lastAt: event.at,
      })),
    },
  }).createMachine({
    id: 'breaker',
    context: { failures: [], openedAt: null, cooldownMs: settings.cooldownMs, trial: null, lastAt: 0 },
    initial: 'closed',
    states: {
      closed: {
        on: {
          'call.failed': [
            { guard: 'threshold reached', target: 'open', actions: 'trip' },
            { guard: 'is transient', actions: 'record failure' },
            { actions: 'observe time' },
          ],
          'call.succeeded': { actions: 'observe time' },
          'call.requested': { actions: 'observe time' },
          'breaker.reset': { target: 'closed', actions: 'close' },
        },
      },
      open: {
        on: {
          'call.requested': [
            { guard: 'cooldown elapsed', target: 'half_open', actions: 'start trial' },
            { actions: 'observe time' },
          ],
          'call.failed': { actions: 'observe time' },
          'call.succeeded': { actions: 'observe time' },
          'breaker.reset': { target: 'closed', actions: 'close' },
        },
      },
      half_open: {
        on: {
          'call.requested': [
            { guard: 'trial stale', target: 'half_open', actions: 'start trial', reenter: true },
            { actions: 'observe time' },
          ],
          'call.succeeded': { target: 'closed', actions: 'close' },
          'call.failed': [
            { guard: 'is transient', target: 'open', actions: 'reopen with backoff' },
            // A 4xx answer proves the server is reachable: the trial succeeded.
            { target: 'closed', actions: 'close' },
          ],
          'breaker.reset': { target: 'closed', actions: 'close' },
        },
      },
    },
  });
}

/** The breaker machine built with default settings (for drawing and the inspector). */
export const breakerMachine = createBreakerMachine();

/** The type of any breaker machine built by {@link createBreakerMachine}. */
export type BreakerMachine = ReturnType<typeof createBreakerMachine>;
