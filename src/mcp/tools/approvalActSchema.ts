import * as z from 'zod';
import type { ApprovalActResult } from '../actOnApproval.js';

/** Output schema shared by `approve` and `deny`. */
export const approvalActOutput = z.object({
  summary: z.string().describe('The result in words, for the user'),
  action: z.enum(['approve', 'deny']),
  hash: z.string(),
  outcome: z.enum(['approved', 'denied', 'declined', 'needs_human', 'unchanged']),
  tookEffect: z.boolean(),
  via: z.enum(['mcp-elicitation', 'agent-mediated']).nullable(),
  state: z.string().nullable(),
  tool: z.string().nullable(),
  heldBecause: z.string().nullable(),
  intent: z.string().nullable(),
  risk: z.object({ level: z.string(), reason: z.string() }).nullable(),
  scope: z.enum(['once', 'session']).nullable(),
  why: z.string().nullable(),
  dashboardUrl: z.string(),
  approveCommand: z.string(),
  denyCommand: z.string(),
});

/** The readable summary of an approve/deny result: what happened, and what the human must do if anything. */
export function approvalActText(r: ApprovalActResult): string {
  const what = `${r.tool ?? 'action'} ${r.hash}${r.intent ? ` (${r.intent})` : ''}`;
  switch (r.outcome) {
    case 'approved':
      return `Approved ${what} ${r.scope === 'session' ? 'for the rest of its session' : 'once'}, ${r.via === 'agent-mediated' ? 'on the agent\'s word (agent-mediated approvals are enabled by VAIBOT_AGENT_APPROVALS=1)' : 'confirmed by the human'}. Retry the same exact action now; it will be allowed.`;
    case 'denied':
      return `Denied ${what}, ${r.via === 'agent-mediated' ? 'on the agent\'s word (VAIBOT_AGENT_APPROVALS=1)' : 'confirmed by the human'}. This exact action stays blocked; do not retry it in another form.`;
    case 'declined':
      return [
        `NOT ${r.action === 'approve' ? 'approved' : 'denied'}: ${r.why ?? 'the confirmation was declined'}. Nothing changed.`,
        `If the user does want it ${r.action === 'approve' ? 'approved' : 'denied'}, they can do it themselves, then ask you to retry:`,
        `  • open ${r.dashboardUrl}`,
        `  • or run: ${r.action === 'approve' ? r.approveCommand : r.denyCommand}`,
        'Do not retry the blocked action in another form.',
      ].join('\n');
    case 'unchanged':
      return `Nothing changed for ${what}: ${r.why ?? 'it is no longer waiting'}.`;
    case 'needs_human':
      return [
        `NOT ${r.action === 'approve' ? 'approved' : 'denied'}: ${r.why ?? 'a human must do this'}. Nothing changed.`,
        `Tell the user to ${r.action} it themselves, then ask you to retry:`,
        `  • open ${r.dashboardUrl}`,
        `  • or run: ${r.action === 'approve' ? r.approveCommand : r.denyCommand}`,
        'Do not retry the blocked action in another form.',
      ].join('\n');
  }
}
