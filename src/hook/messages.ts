import type { Verdict } from '../governance/governanceService.js';

/** The policy's reason without its own `risk <level>: ` prefix (the message states the level once). */
function why(verdict: Verdict): string {
  return verdict.reason.replace(/^risk [a-z]+: /, '');
}

/** The block text for an action waiting for human approval (the seed's format, made exact). */
export function approvalBlockMessage(tool: string, hash: string, verdict: Verdict, dashboardUrl: string): string {
  const rules = verdict.ruleIds.length ? ` [${verdict.ruleIds.join(', ')}]` : '';
  return [
    `VAIBot blocked this ${tool} call — ${verdict.risk.level} risk: ${why(verdict)}${rules}`,
    `content_hash: ${hash}`,
    'To approve and retry, a human does ONE of:',
    `• Open ${dashboardUrl}/verify/decision/${encodeURIComponent(hash)}`,
    `• Run: vaibot approve ${hash}`,
    'After approving, ask the agent to retry the same action: the exact same action is then allowed. Agent: tell the user what was blocked and this command; do not retry it in another form',
  ].join('\n');
}

/** The block text for an action the policy denies outright. */
export function denyMessage(tool: string, verdict: Verdict): string {
  const rules = verdict.ruleIds.length ? ` [${verdict.ruleIds.join(', ')}]` : '';
  if (verdict.basis === 'previously_denied') {
    return `VAIBot denied this ${tool} call — ${verdict.reason}. Denial is final for this exact action; do not retry it in another form`;
  }
  if (verdict.basis === 'policy_invalid') {
    return `VAIBot denied this ${tool} call — ${verdict.reason}`;
  }
  if (verdict.basis === 'breaker_open') {
    // not a risk verdict: the server could not be asked; the reason names the cause and the next steps
    return `VAIBot denied this ${tool} call — ${verdict.reason.replace(/^VAIBot: /, '')}`;
  }
  return `VAIBot denied this ${tool} call — ${verdict.risk.level} risk: ${why(verdict)}${rules}. Policy does not allow it and there is no approval path; do not retry it in another form`;
}

/** The one-line observe-mode breadcrumb (stderr). */
export function observeLine(tool: string, verdict: Verdict): string {
  return `VAIBot [observe]: ${tool} would be ${verdict.decision} — ${verdict.reason}`;
}
