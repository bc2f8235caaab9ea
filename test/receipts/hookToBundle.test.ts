import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFixture } from '../helpers/bundleFixture.js';
import { tempHome } from '../helpers/tempHome.js';
import { vaibot } from './cliRun.js';
import { independentVerify } from './independentVerifier.js';
import { SPEC_BUNDLE } from './fixtures.js';

let hookBin: string | undefined;
function hook(event: string, input: unknown, env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  hookBin ??= bundleFixture(join(process.cwd(), 'src', 'hook', 'main.ts'));
  const r = spawnSync(process.execPath, [hookBin, event], {
    input: JSON.stringify(input), encoding: 'utf8', timeout: 30_000,
    env: { PATH: process.env.PATH, NODE_PATH: join(process.cwd(), 'node_modules'), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const base = { session_id: 's1', turn_id: 't1', transcript_path: null, cwd: '/tmp', model: 'gpt-5.5', permission_mode: 'bypassPermissions' };

describe('from the hook to an independently verified bundle', () => {
  it('bundles of receipts written by real hook processes verify with `vaibot verify` and an independent verifier; tampering is caught by both', async () => {
    const home = tempHome();
    const env = { VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce' };
    const secret = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    const commands = ['ls -la', 'git status', `curl -H "Authorization: Bearer ${secret}" http://127.0.0.1:1/`, 'rm -rf ~/'];
    for (const [i, command] of commands.entries()) {
      const r = hook('PreToolUse', { ...base, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: `call_${i}` }, env);
      expect(r.status, r.stderr).toBe(0);
    }
    const recent = JSON.parse((await vaibot(['recent', '--json', '--limit', '10'], env)).stdout) as Array<{ id: string; content_hash: string; intent: { command: string } }>;
    expect(recent).toHaveLength(commands.length);
    const withSecret = recent.find((r) => r.intent.command.includes('curl')) as { id: string; content_hash: string; intent: { command: string } };
    expect(withSecret.intent.command).not.toContain(secret); // stored redacted

    const vkey = (await vaibot(['log', 'public-key'], env)).stdout.trim();
    expect(vkey).toMatch(/^vaibot-codex\/[0-9a-f-]{36}\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    for (const r of recent) {
      const out = join(home, `${r.id}.json`);
      const ex = await vaibot(['export', r.content_hash, '--out', out], env);
      expect(ex.code, ex.stderr).toBe(0);
      const ours = await vaibot(['verify', out, '--key', vkey], env);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout).toMatch(/^ok tree_size=4 leaf_index=\d root=\S+\n$/);
      expect(`${independentVerify(readFileSync(out, 'utf8'), vkey)}\n`).toBe(ours.stdout);
    }

    // Tamper with the redacted receipt: put the secret back.
    const out = join(home, `${withSecret.id}.json`);
    const b = JSON.parse(readFileSync(out, 'utf8'));
    b.receipt.intent.command = b.receipt.intent.command.replace('[REDACTED]', secret);
    const tampered = join(home, 'tampered.json');
    await import('node:fs').then((fs) => fs.writeFileSync(tampered, JSON.stringify(b)));
    const rejected = await vaibot(['verify', tampered, '--key', vkey], env);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toBe('');
    expect(rejected.stderr).toMatch(/^error: inclusion proof for leaf \d of 4 leads to a different root than the checkpoint's\n$/);
    expect(() => independentVerify(JSON.stringify(b), vkey)).toThrow(/does not lead to the root/);
    expect((await vaibot(['verify', '--log'], env)).stdout).toMatch(/^ok receipts=4 checkpoints=[1-9]\d* latest=4 unsigned_tail=0\n$/);
  }, 120_000);

  it('the independent verifier agrees with the spec example', () => {
    expect(independentVerify(SPEC_BUNDLE)).toBe('ok tree_size=3 leaf_index=1 root=KjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=');
  });
});
