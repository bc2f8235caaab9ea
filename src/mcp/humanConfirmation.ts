import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';

/** How long a confirmation may wait for the human before it counts as unanswered (5 minutes). */
export const CONFIRMATION_TIMEOUT_MS = 300_000;

/** What the human is asked to confirm: one exact action, as the governance log describes it. */
export interface ConfirmationRequest {
  action: 'approve' | 'deny';
  hash: string;
  tool: string;
  /** The redacted intent, summarized (command, patched files, MCP tool). */
  summary: string | null;
  risk: { level: string; reason: string } | null;
  /** Why the policy asked for approval. */
  reason: string;
  sessionId: string;
  requestedAt: string;
  /** approve: the scope the agent asked for (the human can change it). */
  scope?: 'once' | 'session';
  /** deny: the reason the agent proposed (the human can change it). */
  denyReason?: string;
}

/** The human's answer. Only `confirmed` lets an approve/deny take effect. */
export type ConfirmationOutcome =
  | { kind: 'confirmed'; scope: 'once' | 'session'; denyReason: string | undefined }
  | { kind: 'declined'; how: 'declined' | 'unticked' }
  | { kind: 'unanswered'; why: string };

/** Whether the connected client announced form elicitation (a way to ask its human directly). */
export function canElicit(server: Server): boolean {
  return server.getClientCapabilities()?.elicitation?.form !== undefined;
}

/** The confirmation text: intent, risk and hash, so the human sees exactly what they approve. */
export function confirmationMessage(req: ConfirmationRequest): string {
  const verb = req.action === 'approve' ? 'APPROVE' : 'DENY';
  return [
    `VAIBot: ${verb} this exact action? (asked by the agent; only you can confirm)`,
    `Tool: ${req.tool}`,
    ...(req.summary ? [`Action: ${req.summary}`] : []),
    `Risk: ${req.risk ? `${req.risk.level} — ${req.risk.reason}` : 'not recorded'}`,
    `Why it was held: ${req.reason}`,
    `Content hash: ${req.hash}`,
    `Requested ${req.requestedAt} by session ${req.sessionId}`,
    req.action === 'approve'
      ? 'Approving lets the agent run this exact action when it retries; anything different asks again.'
      : 'Denying is final: this exact action will be blocked from now on.',
  ].join('\n');
}

function formFor(req: ConfirmationRequest): ElicitRequestFormParams {
  const properties: ElicitRequestFormParams['requestedSchema']['properties'] =
    req.action === 'approve'
      ? {
          confirm: { type: 'boolean', title: 'Approve this exact action', description: `Approve ${req.hash}`, default: false },
          scope: {
            type: 'string',
            title: 'For how long',
            enum: ['once', 'session'],
            enumNames: ['Once (the next retry only)', 'For the rest of the requesting session'],
            default: req.scope ?? 'once',
          },
        }
      : {
          confirm: { type: 'boolean', title: 'Deny this exact action (final)', description: `Deny ${req.hash}`, default: false },
          reason: { type: 'string', title: 'Reason (optional, recorded)', maxLength: 500, ...(req.denyReason ? { default: req.denyReason } : {}) },
        };
  return { mode: 'form', message: confirmationMessage(req), requestedSchema: { type: 'object', properties, required: ['confirm'] } };
}

/**
 * Ask the client's human to confirm one approve/deny through MCP form elicitation. The answer is the
 * human's, not the model's: the client renders the form and returns what its user chose. A dismissed
 * form (`cancel`), an unsupported client, an error or the
 * timeout are `unanswered`; `decline` (which is what `codex exec` answers, without asking anyone), or
 * accepting without ticking the box, is `declined`.
 */
export async function confirmWithHuman(
  server: Server,
  req: ConfirmationRequest,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ConfirmationOutcome> {
  if (!canElicit(server)) return { kind: 'unanswered', why: 'this client cannot ask the human for a confirmation (no MCP elicitation support)' };
  let result;
  try {
    result = await server.elicitInput(formFor(req), {
      timeout: options.timeoutMs ?? CONFIRMATION_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    return { kind: 'unanswered', why: `the confirmation could not be shown or was not answered (${err instanceof Error ? err.message : String(err)})` };
  }
  if (result.action === 'cancel') {
    return { kind: 'unanswered', why: 'the confirmation was dismissed without an answer (non-interactive clients such as `codex exec` dismiss every confirmation)' };
  }
  if (result.action === 'decline') return { kind: 'declined', how: 'declined' };
  if (result.content?.confirm !== true) return { kind: 'declined', how: 'unticked' };
  const scope = result.content.scope === 'session' ? 'session' : 'once';
  const reason = typeof result.content.reason === 'string' && result.content.reason.trim() !== '' ? result.content.reason.trim() : req.denyReason;
  return { kind: 'confirmed', scope, denyReason: reason };
}
