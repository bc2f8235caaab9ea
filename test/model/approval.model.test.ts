import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { approvalMachine, type ApprovalEvent, type ApprovalInput } from '../../machines/approval.machine.js';
import { loadApproval, newApproval, stepPersistedApproval, updateApproval } from '../../src/state/approvalStore.js';
import { coveredTransitions, definedTransitions, edgeCases } from './transitionCoverage.js';
import { tempHome } from '../helpers/tempHome.js';

const HASH = `sha256:${'ab'.repeat(32)}`;
const input: ApprovalInput = { hash: HASH, tool: 'Bash', sessionId: 's1', at: 1_000, ttlMs: 10_000, reason: 'outbound network call' };
const human = { id: 'alice', via: 'cli' as const };

type Snap = ReturnType<typeof initialTransition<typeof approvalMachine>>[0];

function eventsFrom(snapshot: AnyMachineSnapshot): ApprovalEvent[] {
  const c = (snapshot as Snap).context;
  const t = Math.max(c.requestedAt, c.decidedAt ?? 0) + 1;
  const events: ApprovalEvent[] = [
    { type: 'block.delivered', at: t },
    { type: 'block.delivered', at: c.expiresAt },
    { type: 'human.approved', at: t, by: human, scope: { kind: 'once' } },
    { type: 'human.approved', at: t, by: human, scope: { kind: 'session', sessionId: 's1' } },
    { type: 'human.approved', at: t, by: human, scope: { kind: 'until', until: t + 500 } },
    { type: 'human.approved', at: c.expiresAt, by: human, scope: { kind: 'once' } },
    { type: 'human.denied', at: t, by: human, reason: 'no' },
    { type: 'intent.retried', at: t, sessionId: 's1' },
    { type: 'intent.retried', at: t, sessionId: 's2' },
    { type: 'session.stopped', at: t, sessionId: 's1' },
    { type: 'session.stopped', at: t, sessionId: 's2' },
    { type: 'time.checked', at: t },
    { type: 'time.checked', at: c.expiresAt },
  ];
  if (c.scope?.kind === 'until') {
    events.push({ type: 'intent.retried', at: c.scope.until, sessionId: 's1' }, { type: 'time.checked', at: c.scope.until });
  }
  return events;
}

function serialize(snapshot: AnyMachineSnapshot): string {
  const c = (snapshot as Snap).context;
  return JSON.stringify([snapshot.value, c.scope?.kind ?? null, Math.min(c.uses, 2)]);
}

const traversal = { events: eventsFrom, serializeState: serialize, input, limit: 5_000 };

describe('approval statechart, model-based', () => {
  const adjacency = getAdjacencyMap(approvalMachine, traversal);
  const paths = getShortestPaths(approvalMachine, traversal);

  it('reaches pending, blocked_until_approved, approved, denied, consumed and expired', () => {
    const values = new Set(Object.values(adjacency).map((v) => v.state.value as string));
    expect([...values].sort()).toEqual(['approved', 'blocked_until_approved', 'consumed', 'denied', 'expired', 'pending']);
  });

  it('covers every transition the chart defines (edge coverage)', () => {
    const defined = definedTransitions(approvalMachine);
    const covered = coveredTransitions(approvalMachine, adjacency as never);
    expect([...defined].filter((k) => !covered.has(k))).toEqual([]);
  });

  const edges = edgeCases<ApprovalEvent>(adjacency as never, paths as never, serialize);

  it.each(edges.map((e, i) => [i, e.from, e.event.type, e] as const))(
    'edge %i from %s on %s replays identically through persisted snapshots',
    (_i, _from, _type, edge) => {
      const home = tempHome();
      const events = edge.events;
      let pure = initialTransition(approvalMachine, input)[0];
      updateApproval(home, HASH, input.at, () => ({ next: newApproval(input), result: null }));
      for (const event of events) {
        pure = transition(approvalMachine, pure, event)[0];
        updateApproval(home, HASH, event.at, (cur) => ({ next: stepPersistedApproval(cur!, event), result: null }));
        const onDisk = loadApproval(home, HASH)!;
        expect(onDisk.value).toEqual(pure.value);
        expect(onDisk.context).toEqual(pure.context);
        expect(onDisk.status).toEqual(pure.status);
      }
    },
  );
});
