import type { AnyStateMachine, AnyMachineSnapshot, EventObject } from "xstate";
import type { AdjacencyMap } from 'xstate/graph';

/** A transition of a machine definition: source state, event type and branch index (guarded alternatives). */
export type TransitionKey = `${string} --${string}[${number}]`;

/** Every transition branch the machine defines, as keys. */
export function definedTransitions(machine: AnyStateMachine): Set<TransitionKey> {
  const keys = new Set<TransitionKey>();
  for (const node of Object.values(machine.root.states)) {
    for (const [eventType, defs] of node.transitions) {
      defs.forEach((_, i) => keys.add(`${node.key} --${eventType}[${i}]`));
    }
  }
  return keys;
}

/** The transition branch the machine takes for `event` from `snapshot` (undefined if none). */
export function takenTransition(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): TransitionKey | undefined {
  const [def] = machine.getTransitionData(snapshot as never, event as never);
  if (!def) return undefined;
  const branches = def.source.transitions.get(def.eventType) ?? [];
  return `${def.source.key} --${def.eventType}[${branches.indexOf(def)}]`;
}

/** The transition branches an adjacency map exercises. */
export function coveredTransitions(machine: AnyStateMachine, adj: AdjacencyMap<AnyMachineSnapshot, EventObject>): Set<TransitionKey> {
  const covered = new Set<TransitionKey>();
  for (const { state, transitions } of Object.values(adj)) {
    for (const { event } of Object.values(transitions as Record<string, { event: EventObject }>)) {
      const key = takenTransition(machine, state, event);
      if (key) covered.add(key);
    }
  }
  return covered;
}

/** One edge of the adjacency map and the events that reach it from the initial state. */
export interface EdgeCase<E extends EventObject> {
  /** Serialized source state (for the test name). */
  from: string;
  event: E;
  /** Every event from the initial state through this edge, in order. */
  events: E[];
}

/**
 * Every edge of an adjacency map, each with the shortest path to its source followed by the edge
 * itself: the sequences the model tests replay through persisted snapshots.
 */
export function edgeCases<E extends EventObject>(
  adj: AdjacencyMap<AnyMachineSnapshot, EventObject>,
  paths: Array<{ state: AnyMachineSnapshot; steps: Array<{ event: EventObject }> }>,
  serialize: (s: AnyMachineSnapshot) => string,
): EdgeCase<E>[] {
  const pathTo = new Map(paths.map((p) => [serialize(p.state), p]));
  return Object.values(adj).flatMap(({ state, transitions }) =>
    Object.values(transitions as Record<string, { event: EventObject }>).map(({ event }) => {
      const prefix = pathTo.get(serialize(state));
      if (!prefix) throw new Error(`no path reaches ${serialize(state)}`);
      const events = [...prefix.steps.map((s) => s.event).filter((e) => !e.type.startsWith('xstate.')), event] as E[];
      return { from: serialize(state), event: event as E, events };
    }),
  );
}
