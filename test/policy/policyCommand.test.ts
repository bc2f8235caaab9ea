/**
 * `vaibot policy`: the effective policy, or the error that makes it unusable.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import policy from '../../src/cli/commands/policy.js';
import type { CliIO } from '../../src/cli/command.js';

let home: string;
const run = async (argv: string[]) => {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: { HOME: home } };
  const code = await policy(argv, io);
  return { code, out, err };
};

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'vaibot-policycmd-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('vaibot policy', () => {
  it('prints the built-in defaults when there is no file', async () => {
    const r = await run(['--cwd', home]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('built-in defaults');
    expect(r.out).toMatch(/^ {2}high: approval_required$/m);
    expect(r.out).toMatch(/^ {2}dangerous: deny$/m);
  });

  it('prints the merged policy as JSON', async () => {
    mkdirSync(join(home, '.vaibot'));
    writeFileSync(join(home, '.vaibot', 'policy.yaml'), 'version: 1\nescalation: { medium: approval_required }\nrules:\n  - { id: r1, action: deny, match: { program: kubectl } }\n');
    const j = JSON.parse((await run(['--cwd', home, '--json'])).out);
    expect(j).toMatchObject({ ok: true, escalation: { medium: 'approval_required' }, rules: [{ id: 'r1', source: 'user' }] });
  });

  it('exits 1 naming the file and line of an invalid policy', async () => {
    mkdirSync(join(home, '.vaibot'));
    writeFileSync(join(home, '.vaibot', 'policy.yaml'), 'version: 1\nescalation:\n  high: sometimes\n');
    const r = await run(['--cwd', home]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(home, '.vaibot', 'policy.yaml')}:3`);
  });

  it('lists the classifier rule ids with --rules', async () => {
    const r = await run(['--rules']);
    expect(r.out).toMatch(/^fs\.rm-home\s+dangerous\s+destroy-files/m);
    expect(r.out).toMatch(/^self\.approval-verb\s+dangerous\s+self-protection/m);
  });
});
