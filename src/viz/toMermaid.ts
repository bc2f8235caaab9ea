import type { AnyStateMachine } from 'xstate';

function guardName(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  const g = guard as { type?: unknown; params?: unknown; name?: unknown };
  if (typeof g.type === 'string') {
    if (g.type === 'xstate.and' || g.type === 'xstate.or') {
      const parts = ((g as { guards?: unknown[] }).guards ?? []).map((p) => guardName(p) ?? '?');
      return parts.join(g.type === 'xstate.and' ? ' and ' : ' or ');
    }
    return g.type;
  }
  if (typeof guard === 'function') {
    const inner = (guard as { guards?: unknown[]; check?: unknown }).guards;
    if (Array.isArray(inner)) return inner.map((p) => guardName(p) ?? '?').join(' and ');
    return (guard as { name?: string }).name || 'guard';
  }
  return undefined;
}

function actionNames(actions: readonly unknown[]): string[] {
  return actions
    .map((a) => (typeof a === 'string' ? a : typeof (a as { type?: unknown })?.type === 'string' ? (a as { type: string }).type : undefined))
    .filter((a): a is string => a !== undefined);
}

/** Render a flat statechart as Mermaid `stateDiagram-v2`: every transition with its guard and actions. */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2', `  %% ${machine.id}`];
  const root = machine.root;
  lines.push(`  [*] --> ${String(root.config.initial)}`);
  for (const node of Object.values(root.states)) {
    for (const [eventType, defs] of node.transitions) {
      for (const def of defs) {
        const target = def.target?.[0]?.key ?? node.key;
        const guard = guardName(def.guard);
        const actions = actionNames(def.actions);
        const label = `${eventType}${guard ? ` [${guard}]` : ''}${actions.length ? ` / ${actions.join(', ')}` : ''}`;
        lines.push(`  ${node.key} --> ${target} : ${label.replace(/:/g, '∶')}`);
      }
    }
    if (node.type === 'final') lines.push(`  ${node.key} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
