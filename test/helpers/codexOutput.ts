/** What Codex will do with a PreToolUse hook's stdout (exit 0), per docs/codex-hooks.md. */
export type PreToolUseEffect = { kind: 'allow' } | { kind: 'deny'; reason: string } | { kind: 'invalid'; why: string };

/** Interpret a PreToolUse answer exactly as Codex does; anything else is `invalid` (= Codex runs the tool). */
export function preToolUseEffect(stdout: string, exitCode: number): PreToolUseEffect {
  if (exitCode !== 0) return { kind: 'invalid', why: `exit ${exitCode}` };
  if (stdout === '') return { kind: 'allow' };
  let json: unknown;
  try { json = JSON.parse(stdout); } catch { return { kind: 'invalid', why: 'not JSON' }; }
  const h = (json as { hookSpecificOutput?: Record<string, unknown> }).hookSpecificOutput;
  const keys = Object.keys(json as object);
  if (!h || keys.some((k) => k !== 'hookSpecificOutput' && k !== 'systemMessage')) return { kind: 'invalid', why: `keys ${keys.join(',')}` };
  if (h.hookEventName !== 'PreToolUse' || h.permissionDecision !== 'deny') return { kind: 'invalid', why: JSON.stringify(h) };
  if (typeof h.permissionDecisionReason !== 'string' || h.permissionDecisionReason.trim() === '') return { kind: 'invalid', why: 'empty reason' };
  return { kind: 'deny', reason: h.permissionDecisionReason };
}
