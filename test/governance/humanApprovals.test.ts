import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/tempHome.js';
import { approvalGate } from '../../src/governance/approvalGate.js';
import { approveIntent } from '../../src/governance/humanApprovals.js';
import { approveStep } from '../../src/server/approvalStep.js';
import { loadApproval } from '../../src/state/approvalStore.js';
import { vaibot } from '../receipts/cliRun.js';

const HASH = `sha256:${'ab'.repeat(32)}`;
const TTL = 60_000;
const human = { id: 'alice', via: 'cli' as const };

function heldAndApproved(home: string): void {
  approvalGate({ home, hash: HASH, tool: 'Bash', sessionId: 's1', at: 1_000, ttlMs: TTL, reason: 'risk high: curl' });
  expect(approveIntent(home, HASH, human, { kind: 'once' }, 2_000).kind).toBe('done');
}

describe('approving again an approval that was granted', () => {
  it('says it is already approved while the grant lives', () => {
    const home = tempHome();
    heldAndApproved(home);
    const again = approveIntent(home, HASH, human, { kind: 'once' }, 3_000);
    expect(again).toMatchObject({ kind: 'unchanged', why: 'it is already approved' });
  });

  it('says the grant lapsed unused once the TTL has passed since it was given, in the CLI (exit 1) and on the server alike', async () => {
    const home = tempHome();
    heldAndApproved(home);
    const late = 2_000 + TTL;
    const again = approveIntent(home, HASH, human, { kind: 'once' }, late);
    expect(again.kind).toBe('unchanged');
    expect(again.kind === 'unchanged' && again.why).toMatch(/lapsed unused .*ask the agent to retry, then approve the new request/);
    const cur = loadApproval(home, HASH);
    expect(approveStep(cur!, human, { kind: 'once' }, late).result).toMatchObject({ changed: false, why: expect.stringMatching(/lapsed unused/) });
    // the CLI, with the real clock far past the grant: not approved, exit 1
    const cli = await vaibot(['approve', HASH], { ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_APPROVER: 'alice' });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/Not approved: its earlier approval lapsed unused/);
  });
});
