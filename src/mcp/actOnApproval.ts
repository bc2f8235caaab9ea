import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ApprovalScope, Approver } from '../../machines/approval.types.js';
import { approveIntent, denyIntent, type HumanActResult } from '../governance/humanApprovals.js';
import { loadApproval, type PersistedApproval } from '../state/approvalStore.js';
import { approvalLinks, type ApprovalLinks } from './approvalLinks.js';
import { canElicit, confirmWithHuman, type ConfirmationOutcome } from './humanConfirmation.js';
import { intentDetails, type IntentDetails } from './intentDetails.js';
import type { McpContext } from './mcpContext.js';
import { McpToolError } from './mcpToolError.js';

/** What the agent asked for: approve or deny one exact action. */
export interface ApprovalActRequest {
  action: 'approve' | 'deny';
  hash: string;
  /** approve: the scope the agent proposes (the human may change it). */
  scope?: 'once' | 'session';
  /** deny: the reason the agent proposes (the human may change it). */
  reason?: string;
  /** The Codex session making the call (for the agent-mediated approver's id). */
  callerSessionId: string | null;
  signal?: AbortSignal;
}

/**
 * How it ended.
 * - `approved` / `denied`: it took effect, confirmed by a human (`mcp-elicitation`) or, only when the user
 *   enabled it, on the agent's word (`agent-mediated`).
 * - `declined`: the human said no; nothing changed.
 * - `needs_human`: no human could be asked here; nothing changed; the links say where the human acts.
 * - `unchanged`: the request was already answered, used or expired; nothing changed.
 */
export type ApprovalActOutcome = 'approved' | 'denied' | 'declined' | 'needs_human' | 'unchanged';

/** The result of {@link actOnApproval}: enough for the model to tell the user exactly what happened. */
export interface ApprovalActResult extends ApprovalLinks {
  action: 'approve' | 'deny';
  hash: string;
  outcome: ApprovalActOutcome;
  /** True only when the approval state changed now. */
  tookEffect: boolean;
  via: 'mcp-elicitation' | 'agent-mediated' | null;
  /** The approval state after the call (null in remote mode, where the server keeps it). */
  state: string | null;
  tool: string | null;
  /** Why the action was held. */
  heldBecause: string | null;
  intent: string | null;
  risk: { level: string; reason: string } | null;
  scope: 'once' | 'session' | null;
  /** The explanation for anything but a plain success. */
  why: string | null;
}

function waiting(a: PersistedApproval, now: number): boolean {
  return (a.value === 'pending' || a.value === 'blocked_until_approved') && a.context.expiresAt > now;
}

function stateWhy(a: PersistedApproval, now: number): string {
  if ((a.value === 'pending' || a.value === 'blocked_until_approved') && a.context.expiresAt <= now) return 'the request expired; ask the agent to retry the action to create a new one';
  switch (a.value) {
    case 'approved':
      return 'it is already approved; the agent can retry it';
    case 'denied':
      return `it was already denied (${a.context.denialReason ?? 'no reason given'}); denial is final`;
    case 'consumed':
      return 'its approval was already used; a new attempt asks again';
    case 'expired':
      return 'the request expired; ask the agent to retry the action to create a new one';
    default:
      return `it is ${a.value}`;
  }
}

/**
 * Approve or deny one exact action on the agent's request, but only with a human's confirmation: an MCP
 * elicitation the client shows its user, or, when the user has turned it on (VAIBOT_AGENT_APPROVALS=1),
 * the agent's word. Without either, nothing changes and the result carries the dashboard link and the
 * CLI command for the human. Throws `not_found` (McpToolError) for a hash with no request.
 */
