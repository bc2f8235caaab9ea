import { describeHookState } from './hookState/describeHookState.js';
import type { HookProblemCode, HookState } from './hookState/hookState.js';

/** How each problem reads in one short clause (Codex shows the model only the first line of `instructions`). */
const SHORT: Record<HookProblemCode, string> = {
  session_hooks_disabled: 'this session was started with hooks disabled',
  hooks_feature_off: 'Codex hooks are turned off in config.toml',
  disabled: 'the plugin is disabled',
  config_invalid: "Codex's config.toml cannot be read",
  no_hooks: 'Codex lists none of its hooks',
  no_pre_tool_use: 'it has no PreToolUse hook',
  hooks_untrusted: 'its hooks are not trusted, so Codex skips them',
  hooks_modified: 'its hooks changed since they were trusted (an upgrade?), so Codex skips them',
};

/**
 * The first line of the instructions. Codex 0.169 shows the model only this line (as the description of
 * the `mcp__vaibot` tool namespace), so it carries the governance state.
 */
export function instructionsHeadline(hooks: HookState): string {
  if (hooks.state === 'off') {
    const why = hooks.problems.map((p) => SHORT[p.code]).join('; ');
    return `WARNING: VAIBot governance is OFF for this session (${why}): tool calls run unchecked. Tell the user now; the \`status\` tool gives the fix.`;
  }
  if (hooks.state === 'on') {
    return 'VAIBot governance (hooks active): status, pending approvals, ask the human to approve or deny a blocked action, receipts, policy, verify.';
  }
  return 'VAIBot governance tools (status, pending approvals, human approve/deny, receipts, policy, verify); call `status` to confirm the hooks govern this session.';
}

/**
 * The MCP `instructions`: the headline (governance state), then how to use the tools and the rule that
 * approvals are human acts. `basis` says where the state came from (a live check, or the last check made
 * against identical plugin files and config).
 */
export function serverInstructions(hooks: HookState, basis: 'live' | 'cached'): string {
  return [
    instructionsHeadline(hooks),
    `${describeHookState(hooks)}${basis === 'cached' && hooks.state !== 'unknown' ? ' (as of the last check of these exact plugin files and config)' : ''}`,
    'VAIBot governs this session: tool calls may be blocked by policy or held until a human approves that exact action.',
    'When an action is blocked pending approval, tell the user what was blocked, its content hash, and how to approve it (the dashboard link or `vaibot approve <hash>`); do not retry it in another form.',
    'Use `approve` / `deny` only when the user asks: they ask the human to confirm, and do nothing on your word alone. Retry the blocked action only after an approval took effect.',
  ].join('\n');
}
