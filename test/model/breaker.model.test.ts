import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { createBreakerMachine, type BreakerEvent, type BreakerSettings } from '../../machines/breaker.machine.js';
import { loadBreaker, recordBreakerEvent } from '../../src/state/breakerStore.js';
import { coveredTransitions, definedTransitions, edgeCases } from './transitionCoverage.js';
import { tempHome } from '../helpers/tempHome.js';

const settings: BreakerSettings = { failureThreshold: 3, windowMs: 1_000, cooldownMs: 5_000, maxCooldownMs: 20_000, trialTimeoutMs: 3_000 };
const machine = createBreakerMachine(settings);

type Snap = ReturnType<typeof initialTransition<typeof machine>>[0];

/** Events that matter from a given snapshot: each guard's both sides, clock jumps both ways. */
function eventsFrom(snapshot: AnyMachineSnapshot): BreakerEvent[] {
  const c = (snapshot as Snap).context;
  const t = Math.max(c.lastAt, 1_000_000);
  const events: BreakerEvent[] = [
    { type: 'call.failed', at: t + 1, transient: true },
    { type: 'call.failed', at: t + settings.windowMs + 1, transient: true },
    { type: 'call.failed', at: t + 1, transient: false },
    { type: 'call.succeeded', at: t + 1 },
    { type: 'call.requested', at: t + 1, id: 'early' },
    { type: 'breaker.reset', at: t + 1, by: 'tester' },
  ];
  if (c.openedAt !== null) events.push({ type: 'call.requested', at: Math.max(c.openedAt + c.cooldownMs, t), id: 'trial' });
  if (c.trial !== null) events.push({ type: 'call.requested', at: Math.max(c.trial.at + settings.trialTimeoutMs, t), id: 'retrial' });
  return events;
}

/** A finite abstraction of the context: counts and levels, not raw times. */
function serialize(snapshot: AnyMachineSnapshot): string {
  const c = (snapshot as Snap).context;
  const recent = c.failures.filter((f) => f > c.lastAt - settings.windowMs).length;
  return JSON.stringify([snapshot.value, recent, c.trial !== null, c.cooldownMs]);
}

const traversal = { events: eventsFrom, serializeState: serialize, limit: 5_000 };

describe('breaker statechart, model-based', () => {
  const adjacency = getAdjacencyMap(machine, traversal);
  const paths = getShortestPaths(machine, traversal);

  it('reaches closed, open and half_open', () => {
    const values = new Set(Object.values(adjacency).map((v) => v.state.value));
    expect([...values].sort()).toEqual(['closed', 'half_open', 'open']);
  });

  it('covers every transition the chart defines (edge coverage)', () => {
    const defined = definedTransitions(machine);
    const covered = coveredTransitions(machine, adjacency as never);
    const missing = [...defined].filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });

  // One test per edge: the shortest path to its source, then the edge itself, replayed as
  // separate hook processes would (persist -> fresh rehydrate from disk -> transition).
  const edges = edgeCases<BreakerEvent>(adjacency as never, paths as never, serialize);

  it.each(edges.map((e, i) => [i, e.from, e.event.type, e] as const))(
    'edge %i from %s on %s replays identically through persisted snapshots',
    (_i, _from, _type, edge) => {
      const home = tempHome();
      const events = edge.events;
      let pure = initialTransition(machine)[0];
      for (const event of events) {
        pure = transition(machine, pure, event)[0];
        const { after } = recordBreakerEvent(home, settings, event);
        const onDisk = loadBreaker(home);
        expect(onDisk).toEqual(after);
        expect(after.value).toEqual(pure.value);
        expect(after.context).toEqual(pure.context);
      }
    },
  );
});
