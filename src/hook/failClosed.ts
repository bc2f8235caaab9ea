import type { HookOutput } from '../codex/hookOutput.js';
import { readMode, type Mode } from '../config/settings.js';
import { isVaibotError, type VaibotErrorCode } from '../util/vaibotError.js';

const HOOK_EVENT_NAMES: readonly string[] = ['SessionStart', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop'];

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
  return argvEvent !== undefined && HOOK_EVENT_NAMES.includes(argvEvent) ? argvEvent : 'PreToolUse';
}

/** The mode to fail in: VAIBOT_MODE, or enforce when it is unreadable (fail closed). */
export function failureMode(env: NodeJS.ProcessEnv): Mode {
  try {
    return readMode(env);
  } catch {
    return 'enforce';
  }
}

