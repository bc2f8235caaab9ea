import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { actOnApproval } from '../actOnApproval.js';
import type { McpContext } from '../mcpContext.js';
import { runTool, toolSuccess } from '../toolResult.js';
import { approvalActOutput, approvalActText } from './approvalActSchema.js';
import { codexSessionId, contentHashArg } from './args.js';

/** Input schema of `deny`. */
export const denyInput = z.strictObject({
  hash: contentHashArg,
  reason: z
    .string({ error: '`reason` must be text' })
    .max(500, { error: '`reason` must be at most 500 characters' })
    .optional()
    .describe('Why it should be denied (recorded; the human can change it)'),
});

/** `deny`: ask the human to deny one blocked action for good; never takes effect on the model's word alone. */
export function registerDenyTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'deny',
    {
      title: 'Deny a VAIBot-blocked action (asks the human)',
      description:
        'Ask the human to deny, for good, one exact action VAIBot blocked, identified by its content hash. The human confirms in a dialog; the agent cannot deny by itself. If no dialog can be shown, nothing changes and the result gives the dashboard link and the `vaibot deny` command for the user.',
      inputSchema: denyInput,
      outputSchema: approvalActOutput,
      annotations: { title: 'Deny a blocked action', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool('deny', ctx.log, async () => {
        const result = await actOnApproval(server.server, ctx, {
          action: 'deny',
          hash: args.hash,
          ...(args.reason !== undefined ? { reason: args.reason } : {}),
          callerSessionId: codexSessionId(extra._meta as Record<string, unknown> | undefined),
          signal: extra.signal,
        });
        return toolSuccess(approvalActText(result), result);
      }),
  );
}
