import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import type { McpContext } from '../mcpContext.js';
import { runTool, toolSuccess } from '../toolResult.js';

/** Input schema of `policy`. */
export const policyInput = z.strictObject({
  cwd: z
    .string({ error: '`cwd` must be an absolute path' })
    .regex(/^\//, { error: '`cwd` must be an absolute path' })
    .max(4096)
    .optional()
    .describe("A project directory, to include that project's policy (which can only tighten the user's)"),
});

/** Output schema of `policy`. */
export const policyOutput = z.object({
  summary: z.string().describe('The result in words, for the user'),
  source: z.enum(['builtin', 'file']),
  mode: z.enum(['observe', 'enforce']),
  files: z.array(z.object({ path: z.string(), scope: z.enum(['user', 'project']), exists: z.boolean(), error: z.string().nullable() })),
  rules: z.array(z.object({ id: z.string(), when: z.string(), action: z.enum(['allow', 'deny', 'approval_required']), source: z.string() })),
  notes: z.array(z.string()),
});

/** `policy`: the effective policy (rules, their sources, the files it came from). */
export function registerPolicyTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'policy',
    {
      title: 'VAIBot policy',
      description:
        'Show the effective VAIBot policy: which rules decide allow, deny or approval_required, where each comes from, and which policy files are in effect (an invalid policy file blocks everything in enforce mode). Read-only; the agent cannot change the policy.',
      inputSchema: policyInput,
      outputSchema: policyOutput,
      annotations: { title: 'VAIBot policy', readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('policy', ctx.log, async () => {
        const settings = ctx.settings();
        const view = await ctx.policy(settings, args.cwd ?? null);
        const broken = view.files.filter((f) => f.error !== null);
        const lines = [
          `Policy (${view.source === 'builtin' ? 'built-in defaults' : 'from file'}), mode ${view.mode}:`,
          ...view.rules.map((r) => `- ${r.id}: ${r.when} -> ${r.action}${r.source !== 'builtin' ? ` (${r.source})` : ''}`),
          ...view.files.map((f) => `${f.scope} policy file ${f.path}: ${f.error ? `INVALID (${f.error})` : f.exists ? 'in effect' : 'none'}`),
          ...(broken.length && view.mode === 'enforce' ? ['An invalid policy file makes VAIBot deny every tool call in enforce mode until it is fixed.'] : []),
          ...view.notes,
        ];
        return toolSuccess(lines.join('\n'), view);
      }),
  );
}
