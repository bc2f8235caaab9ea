import type { AnyStateMachine, AnyMachineSnapshot, EventObject } from 'xstate';
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
