import type { StopInput } from '../codex/hookInput.js';
import type { HookOutput } from '../codex/hookOutput.js';
import type { HookEnv } from './hookEnv.js';

/** Stop: sweep this session's still-pending intents to denied. Never blocks the stop. */
export async function stop(input: StopInput, env: HookEnv): Promise<HookOutput> {
  const swept = await env.governance.sweep(input.session_id, env.now(), env.settings.mode);
  if (swept > 0) env.breadcrumb(`VAIBot: ${swept} pending action(s) of this session were never delivered and are now denied`);
  return { kind: 'allow' };
}
