import { resolve } from 'node:path';
import type { Intent } from './intent.js';
import { patchTargets } from './patchTargets.js';

/** Codex's name prefix for MCP tools: `mcp__<server>__<tool>`. */
const MCP_RE = /^mcp__(.+?)__(.+)$/;

/** Whether a tool is one of our own MCP tools, which the hook never governs. */
export function isOwnTool(toolName: string): boolean {
  return toolName.startsWith('mcp__vaibot__');
}

function stringField(input: unknown, ...names: string[]): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  for (const n of names) {
    const v = (input as Record<string, unknown>)[n];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return (v as string[]).join(' ');
  }
  return undefined;
}

/**
 * Build the intent of a tool call from Codex's tool name and tool_input.
 * Bash: `command` (or the older `cmd`); apply_patch: the whole patch and every target;
 * `mcp__server__tool`: server, tool, arguments; anything else: kept whole as `unknown`.
 */
export function intentOf(toolName: string, toolInput: unknown, cwd: string): Intent {
  const absCwd = resolve(cwd);
  if (toolName === 'Bash' || toolName === 'exec_command' || toolName === 'shell' || toolName === 'local_shell') {
    const command = stringField(toolInput, 'command', 'cmd');
    if (command !== undefined) return { tool: toolName, cwd: absCwd, body: { kind: 'shell', command } };
  }
  if (toolName === 'apply_patch') {
    const patch = typeof toolInput === 'string' ? toolInput : stringField(toolInput, 'command', 'input', 'patch');
    if (patch !== undefined) {
      return { tool: toolName, cwd: absCwd, body: { kind: 'patch', patch, targets: patchTargets(patch, absCwd) } };
    }
  }
  const mcp = MCP_RE.exec(toolName);
  if (mcp) {
    return { tool: toolName, cwd: absCwd, body: { kind: 'mcp', server: mcp[1] ?? '', name: mcp[2] ?? '', arguments: toolInput ?? null } };
  }
  return { tool: toolName, cwd: absCwd, body: { kind: 'unknown', input: toolInput ?? null } };
}
