/** The longest summary shown for one intent (commands and patches can be long). */
export const SUMMARY_MAX = 600;

/**
 * A one-line human description of a stored (redacted) intent body: the command of a shell call, the
 * files of a patch with their operations, `server/tool` of an MCP call. Bounded to `max` characters
 * (an ellipsis marks the cut; the content hash, not this text, is what an approval binds to).
 */
export function intentSummary(intent: unknown, max = SUMMARY_MAX): string {
  const i = (typeof intent === 'object' && intent !== null ? intent : {}) as {
    kind?: unknown;
    command?: unknown;
    targets?: unknown;
    server?: unknown;
    name?: unknown;
  };
  let text = '';
  if (i.kind === 'shell' && typeof i.command === 'string') text = i.command;
  else if (i.kind === 'patch' && Array.isArray(i.targets)) {
    text = `apply_patch: ${i.targets
      .map((t: { op?: unknown; path?: unknown; to?: unknown }) => `${String(t.op)} ${String(t.path)}${typeof t.to === 'string' ? ` -> ${t.to}` : ''}`)
      .join(', ')}`;
  } else if (i.kind === 'mcp') text = `MCP ${String(i.server)}/${String(i.name)}`;
  else if (intent !== undefined && intent !== null) text = JSON.stringify(intent) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
