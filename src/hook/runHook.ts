import { INPUT_SCHEMAS, isHookEvent, type HookEventName } from '../codex/hookInput.js';
import { renderOutput, type HookOutput, type RenderedOutput } from '../codex/hookOutput.js';
import { VaibotError } from '../util/vaibotError.js';
import { answerEventFor, failureMode, failureOutput } from './failClosed.js';
import type { HookEnv } from './hookEnv.js';
import { preToolUse } from './preToolUse.js';
import { postToolUse } from './postToolUse.js';
import { permissionRequest } from './permissionRequest.js';
import { stop } from './stop.js';
import { sessionStart } from './sessionStart.js';

/** Parse and validate the stdin of an event; throws `input_invalid` naming the problem. */
export function parseInput(event: HookEventName, stdin: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(stdin);
  } catch {
    throw new VaibotError('input_invalid', stdin.trim() === '' ? 'the hook input was empty' : 'the hook input is not valid JSON');
  }
  const result = INPUT_SCHEMAS[event].safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new VaibotError('input_invalid', `the ${event} input is invalid (${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'unknown'})`);
  }
  const declared = (result.data as { hook_event_name: string }).hook_event_name;
  if (declared !== event) {
    throw new VaibotError('input_invalid', `the input is for ${JSON.stringify(declared)} but this hook is registered for ${event}`);
  }
  return result.data;
}

/**
 * One hook call, start to end, never throwing: validate the event and input, build the environment,
 * run the handler, and render exactly one Codex-valid output.
 */
export async function runHook(
  argvEvent: string | undefined,
  stdin: () => Promise<string>,
  processEnv: NodeJS.ProcessEnv,
  buildEnv: (cwd: string) => Promise<HookEnv>,
  breadcrumb: (line: string) => void,
): Promise<RenderedOutput> {
  const event = answerEventFor(argvEvent);
  let env: HookEnv | undefined;
  try {
    if (argvEvent === undefined || !isHookEvent(argvEvent)) {
      throw new VaibotError('unknown_event', `unknown hook event ${JSON.stringify(argvEvent ?? '')}`);
    }
    const input = parseInput(argvEvent, await stdin());
    env = await buildEnv((input as { cwd: string }).cwd);
    let out: HookOutput;
    switch (argvEvent) {
      case 'PreToolUse': out = await preToolUse(input as never, env); break;
      case 'PostToolUse': out = await postToolUse(input as never, env); break;
      case 'PermissionRequest': out = await permissionRequest(input as never, env); break;
      case 'Stop': out = await stop(input as never, env); break;
      case 'SessionStart': out = await sessionStart(input as never, env); break;
    }
    return renderOutput(event, out);
  } catch (err) {
    const mode = env?.settings.mode ?? failureMode(processEnv);
    const failOpen = env?.settings.failOpen ?? false;
    return renderOutput(event, failureOutput(event, mode, failOpen, err, breadcrumb));
  }
}
