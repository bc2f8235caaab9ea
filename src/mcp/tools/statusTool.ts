import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { statusReport } from '../../governance/statusReport.js';
import { describeHookState } from '../hookState/describeHookState.js';
import type { McpContext } from '../mcpContext.js';
import { runTool, toolSuccess } from '../toolResult.js';
import { hookStateSchema } from './hookStateSchema.js';

/** Output schema of `status`. */
export const statusOutput = z.object({
  summary: z.string().describe('The result in words, for the user'),
  version: z.string(),
  mode: z.enum(['observe', 'enforce']),
  governance: z.union([z.object({ kind: z.literal('embedded') }), z.object({ kind: z.literal('remote'), url: z.string() })]),
  home: z.string(),
  installId: z.string().nullable(),
  breaker: z
    .object({ state: z.enum(['closed', 'open', 'half_open']), openedAt: z.string().nullable(), cooldownMs: z.number(), recentFailures: z.number() })
    .nullable(),
  pendingCount: z.number(),
  receipts: z.number().nullable(),
  agentApprovals: z.boolean(),
  hooks: hookStateSchema,
  problems: z.array(z.string()),
});

/** `status`: mode, whether the hooks actually govern this session, breaker, waiting approvals, receipts. */
export function registerStatusTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'status',
    {
      title: 'VAIBot status',
      description:
        'Show VAIBot governance status: whether the hooks actually govern this Codex session (and why not, if not), observe/enforce mode, embedded or remote governance, the breaker, how many actions wait for a human, and the receipts count. Read-only.',
      inputSchema: z.strictObject({}),
      outputSchema: statusOutput,
      annotations: { title: 'VAIBot status', readOnlyHint: true, openWorldHint: false },
    },
    () =>
      runTool('status', ctx.log, async () => {
        const settings = ctx.settings();
        const report = statusReport(settings, ctx.now());
        const hooks = await ctx.hookState();
        const out: Omit<z.infer<typeof statusOutput>, 'summary'> = {
          version: report.version,
          mode: report.mode,
          governance: report.governance,
          home: report.home,
          installId: report.installId,
          breaker: report.breaker,
          pendingCount: report.pending.length,
          receipts: report.receipts,
          agentApprovals: report.agentApprovals,
          hooks,
          problems: [...hooks.problems.map((p) => `${p.message}; fix: ${p.fix}`), ...report.problems],
        };
        const text = [
          describeHookState(hooks),
          `VAIBot ${report.version}: mode ${report.mode}${report.mode === 'observe' ? ' (verdicts are recorded, nothing is blocked)' : ' (deny and approval_required are blocked)'}, ${report.governance.kind === 'remote' ? `remote governance at ${report.governance.url}` : 'embedded governance'}.`,
          `Breaker: ${report.breaker ? report.breaker.state : 'unreadable'}. Waiting for a human: ${report.pending.length}${report.pending.length ? ' (see the `pending` tool)' : ''}. Receipts: ${report.receipts ?? 'unreadable'}.`,
          ...(report.agentApprovals ? ['Agent-mediated approvals are ON (VAIBOT_AGENT_APPROVALS=1): the agent can approve held actions without asking the human.'] : []),
          ...report.problems.map((p) => `Problem: ${p}`),
        ].join('\n');
        return toolSuccess(text, out);
      }),
  );
}
