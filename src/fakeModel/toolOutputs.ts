/** What Codex told the model about one tool call: the `*_call_output` item it sent back. */
export interface ToolOutput {
  callId: string;
  /** `function_call_output` (shell, MCP) or `custom_tool_call_output` (apply_patch). */
  type: 'function_call_output' | 'custom_tool_call_output';
  /** The output as text (content-item arrays are joined by newlines). */
  output: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flattens an output that is either a string or a list of content items into text. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    return output
      .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : JSON.stringify(part)))
      .join('\n');
  }
  if (isRecord(output) && typeof output.content === 'string') return output.content;
  return JSON.stringify(output ?? null);
}

/**
 * The tool outputs found in one Responses request body (its `input` history), keyed by call id.
 * Unknown shapes are skipped: the body comes from Codex and is only read, never trusted.
 */
export function toolOutputsOf(body: unknown): Map<string, ToolOutput> {
  const found = new Map<string, ToolOutput>();
  if (!isRecord(body) || !Array.isArray(body.input)) return found;
  for (const item of body.input) {
    if (!isRecord(item) || typeof item.call_id !== 'string') continue;
    if (item.type !== 'function_call_output' && item.type !== 'custom_tool_call_output') continue;
    found.set(item.call_id, { callId: item.call_id, type: item.type, output: outputText(item.output) });
  }
  return found;
}