export async function actOnApproval(server: Server, ctx: McpContext, req: ApprovalActRequest): Promise<ApprovalActResult> {
  const settings = ctx.settings();
  const links = approvalLinks(settings.dashboardUrl, req.hash);
  const base = { ...links, action: req.action, hash: req.hash, tookEffect: false, via: null, scope: null } as const;

  if (settings.apiUrl !== undefined) {
    return {
      ...base,
      outcome: 'needs_human',
      state: null,
      tool: null,
      heldBecause: null,
      intent: null,
      risk: null,
      why: `approvals are kept by the governance server at ${settings.apiUrl}, where only a human approver can ${req.action}`,
    };
  }

  const now = ctx.now();
  const current = loadApproval(settings.home, req.hash);
  if (current === null) {
    throw new McpToolError(
      'not_found',
      `no action with hash ${req.hash} is waiting for approval in ${settings.home}: VAIBot never held it here (check for a typo, or it was held under another VAIBOT_HOME)`,
      'list the actions waiting for a human with the `pending` tool and copy the hash whole',
    );
  }
  let details: IntentDetails | null = null;
  try {
    details = intentDetails(settings.home, req.hash);
  } catch (err) {
    ctx.log(`vaibot mcp: cannot read the receipt for ${req.hash}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const described = {
    tool: current.context.tool,
    heldBecause: current.context.reason,
    intent: details?.summary ?? null,
    risk: details?.risk ? { level: details.risk.level, reason: details.risk.reason } : null,
  };
  if (!waiting(current, now)) {
    return { ...base, ...described, outcome: 'unchanged', state: current.value, why: stateWhy(current, now) };
  }

  // VAIBOT_AGENT_APPROVALS=1 is the user's standing permission for the agent to approve through MCP
  // without a confirmation (a documented risk). Otherwise a human must confirm in the client.
  let approver: Approver;
  let scope: 'once' | 'session';
  let denyReason: string | undefined;
  if (settings.agentApprovals) {
    approver = ctx.agent(req.callerSessionId);
    scope = req.scope ?? 'once';
    denyReason = req.reason;
  } else {
    const answer: ConfirmationOutcome = canElicit(server)
      ? await confirmWithHuman(
          server,
          {
            action: req.action,
            hash: req.hash,
            tool: described.tool,
            summary: described.intent,
            risk: described.risk,
            reason: described.heldBecause,
            sessionId: current.context.sessionId,
            requestedAt: new Date(current.context.requestedAt).toISOString(),
            ...(req.scope ? { scope: req.scope } : {}),
            ...(req.reason ? { denyReason: req.reason } : {}),
          },
          req.signal ? { signal: req.signal } : {},
        )
      : { kind: 'unanswered', why: 'this client cannot ask the human for a confirmation (no MCP elicitation support)' };
    if (answer.kind === 'declined') {
      return {
        ...base,
        ...described,
        outcome: 'declined',
        state: current.value,
        why: `the confirmation was declined (${answer.how === 'unticked' ? 'the box was not ticked' : 'by the human, or by a client that cannot ask one: `codex exec` declines every confirmation'})`,
      };
    }
    if (answer.kind === 'unanswered') {
      return {
        ...base,
        ...described,
        outcome: 'needs_human',
        state: current.value,
        why: `${answer.why}; the agent cannot ${req.action} on its own, so a human must do it`,
      };
    }
    approver = ctx.human('mcp-elicitation');
    scope = answer.scope;
    denyReason = answer.denyReason;
  }

  const at = ctx.now();
  let result: HumanActResult;
  if (req.action === 'approve') {
    const approvalScope: ApprovalScope = scope === 'session' ? { kind: 'session', sessionId: current.context.sessionId } : { kind: 'once' };
    result = approveIntent(settings.home, req.hash, approver, approvalScope, at);
  } else {
    result = denyIntent(settings.home, req.hash, approver, denyReason, at);
  }
  const via = approver.via === 'agent-mediated' ? 'agent-mediated' : 'mcp-elicitation';
  if (result.kind === 'unchanged') {
    return { ...base, ...described, outcome: 'unchanged', state: result.approval.value, via, why: result.why };
  }
  return {
    ...base,
    ...described,
    outcome: req.action === 'approve' ? 'approved' : 'denied',
    tookEffect: true,
    state: result.approval.value,
    via,
    scope: req.action === 'approve' ? scope : null,
    why: null,
  };
}
