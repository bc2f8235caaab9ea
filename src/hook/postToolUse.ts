import type { PostToolUseInput } from '../codex/hookInput.js';
import type { HookOutput } from '../codex/hookOutput.js';
import { intentOf, isOwnTool } from '../intent/intentOf.js';
import { contentHash } from '../intent/contentHash.js';
import type { HookEnv } from './hookEnv.js';

/** PostToolUse: finalize the run with an outcome receipt (exit code, duration, error, output hash). */
export async function postToolUse(input: PostToolUseInput, env: HookEnv): Promise<HookOutput> {
  if (isOwnTool(input.tool_name)) return { kind: 'allow' };
  const intent = intentOf(input.tool_name, input.tool_input, input.cwd);
  await env.governance.finalize({
    intent, hash: contentHash(intent), sessionId: input.session_id, turnId: input.turn_id ?? null,
    toolUseId: input.tool_use_id ?? null, model: input.model ?? null, mode: env.settings.mode, at: env.now(),
    toolResponse: input.tool_response,
  });
  return { kind: 'allow' };
}
