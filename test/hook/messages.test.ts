import { describe, expect, it } from 'vitest';
import { denyMessage } from '../../src/hook/messages.js';
import type { Verdict } from '../../src/governance/governanceService.js';

const verdict = (over: Partial<Verdict>): Verdict => ({
  decision: 'deny', policyDecision: 'deny', basis: 'policy', reason: 'risk dangerous: recursive delete of your home',
  risk: { level: 'dangerous', reason: 'recursive delete of your home', findings: [] }, ruleIds: ['fs.rm-home'], approvalState: null, receiptId: 'r1', ...over,
});

describe('deny messages', () => {
  it('a policy deny states the risk level once, the rules, and that there is no approval path', () => {
    expect(denyMessage('Bash', verdict({}))).toBe('VAIBot denied this Bash call — dangerous risk: recursive delete of your home [fs.rm-home]. Policy does not allow it and there is no approval path; do not retry it in another form');
  });

  it('a deny because the server cannot be asked claims no risk level and keeps the next steps', () => {
    const m = denyMessage('Bash', verdict({
      basis: 'breaker_open', ruleIds: [], risk: { level: 'none', reason: 'not classified', findings: [] },
      reason: 'VAIBot: the governance server is unreachable (timeout), so Bash cannot be checked and is blocked. Next steps: retry in a moment',
    }));
    expect(m).toBe('VAIBot denied this Bash call — the governance server is unreachable (timeout), so Bash cannot be checked and is blocked. Next steps: retry in a moment');
    expect(m).not.toMatch(/risk:/);
  });
});
