/**
 * The script a fake model plays: one entry per model response, in order, restarted for every new Codex
 * session (thread). Dependency-free: this ships inside the CLI bundle (`vaibot demo`).
 */

/** A shell call through Codex's `exec_command` tool (Codex hands it to hooks as tool `Bash`). */
export interface FakeExecCall {
  kind: 'exec';
  /** The command line the model asks Codex to run. */
  cmd: string;
  /** The model's call id; Codex echoes it back with the output. Defaults to `call_<turn>_<index>`. */
  callId?: string;
}

/** A patch through Codex's freeform `apply_patch` tool. */
export interface FakePatchCall {
  kind: 'patch';
  /** The whole patch text, `*** Begin Patch` … `*** End Patch`. */
  patch: string;
  callId?: string;
}

/** A call of an MCP tool: sent as a namespaced function call (`namespace: "mcp__<server>"`). */
export interface FakeMcpCall {
  kind: 'mcp';
  server: string;
  tool: string;
  args?: Record<string, unknown>;
  callId?: string;
}

/** Any tool call the fake model can make. */
export type FakeToolCall = FakeExecCall | FakePatchCall | FakeMcpCall;

/**
 * One model response. Its tool calls are emitted first; `message` (when given, or when there are no
 * calls) follows as an assistant message. A response without tool calls ends Codex's turn.
 */
export interface FakeTurn {
  calls?: readonly FakeToolCall[];
  message?: string;
}

/** A whole script. After its last entry the model answers every further request with `done`. */
export type FakeScript = readonly FakeTurn[];

/** A shell call. */
export function exec(cmd: string, callId?: string): FakeExecCall {
  return callId === undefined ? { kind: 'exec', cmd } : { kind: 'exec', cmd, callId };
}

/** An apply_patch call with the given patch text. */
export function patch(text: string, callId?: string): FakePatchCall {
  return callId === undefined ? { kind: 'patch', patch: text } : { kind: 'patch', patch: text, callId };
}

/** An apply_patch call adding one file (a convenience for the common case). */
export function addFilePatch(path: string, content: string, callId?: string): FakePatchCall {
  const lines = content.split('\n').map((line) => `+${line}`).join('\n');
  return patch(`*** Begin Patch\n*** Add File: ${path}\n${lines}\n*** End Patch\n`, callId);
}

/** An MCP tool call. */
export function mcp(server: string, tool: string, args: Record<string, unknown> = {}, callId?: string): FakeMcpCall {
  const call: FakeMcpCall = { kind: 'mcp', server, tool, args };
  if (callId !== undefined) call.callId = callId;
  return call;
}
