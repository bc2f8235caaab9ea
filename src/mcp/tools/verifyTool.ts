import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import type { McpContext } from '../mcpContext.js';
import { requireEmbedded } from '../requireEmbedded.js';
import { runTool, toolSuccess } from '../toolResult.js';
import type { VerifyTarget } from '../receiptVerification.js';
import { contentHashArg } from './args.js';

/** Input schema of `verify`: exactly one of `hash` and `receiptId`. */
export const verifyInput = z
  .strictObject({
    hash: contentHashArg.optional().describe('Verify every receipt of this content hash'),
    receiptId: z
      .string({ error: '`receiptId` must be text' })
      .regex(/^[0-9a-zA-Z-]{8,64}$/, { error: '`receiptId` must be a receipt id (a UUID, as `recent` shows it)' })
      .optional()
      .describe('Verify this one receipt'),
  })
  .refine((a) => (a.hash === undefined) !== (a.receiptId === undefined), { error: 'give exactly one of `hash` or `receiptId`' });

const check = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() });

/** Output schema of `verify`. */
export const verifyOutput = z.object({
  summary: z.string().describe('The result in words, for the user'),
  target: z.union([z.object({ kind: z.literal('hash'), hash: z.string() }), z.object({ kind: z.literal('receipt'), id: z.string() })]),
  found: z.number(),
  ok: z.boolean(),
  receipts: z.array(
    z.object({
      id: z.string(),
      seq: z.number(),
      kind: z.enum(['decision', 'outcome']),
      at: z.string(),
      tool: z.string(),
      contentHash: z.string(),
      decision: z.string().nullable(),
      leafHash: z.string(),
      checks: z.array(check),
      ok: z.boolean(),
    }),
  ),
  limits: z.array(z.string()),
});

/** `verify`: check the receipts of one action (or one receipt) against the log. */
export function registerVerifyTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'verify',
    {
      title: 'VAIBot verify receipts',
      description:
        'Verify the receipts of one action (by content hash) or one receipt (by id) against the VAIBot log, naming any check that fails. Read-only.',
      inputSchema: verifyInput,
      outputSchema: verifyOutput,
      annotations: { title: 'VAIBot verify receipts', readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('verify', ctx.log, async () => {
        const settings = ctx.settings();
        requireEmbedded(settings, 'receipts');
        const target: VerifyTarget = args.hash !== undefined ? { kind: 'hash', hash: args.hash } : { kind: 'receipt', id: args.receiptId as string };
        const report = await ctx.verifier(settings, target);
        const name = target.kind === 'hash' ? `content hash ${target.hash}` : `receipt ${target.id}`;
        const lines =
          report.found === 0
            ? [`No receipts found for ${name}.`]
            : [
                `${report.ok ? 'VERIFIED' : 'FAILED'}: ${report.found} receipt(s) for ${name}.`,
                ...report.receipts.flatMap((r) => [
                  `- #${r.seq} ${r.kind} ${r.at} ${r.tool}${r.decision ? ` ${r.decision}` : ''}: ${r.ok ? 'ok' : 'FAILED'}`,
                  ...r.checks.filter((c) => !c.ok).map((c) => `    ${c.name}: ${c.detail}`),
                ]),
              ];
        lines.push(...report.limits.map((l) => `Note: ${l}.`));
        return toolSuccess(lines.join('\n'), report);
      }),
  );
}
