import * as z from 'zod/mini';

/**
 * The part of xstate's `getPersistedSnapshot()` output we keep and validate: the state value,
 * the context and the status. (Our machines have no children or history.)
 */
export interface PersistedMachineSnapshot<V extends string, C> {
  value: V;
  context: C;
  status: 'active' | 'done';
}

/** A zod schema for a persisted snapshot of a flat machine with the given states and context. */
export function persistedSnapshotSchema<V extends string, C>(
  states: readonly [V, ...V[]],
  context: z.ZodMiniType<C>,
): z.ZodMiniType<PersistedMachineSnapshot<V, C>> {
  return z.object({
    value: z.enum(states),
    context,
    status: z.enum(['active', 'done']),
  }) as unknown as z.ZodMiniType<PersistedMachineSnapshot<V, C>>;
}

/** Keep only what must survive a process from an xstate snapshot. */
export function toPersisted<V extends string, C>(snapshot: { value: unknown; context: C; status: string }): PersistedMachineSnapshot<V, C> {
  return {
    value: snapshot.value as V,
    context: snapshot.context,
    status: snapshot.status === 'done' ? 'done' : 'active',
  };
}
