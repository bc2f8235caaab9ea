import type { PermissionRequestInput } from '../codex/hookInput.js';
import type { HookOutput } from '../codex/hookOutput.js';
import { intentOf, isOwnTool } from '../intent/intentOf.js';
import { contentHash } from '../intent/contentHash.js';
import type { HookEnv } from './hookEnv.js';
import { denyMessage, observeLine } from './messages.js';

/**
 * PermissionRequest: Codex is about to ask the user. Deny what policy denies; otherwise give no
 * decision so Codex asks the human as usual (the human is present, so no approval record is made).
 */
export async function permissionRequest(input: PermissionRequestInput, env: HookEnv): Promise<HookOutput> {
  if (isOwnTool(input.tool_name)) return { kind: 'allow' };
  const intent = intentOf(input.tool_name, input.tool_input, input.cwd);
  const hash = contentHash(intent);
  const { mode } = env.settings;
  const verdict = await env.governance.decide({
    event: 'PermissionRequest', intent, hash, sessionId: input.session_id, turnId: input.turn_id ?? null,
    toolUseId: null, model: input.model ?? null, mode, at: env.now(),
  });
  if (verdict.decision !== 'deny') return { kind: 'allow' };
  if (mode === 'observe') {
    env.breadcrumb(observeLine(intent.tool, verdict));
    return { kind: 'allow' };
  }
  return { kind: 'permission', behavior: 'deny', message: denyMessage(intent.tool, verdict) };
}
