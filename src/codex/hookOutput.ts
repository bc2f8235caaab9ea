/**
 * What a hook answers, as a discriminated union. Only {@link renderOutput} turns it into bytes, and
 * it can only produce forms Codex accepts (see docs: an invalid output makes Codex run the tool).
 */
export type HookOutput =
  /** PreToolUse / PermissionRequest "no objection", PostToolUse / Stop / SessionStart "nothing to say": exit 0, empty stdout. */
  | { kind: 'allow'; systemMessage?: string }
  /** PreToolUse block: the JSON deny with a non-empty reason. */
  | { kind: 'deny'; reason: string }
  /** PermissionRequest verdict. */
  | { kind: 'permission'; behavior: 'allow' | 'deny'; message: string }
  /** SessionStart context for the model. */
  | { kind: 'context'; additionalContext: string; systemMessage?: string }
  /** PostToolUse: withhold the tool's output from the model. */
  | { kind: 'withhold'; reason: string };

/** Rendered output: what to write to stdout and the exit code (always 0: every verdict is in JSON). */
export interface RenderedOutput {
  stdout: string;
  exitCode: 0;
}

/** Reasons must be non-empty, single-paragraph-safe, and must not end with a period (Codex appends `. Command:`). */
export function cleanReason(reason: string): string {
  // eslint-disable-next-line no-control-regex
  let r = reason.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  r = r.replace(/[.\s]+$/u, '');
  if (r === '') r = 'VAIBot blocked this call (no reason was available)';
  return r.length > 4000 ? `${r.slice(0, 3990)} […]` : r;
}

/** Turn a hook output into Codex's wire form for the given event. */
export function renderOutput(event: string, out: HookOutput): RenderedOutput {
  switch (out.kind) {
    case 'allow':
      return { stdout: out.systemMessage ? `${JSON.stringify({ systemMessage: out.systemMessage })}\n` : '', exitCode: 0 };
    case 'deny':
      if (event === 'PermissionRequest') {
        return render({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: cleanReason(out.reason) } } });
      }
      return render({
        hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: cleanReason(out.reason) },
      });
    case 'permission':
      return render({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: out.behavior, message: cleanReason(out.message) } } });
    case 'context':
      return render({
        hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: out.additionalContext },
        ...(out.systemMessage ? { systemMessage: out.systemMessage } : {}),
      });
    case 'withhold':
      return render({ decision: 'block', reason: cleanReason(out.reason) });
  }
}

function render(value: unknown): RenderedOutput {
  return { stdout: `${JSON.stringify(value)}\n`, exitCode: 0 };
}
