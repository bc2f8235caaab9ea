import { existsSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { databaseFile } from '../../state/paths.js';
import { openSqliteStore } from '../../store/sqliteStore.js';
import { intentSummary } from '../intentSummary.js';
import type { McpContext } from '../mcpContext.js';
import { requireEmbedded } from '../requireEmbedded.js';
import { runTool, toolSuccess } from '../toolResult.js';
import { contentHashArg, limitArg } from './args.js';

/** Input schema of `recent`. */
export const recentInput = z.strictObject({
  limit: limitArg(10, 100),
  hash: contentHashArg.optional().describe('Only receipts of this content hash'),
  sessionId: z.string({ error: '`sessionId` must be text' }).min(1, { error: '`sessionId` must not be empty' }).max(200).optional().describe('Only receipts of this Codex session'),
  kind: z.enum(['decision', 'outcome'], { error: '`kind` must be "decision" or "outcome"' }).optional().describe('Only decisions or only outcomes'),
});

const receiptRow = z.object({
  seq: z.number(),
  id: z.string(),
  at: z.string(),
  kind: z.enum(['decision', 'outcome']),
  tool: z.string(),
  intent: z.string(),
  contentHash: z.string(),
  mode: z.enum(['observe', 'enforce']),
  decision: z.string().nullable(),
  wouldBe: z.string().nullable(),
  basis: z.string(),
  risk: z.object({ level: z.string(), reason: z.string(), ruleIds: z.array(z.string()) }).nullable(),
  approvalState: z.string().nullable(),
  outcome: z.object({ status: z.string(), exitCode: z.number().nullable(), durationMs: z.number().nullable() }).nullable(),
  sessionId: z.string().nullable(),
});

/** Output schema of `recent`. */
export const recentOutput = z.object({
  summary: z.string().describe('The result in words, for the user'),
  receipts: z.array(receiptRow),
  total: z.number(),
});

/** `recent`: the newest receipts (decisions and outcomes) of the local log, newest first. */
export function registerRecentTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'recent',
    {
      title: 'VAIBot recent receipts',
      description:
        'Show the newest VAIBot receipts (newest first): each decision (allow / deny / approval_required, with risk and reason) and each outcome, optionally only for one content hash, session or kind. Secrets are redacted. Read-only.',
      inputSchema: recentInput,
      outputSchema: recentOutput,
      annotations: { title: 'VAIBot recent receipts', readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('recent', ctx.log, () => {
        const settings = ctx.settings();
        requireEmbedded(settings, 'receipts');
        const db = databaseFile(settings.home);
        let receipts: Array<z.infer<typeof receiptRow>> = [];
        let total = 0;
        if (existsSync(db)) {
          const store = openSqliteStore(db, { readonly: true });
          try {
            total = store.count();
            receipts = store
              .list({ limit: args.limit, ...(args.hash ? { contentHash: args.hash } : {}), ...(args.sessionId ? { sessionId: args.sessionId } : {}), ...(args.kind ? { kind: args.kind } : {}) })
              .map(({ seq, receipt: r }) => ({
                seq,
                id: r.id,
                at: r.at,
                kind: r.kind,
                tool: r.tool,
                intent: intentSummary(r.intent, 300),
                contentHash: r.content_hash,
                mode: r.mode,
                decision: r.decision,
                wouldBe: r.mode === 'observe' && r.shadow_decision !== r.decision ? r.shadow_decision : null,
                basis: r.basis,
                risk: r.risk ? { level: r.risk.level, reason: r.risk.reason, ruleIds: r.risk.rule_ids } : null,
                approvalState: r.approval_state,
                outcome: r.outcome ? { status: r.outcome.status, exitCode: r.outcome.exit_code, durationMs: r.outcome.duration_ms } : null,
                sessionId: r.session_id,
              }));
          } finally {
            store.close();
          }
        }
        const lines =
          receipts.length === 0
            ? ['No receipts match.']
            : [
                `${receipts.length} receipt(s), newest first (${total} in the log):`,
                ...receipts.map((r) => {
                  const verdict =
                    r.kind === 'outcome'
                      ? `outcome ${r.outcome?.status ?? '?'}${r.outcome?.exitCode !== null && r.outcome?.exitCode !== undefined ? ` (exit ${r.outcome.exitCode})` : ''}`
                      : `${r.decision}${r.wouldBe ? ` (would be ${r.wouldBe})` : ''} [${r.basis}${r.risk ? `, ${r.risk.level}` : ''}]`;
                  return `#${r.seq} ${r.at} ${r.tool} ${verdict}: ${r.intent.slice(0, 120)}`;
                }),
              ];
        return toolSuccess(lines.join('\n'), { receipts, total });
      }),
  );
}
