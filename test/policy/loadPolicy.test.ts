/**
 * Loading policy files: defaults without a file, the user's file, a project file that can only
 * tighten, and errors that name the file and line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/policy/defaultPolicy.js';
import { invalidPolicyDecision } from '../../src/policy/invalidPolicyDecision.js';
import { loadPolicy } from '../../src/policy/loadPolicy.js';

let root: string;
let home: string;
let vaibotHome: string;
let project: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vaibot-policy-'));
  home = join(root, 'home');
  vaibotHome = join(home, '.vaibot');
  project = join(home, 'work', 'proj');
  mkdirSync(vaibotHome, { recursive: true });
  mkdirSync(join(project, 'src'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const userPolicy = (text: string) => writeFileSync(join(vaibotHome, 'policy.yaml'), text);
const projectPolicy = (text: string) => {
  mkdirSync(join(project, '.vaibot'), { recursive: true });
  writeFileSync(join(project, '.vaibot', 'policy.yaml'), text);
};
const load = (cwd = project) => loadPolicy({ vaibotHome, cwd, home });

describe('loadPolicy', () => {
  it('returns the defaults when there is no policy file', async () => {
    const r = await load();
    expect(r).toEqual({ ok: true, policy: { ...DEFAULT_POLICY, files: [] }, warnings: [] });
  });

  it('reads the user policy: escalation overrides and rules, with ~ in path globs expanded', async () => {
    userPolicy(`version: 1
escalation:
  medium: approval_required
rules:
  - id: no-docker-push
    description: pushing images needs a human
    action: approval_required
    match: { program: docker, args: '^push\\b' }
  - id: my-api
    action: allow
    match: { program: curl, args: 'https://api\\.mine\\.example' }
  - id: notes
    action: deny
    match: { path: '~/notes/**', access: write }
`);
    const r = await load();
    if (!r.ok) throw new Error(r.message);
    expect(r.policy.escalation).toEqual({ ...DEFAULT_POLICY.escalation, medium: 'approval_required' });
    expect(r.policy.rules.map((x) => x.id)).toEqual(['no-docker-push', 'my-api', 'notes']);
    expect(r.policy.rules[2]!.match.path).toBe(`${home}/notes/**`);
    expect(r.policy.files).toEqual([join(vaibotHome, 'policy.yaml')]);
  });

  it('treats an empty file as an empty policy', async () => {
    userPolicy('# nothing yet\n');
    const r = await load();
    expect(r.ok && r.policy.rules).toEqual([]);
  });

  it('lets a project policy tighten but never loosen', async () => {
    userPolicy('version: 1\nescalation:\n  high: allow\n');
    projectPolicy(`version: 1
escalation:
  high: approval_required
  dangerous: allow
rules:
  - id: no-publish
    action: deny
    match: { ruleId: 'publish.*' }
  - id: sneaky
    action: allow
    match: { program: rm }
`);
    const r = await load(join(project, 'src'));
    if (!r.ok) throw new Error(r.message);
    expect(r.policy.escalation.high).toBe('approval_required');
    expect(r.policy.escalation.dangerous).toBe('deny');
    expect(r.policy.rules.map((x) => `${x.source}:${x.id}`)).toEqual(['project:no-publish']);
    expect(r.warnings.join('\n')).toMatch(/dangerous: allow ignored/);
    expect(r.warnings.join('\n')).toMatch(/rule sneaky ignored/);
  });

  it('does not look for a project policy at or above home', async () => {
    mkdirSync(join(home, '.vaibot'), { recursive: true });
    writeFileSync(join(root, '.vaibot-not-here'), '');
    const r = await load(home);
    expect(r.ok && r.policy.files).toEqual([]);
  });

  it('names the file and line of a YAML syntax error', async () => {
    userPolicy('version: 1\nrules:\n  - id: x\n    action: deny\n   match: {\n');
    const r = await load();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.file).toBe(join(vaibotHome, 'policy.yaml'));
    expect(r.line).toBeGreaterThanOrEqual(4);
    expect(r.message).toMatch(/^YAML syntax/);
  });

  it('names the line of a schema error', async () => {
    userPolicy('version: 1\nrules:\n  - id: ok\n    action: allow\n    match: {}\n  - id: bad\n    action: maybe\n    match: {}\n');
    const r = await load();
    expect(r).toMatchObject({ ok: false, line: 7 });
    if (!r.ok) expect(r.message).toMatch(/rules\[1\]\.action: must be "allow" or "approval_required" or "deny"/);
  });

  it('names the line of an unknown key', async () => {
    userPolicy('version: 1\nrules:\n  - id: x\n    action: deny\n    match:\n      programme: rm\n');
    const r = await load();
    expect(r).toMatchObject({ ok: false, line: 6 });
    if (!r.ok) expect(r.message).toMatch(/unknown key "programme"/);
  });

  it('rejects an invalid regular expression, a duplicate id and a missing version', async () => {
    userPolicy('version: 1\nrules:\n  - id: x\n    action: deny\n    match: { args: "(" }\n');
    expect(await load()).toMatchObject({ ok: false, line: 5 });
    userPolicy('version: 1\nrules:\n  - { id: x, action: deny, match: {} }\n  - { id: x, action: deny, match: {} }\n');
    expect(await load()).toMatchObject({ ok: false, line: 4 });
    userPolicy('rules: []\n');
    const r = await load();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^version: /);
  });

  it('reports an invalid project policy with its own file name', async () => {
    projectPolicy('version: 2\n');
    const r = await load();
    expect(r).toMatchObject({ ok: false, file: join(project, '.vaibot', 'policy.yaml'), line: 1 });
  });
});

describe('invalidPolicyDecision', () => {
  it('denies, naming the file, the line and the error, without a trailing period', () => {
    const d = invalidPolicyDecision({ file: '/h/.vaibot/policy.yaml', line: 7, message: 'rules[1].action: must be "allow".' });
    expect(d.action).toBe('deny');
    expect(d.reason).toContain('/h/.vaibot/policy.yaml:7');
    expect(d.reason).toContain('rules[1].action: must be "allow"');
    expect(d.reason.endsWith('.')).toBe(false);
    expect(d.ruleIds).toEqual(['policy.invalid']);
  });
});

describe('outputs.secrets', () => {
  it('defaults to withhold, the user may allow, and a project may only tighten back to withhold', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadPolicy } = await import('../../src/policy/index.js');
    const root = mkdtempSync(join(tmpdir(), 'vaibot-outputs-'));
    const vaibotHome = join(root, '.vaibot');
    const project = join(root, 'proj');
    mkdirSync(vaibotHome, { recursive: true });
    mkdirSync(join(project, '.vaibot'), { recursive: true });
    const none = await loadPolicy({ vaibotHome, cwd: project, home: root });
    expect(none.ok && none.policy.outputs?.secrets).toBe('withhold');
    writeFileSync(join(vaibotHome, 'policy.yaml'), 'version: 1\noutputs:\n  secrets: allow\n');
    const user = await loadPolicy({ vaibotHome, cwd: project, home: root });
    expect(user.ok && user.policy.outputs?.secrets).toBe('allow');
  });
});
