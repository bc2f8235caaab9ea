import { INPUT_SCHEMAS, isHookEvent, type HookEventName } from '../codex/hookInput.js';
import { renderOutput, type HookOutput, type RenderedOutput } from '../codex/hookOutput.js';
import { readMode, type Mode } from '../config/settings.js';
import { VaibotError, isVaibotError, type VaibotErrorCode } from '../util/vaibotError.js';
import type { HookEnv } from './hookEnv.js';
import { preToolUse } from './preToolUse.js';
import { postToolUse } from './postToolUse.js';
import { permissionRequest } from './permissionRequest.js';
import { stop } from './stop.js';
import { sessionStart } from './sessionStart.js';

/** Failures where no decision could be reached at all: the only ones VAIBOT_FAIL_OPEN may let through. */
const INFRASTRUCTURE: ReadonlySet<VaibotErrorCode> = new Set([
  'state_unreadable', 'state_unwritable', 'lock_timeout', 'store_failed', 'remote_unavailable', 'deadline_exceeded',
]);

/** Events whose answer can block a tool: failures there deny in enforce mode. */
function gates(event: string): boolean {
  return event === 'PreToolUse' || event === 'PermissionRequest';
}

function fixFor(code: VaibotErrorCode): string {
  switch (code) {
    case 'input_invalid':
    case 'input_too_large':
    case 'unknown_event':
      return 'if this repeats, check that the VAIBot plugin matches your Codex version (`vaibot doctor`)';
    case 'config_invalid':
      return 'correct the variable named above';
    case 'policy_invalid':
      return 'fix the policy file named above (`vaibot policy` shows what is loaded)';
    case 'lock_timeout':
      return 'another VAIBot process is holding the state; retry, and run `vaibot doctor` if it persists';
    default:
      return 'run `vaibot doctor`; set VAIBOT_MODE=observe to stop blocking while you investigate';
  }
}

/**
 * The output for a failure: in enforce mode a valid deny naming the cause (unless VAIBOT_FAIL_OPEN
 * and no decision could be reached); in observe mode an allow with a breadcrumb. Events that cannot
 * block (PostToolUse, Stop, SessionStart) answer nothing.
 */
export function failureOutput(event: string, mode: Mode, failOpen: boolean, err: unknown, breadcrumb: (l: string) => void): HookOutput {
  const code: VaibotErrorCode = isVaibotError(err) ? err.code : 'internal';
  const message = err instanceof Error ? err.message : String(err);
  const line = `VAIBot could not check this call (${code}: ${message})`;
  if (!gates(event)) {
    breadcrumb(`${line}; nothing was blocked`);
    return { kind: 'allow' };
  }
  if (mode === 'observe') {
    breadcrumb(`VAIBot [observe]: ${line}; allowed because VAIBOT_MODE=observe`);
    return { kind: 'allow' };
  }
  if (failOpen && INFRASTRUCTURE.has(code)) {
    breadcrumb(`${line}; allowed because VAIBOT_FAIL_OPEN=true`);
    return { kind: 'allow' };
  }
  return { kind: 'deny', reason: `${line}. It is blocked because VAIBot fails closed in enforce mode. Next step: ${fixFor(code)}` };
}

/** Which event to answer for: the registered one (argv); unknown names are answered as PreToolUse denies. */
export function answerEventFor(argvEvent: string | undefined): string {
  return argvEvent !== undefined && isHookEvent(argvEvent) ? argvEvent : 'PreToolUse';
}

/** The mode to fail in: VAIBOT_MODE, or enforce when it is unreadable (fail closed). */
export function failureMode(env: NodeJS.ProcessEnv): Mode {
  try {
    return readMode(env);
  } catch {
    return 'enforce';
  }
}

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
