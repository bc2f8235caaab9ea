/**
 * What a tool call intends to do, independent of the wire format Codex used to ask for it.
 * The intent (with the tool name and cwd) is what the content hash binds an approval to.
 */

/** One file an apply_patch touches, resolved to an absolute path against the call's cwd. */
export interface PatchTarget {
  /** What the patch does to the file. */
  op: 'add' | 'update' | 'delete' | 'move';
  /** Absolute, normalized path of the file the patch names. */
  path: string;
  /** For `move`: the absolute, normalized destination. */
  to?: string;
  /** Lines the patch adds to this file (without the leading `+`), joined with `\n`. */
  added: string;
}

/** A shell command (Codex's `Bash` / exec_command). */
export interface ShellIntent {
  kind: 'shell';
  /** The whole command text, never truncated. */
  command: string;
}

/** An apply_patch call: the whole patch plus every file it touches. */
export interface PatchIntent {
  kind: 'patch';
  /** The whole patch text, never truncated. */
  patch: string;
  /** Every file added, updated, deleted or moved, in patch order. */
  targets: PatchTarget[];
}

/** A call to an MCP tool (`mcp__<server>__<tool>`). */
export interface McpIntent {
  kind: 'mcp';
  server: string;
  name: string;
  arguments: unknown;
}

/** Any other tool: kept whole so its hash still binds to the exact input. */
export interface UnknownIntent {
  kind: 'unknown';
  input: unknown;
}

/** The discriminated union of everything a tool call can intend. */
export type IntentBody = ShellIntent | PatchIntent | McpIntent | UnknownIntent;

/** A tool call as governance sees it. */
export interface Intent {
  /** The tool name as Codex reported it (`Bash`, `apply_patch`, `mcp__s__t`, ...). */
  tool: string;
  /** The working directory the call runs in (absolute). */
  cwd: string;
  /** What the call does. */
  body: IntentBody;
}
