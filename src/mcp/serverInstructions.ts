import { describeHookState, type HookState } from './hookState/checkHookState.js';

/**
 * The MCP `instructions` Codex hands the model with this server: how to use the tools, the rule that
 * approvals are human acts, and, first when it is so, that governance is off for this session.
 */
export function serverInstructions(hooks: HookState | null): string {
  const state =
    hooks === null
      ? 'VAIBot has not finished checking whether its hooks govern this session; call `status` to find out.'
      : describeHookState(hooks);
  return [
    state,
    ...(hooks?.state === 'off' ? ['Tell the user about this at once, with the fix above, before doing anything else.'] : []),
    'VAIBot governs this session: tool calls may be blocked by policy or held until a human approves that exact action.',
    'When an action is blocked pending approval, tell the user what was blocked, its content hash, and how to approve it (the dashboard link or `vaibot approve <hash>`); do not retry it in another form.',
    'Use `approve` / `deny` only when the user asks: they ask the human to confirm, and do nothing on your word alone. Retry the blocked action only after an approval took effect.',
    'Tools: status, pending, approve, deny, recent, policy, verify.',
  ].join('\n');
}
