import type { FakeToolCall, FakeTurn } from './script.js';

/** A Responses-API output item, as the fake model emits it. */
export type ResponseItem = Record<string, unknown>;

/** The call id a scripted call gets when the script gives none. */
export function defaultCallId(turnIndex: number, callIndex: number): string {
  return `call_${turnIndex + 1}_${callIndex + 1}`;
}

/** Turns one scripted call into the output item Codex expects (see docs/codex-hooks.md). */
export function toolCallItem(call: FakeToolCall, callId: string): ResponseItem {
  switch (call.kind) {
    case 'exec':
      return { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: call.cmd }), call_id: callId };
    case 'patch':
      return { type: 'custom_tool_call', name: 'apply_patch', input: call.patch, call_id: callId };
    case 'mcp':
      return {
        type: 'function_call',
        namespace: `mcp__${call.server}`,
        name: call.tool,
        arguments: JSON.stringify(call.args ?? {}),
        call_id: callId,
      };
  }
}

/** An assistant message item carrying `text`. */
export function messageItem(text: string, id: string): ResponseItem {
  return { type: 'message', role: 'assistant', id, content: [{ type: 'output_text', text }] };
}

/** The items of the response at `turnIndex` of a script (past its end: a lone `done` message). */
export function turnItems(turn: FakeTurn | undefined, turnIndex: number): ResponseItem[] {
  const calls = turn?.calls ?? [];
  const items = calls.map((call, i) => toolCallItem(call, call.callId ?? defaultCallId(turnIndex, i)));
  const text = turn?.message ?? (calls.length === 0 ? 'done' : undefined);
  if (text !== undefined) items.push(messageItem(text, `msg_${turnIndex + 1}`));
  return items;
}
