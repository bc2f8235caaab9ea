import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { actOnApproval } from '../actOnApproval.js';
import type { McpContext } from '../mcpContext.js';
import { runTool, toolSuccess } from '../toolResult.js';
import { approvalActOutput, approvalActText } from './approvalActSchema.js';
import { codexSessionId, contentHashArg } from './args.js';

/** Input schema of `approve`. */
export const approveInput = z.strictObject({
  hash: contentHashArg,
  scope: z
    .enum(['once', 'session'], { error: '`scope` must be "once" or "session"' })
    .default('once')
    .describe('once: the next retry only (default); session: every retry of this exact action in the session that asked. The human can change it.'),
});

/** `approve`: ask the human to approve one blocked action; never takes effect on the model's word alone. */
export function registerApproveTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'approve',
    {
      title: 'Approve a VAIBot-blocked action (asks the human)',
      description:
        'Ask the human to approve one exact action VAIBot blocked, identified by its content hash. The human confirms in a dialog showing the action, its risk and hash; the agent cannot approve by itself. If no dialog can be shown, nothing is approved and the result gives the dashboard link and the `vaibot approve` command for the user. Only after outcome "approved" retry the same exact action; never retry it in another form.',
      inputSchema: approveInput,
      outputSchema: approvalActOutput,
      annotations: { title: 'Approve a blocked action', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool('approve', ctx.log, async () => {
        const result = await actOnApproval(server.server, ctx, {
          action: 'approve',
          hash: args.hash,
          scope: args.scope,
          callerSessionId: codexSessionId(extra._meta as Record<string, unknown> | undefined),
          signal: extra.signal,
        });
        return toolSuccess(approvalActText(result), result);
      }),
  );
}
