import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.js';
import { tempHome } from '../helpers/tempHome.js';
import { existsSync, readdirSync } from 'node:fs';

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env });
  return { code, stdout, stderr };
}

describe('vaibot CLI', () => {
  it('prints both statecharts as stateDiagram-v2 with every state', async () => {
    const r = await cli(['machines', '--mermaid'], {});
    expect(r.code).toBe(0);
    expect(r.stdout.match(/stateDiagram-v2/g)).toHaveLength(2);
    for (const s of ['closed', 'open', 'half_open', 'pending', 'blocked_until_approved', 'approved', 'denied']) expect(r.stdout).toContain(s);
    expect(r.stdout).toContain('closed --> open : call.failed [threshold reached] / trip');
  });

  it('prints the machine definitions as JSON', async () => {
    const r = await cli(['machines', '--json'], {});
    const parsed = JSON.parse(r.stdout);
    expect(Object.keys(parsed)).toEqual(['breaker', 'approval']);
    expect(Object.keys(parsed.breaker.states)).toEqual(['closed', 'open', 'half_open']);
  });

  it('reports a closed breaker in a fresh VAIBOT_HOME and creates nothing', async () => {
    const home = `${tempHome()}/fresh`;
    const r = await cli(['status', '--json'], { VAIBOT_HOME: home, HOME: home });
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status.breaker.state).toBe('closed');
    expect(status.pending).toEqual([]);
    expect(existsSync(home)).toBe(false);
  });

  it('approve and deny refuse malformed and unknown hashes clearly', async () => {
    const home = tempHome();
    expect((await cli(['approve', 'abc'], { VAIBOT_HOME: home })).code).toBe(2);
    const unknown = await cli(['approve', `sha256:${'0'.repeat(64)}`], { VAIBOT_HOME: home });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no approval request');
    expect(readdirSync(home).filter((f) => !f.startsWith('.'))).toEqual(['approvals']);
  });

  it('rejects unknown commands and options', async () => {
    expect((await cli(['frobnicate'], {})).code).toBe(2);
    const r = await cli(['status', '--bogus'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--bogus');
  });
});
