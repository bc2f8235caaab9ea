import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toMcpToolError, type McpToolError } from './mcpToolError.js';

/**
 * A successful tool result: a short readable summary plus the structured content its outputSchema
 * describes. The summary is also the structured content's first field, `summary`: Codex 0.169 shows the
 * model the structured content (as JSON) instead of the text when both are present.
 */
export function toolSuccess<T extends object>(text: string, structured: T): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: { summary: text, ...structured } };
}

/**
 * A tool error as the model sees it: `VAIBot <tool> failed (<code>): <message>. What to do: <fix>`.
 * No structured content (clients validate it only on success).
 */
export function toolFailure(tool: string, err: McpToolError): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `VAIBot ${tool} failed (${err.code}): ${err.message.replace(/[.\s]+$/, '')}. What to do: ${err.fix}.` }],
  };
}

/**
 * Run one tool handler so that nothing it throws escapes: every error becomes a tool error result
 * (unexpected ones are also written to stderr with their stack, for the user's Codex log).
 */
export async function runTool(tool: string, log: (line: string) => void, handler: () => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> {
  try {
    return await handler();
  } catch (err) {
    const failure = toMcpToolError(err);
    if (failure.code === 'internal') log(`vaibot mcp: ${tool} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return toolFailure(tool, failure);
  }
}
