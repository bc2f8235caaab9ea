import type { PreToolUseInput } from '../codex/hookInput.js';
import type { HookOutput } from '../codex/hookOutput.js';
import { intentOf, isOwnTool } from '../intent/intentOf.js';
import { contentHash } from '../intent/contentHash.js';
import type { HookEnv } from './hookEnv.js';
import { approvalBlockMessage, denyMessage, observeLine } from './messages.js';

/** PreToolUse: intent -> decide (local or remote) -> allow, deny, or block until a human approves. */
export async function preToolUse(input: PreToolUseInput, env: HookEnv): Promise<HookOutput> {
  if (isOwnTool(input.tool_name)) return { kind: 'allow' };
  const intent = intentOf(input.tool_name, input.tool_input, input.cwd);
  const hash = contentHash(intent);
  const { mode, dashboardUrl } = env.settings;
  const verdict = await env.governance.decide({
    event: 'PreToolUse', intent, hash, sessionId: input.session_id, turnId: input.turn_id ?? null,
    toolUseId: input.tool_use_id ?? null, model: input.model ?? null, mode, at: env.now(),
  });
  if (mode === 'observe') {
    if (verdict.decision !== 'allow') env.breadcrumb(observeLine(intent.tool, verdict));
    return { kind: 'allow' };
  }
  switch (verdict.decision) {
    case 'allow':
      if (verdict.basis === 'previously_approved') env.breadcrumb(`VAIBot: ${intent.tool} allowed — approved by a human (${hash})`);
      return { kind: 'allow' };
    case 'deny':
      return { kind: 'deny', reason: denyMessage(intent.tool, verdict) };
    case 'approval_required':
      return { kind: 'deny', reason: approvalBlockMessage(intent.tool, hash, verdict, dashboardUrl) };
  }
}
