import type { HookState } from './hookState.js';

/** One paragraph for people and models: is this session governed, and if not, why and what to do. */
export function describeHookState(s: HookState): string {
  if (s.state === 'on') return `Governance is ON: the ${s.plugin?.id ?? 'VAIBot'} hooks are installed, enabled and trusted, so every tool call is checked before it runs.`;
  if (s.state === 'off') {
    return [
      'WARNING: VAIBot governance is OFF for this Codex session: tool calls run without being checked or recorded.',
      ...s.problems.map((p) => `- ${p.message}. Fix: ${p.fix}.`),
    ].join('\n');
  }
  return `Governance state unknown: ${s.note ?? 'not checked yet'}.`;
}
