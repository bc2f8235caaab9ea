import type { ResponseItem } from './responseItems.js';

/** One server-sent event: `event: <type>` and the JSON payload (which repeats the type). */
function sseEvent(type: string, payload: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

/**
 * The whole SSE body of one streamed response: `response.created`, one `response.output_item.done` per
 * item, then `response.completed` with a `usage` object (Codex rejects a completion without one).
 */
export function responseStream(responseId: string, items: readonly ResponseItem[]): string {
  const usage = {
    input_tokens: 1,
    input_tokens_details: null,
    output_tokens: 1,
    output_tokens_details: null,
    total_tokens: 2,
  };
  let body = sseEvent('response.created', { response: { id: responseId } });
  items.forEach((item, outputIndex) => {
    body += sseEvent('response.output_item.done', { output_index: outputIndex, item });
  });
  body += sseEvent('response.completed', { response: { id: responseId, usage } });
  return body;
}
