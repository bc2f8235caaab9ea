import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { listApprovals } from '../../governance/humanApprovals.js';
import { approvalLinks } from '../approvalLinks.js';
import type { McpContext } from '../mcpContext.js';
import { runTool, toolSuccess } from '../toolResult.js';
import { limitArg } from './args.js';

/** Input schema of `pending`. */
export const pendingInput = z.strictObject({
  limit: limitArg(20, 100),
  all: z
    .boolean({ error: '`all` must be true or false' })
    .default(false)
    .describe('Also list answered, used and expired requests (default: only those waiting for a human)'),
});

/** Output schema of `pending`. */
export const pendingOutput = z.object({
  summary: z.string().describe('The result in words, for the user'),
  requests: z.array(
    z.object({
      hash: z.string(),
      state: z.string(),
      waiting: z.boolean(),
      tool: z.string(),
      reason: z.string(),
      sessionId: z.string(),
      requestedAt: z.string(),
      expiresAt: z.string(),
      decidedBy: z.object({ id: z.string(), via: z.string() }).nullable(),
      dashboardUrl: z.string(),
      approveCommand: z.string(),
      denyCommand: z.string(),
    }),
  ),
  unreadable: z.array(z.object({ hash: z.string(), error: z.string() })),
  total: z.number(),
});

/** `pending`: actions blocked until a human approves them, with where and how to answer each. */
export function registerPendingTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'pending',
    {
      title: 'VAIBot pending approvals',
      description:
        'List actions VAIBot blocked until a human approves them (newest first), each with its content hash, tool, reason, expiry, the dashboard link and the `vaibot approve` command for the human. Read-only.',
      inputSchema: pendingInput,
      outputSchema: pendingOutput,
      annotations: { title: 'VAIBot pending approvals', readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('pending', ctx.log, () => {
        const settings = ctx.settings();
        const now = ctx.now();
        const listings = listApprovals(settings.home);
        const unreadable = listings.flatMap((l) => (l.ok ? [] : [{ hash: l.hash, error: l.error }]));
        const all = listings.flatMap((l) => {
          if (!l.ok) return [];
          const a = l.approval;
          const waiting = (a.value === 'pending' || a.value === 'blocked_until_approved') && a.context.expiresAt > now;
          if (!waiting && !args.all) return [];
          return [
            {
              hash: a.context.hash,
              state: waiting ? a.value : a.value === 'pending' || a.value === 'blocked_until_approved' ? 'expired' : a.value,
              waiting,
              tool: a.context.tool,
              reason: a.context.reason,
              sessionId: a.context.sessionId,
              requestedAt: new Date(a.context.requestedAt).toISOString(),
              expiresAt: new Date(a.context.expiresAt).toISOString(),
              decidedBy: a.context.decidedBy,
              ...approvalLinks(settings.dashboardUrl, a.context.hash),
            },
          ];
        });
        const requests = all.slice(0, args.limit);
        const lines =
          requests.length === 0
            ? [args.all ? 'No approval requests are recorded.' : 'No actions are waiting for approval.']
            : [
                `${all.length} ${args.all ? 'approval request(s)' : 'action(s) waiting for a human'}${all.length > requests.length ? ` (showing ${requests.length})` : ''}:`,
                ...requests.map((r) => `- ${r.hash} [${r.state}] ${r.tool}: ${r.reason}${r.waiting ? `\n  human: open ${r.dashboardUrl} or run \`${r.approveCommand}\`` : ''}`),
              ];
        if (unreadable.length) lines.push(`${unreadable.length} approval file(s) could not be read: ${unreadable.map((u) => u.error).join('; ')}`);
        return toolSuccess(lines.join('\n'), { requests, unreadable, total: all.length });
      }),
  );
}
