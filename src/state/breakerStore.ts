import { initialTransition, transition } from 'xstate';
import * as z from 'zod/mini';
import { createBreakerMachine, type BreakerContext, type BreakerEvent, type BreakerSettings } from '../../machines/breaker.machine.js';
import { persistedSnapshotSchema, toPersisted, type PersistedMachineSnapshot } from './persistedSnapshot.js';
import { readSnapshotFile, updateSnapshotFile } from './snapshotFile.js';
import { breakerFile } from './paths.js';

/** The breaker's states. */
export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
/** One of the breaker's states. */
export type BreakerState = (typeof BREAKER_STATES)[number];
/** The breaker snapshot as stored on disk. */
export type PersistedBreaker = PersistedMachineSnapshot<BreakerState, BreakerContext>;

const ms = z.number().check(z.gte(0));
const contextSchema = z.object({
  failures: z.array(ms).check(z.maxLength(10_000)),
  openedAt: z.nullable(ms),
  cooldownMs: ms,
  trial: z.nullable(z.object({ id: z.string(), at: ms })),
  lastAt: ms,
});

/** Schema of a persisted breaker snapshot. */
export const persistedBreakerSchema = persistedSnapshotSchema<BreakerState, BreakerContext>(BREAKER_STATES, contextSchema);

/** Rehydrate a stored breaker (or start a fresh one) as an xstate snapshot of the machine. */
export function rehydrateBreaker(settings: BreakerSettings, stored: PersistedBreaker | null) {
  const machine = createBreakerMachine(settings);
  if (stored === null) return { machine, snapshot: initialTransition(machine)[0] };
  return { machine, snapshot: machine.resolveState({ value: stored.value, context: stored.context }) };
}

/** Step a persisted breaker by one event with the pure machine; returns the next persisted form. */
export function stepPersistedBreaker(settings: BreakerSettings, stored: PersistedBreaker | null, event: BreakerEvent): PersistedBreaker {
  const { machine, snapshot } = rehydrateBreaker(settings, stored);
  const [next] = transition(machine, snapshot, event);
  return toPersisted<BreakerState, BreakerContext>(machine.getPersistedSnapshot(next) as never);
}

/** Read the breaker from `<home>/breaker-state/codex.json` (closed if the file does not exist). */
export function loadBreaker(home: string): PersistedBreaker | null {
  return readSnapshotFile(breakerFile(home), persistedBreakerSchema);
}

/**
 * Rehydrate -> transition -> persist atomically, under the file's lock so that concurrent hook
 * processes lose no event. Returns the breaker before and after the event.
 */
export function recordBreakerEvent(home: string, settings: BreakerSettings, event: BreakerEvent): { before: PersistedBreaker | null; after: PersistedBreaker } {
  return updateSnapshotFile(breakerFile(home), persistedBreakerSchema, event.at, (before) => {
    const after = stepPersistedBreaker(settings, before, event);
    return { next: after, result: { before, after }, event };
  });
}
