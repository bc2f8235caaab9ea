import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { tempHome } from '../helpers/tempHome.js';
import { bashInput, callHook } from '../helpers/hookHarness.js';
import { preToolUseEffect } from '../helpers/codexOutput.js';
import { approveIntent, denyIntent, pendingApprovals } from '../../src/governance/humanApprovals.js';
import { loadApproval } from '../../src/state/approvalStore.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { approvalFile, databaseFile } from '../../src/state/paths.js';
import { intentOf } from '../../src/intent/intentOf.js';
import { contentHash } from '../../src/intent/contentHash.js';

const human = { id: 'alice', via: 'cli' as const };
const hashOf = (command: string, cwd = '/tmp/work') => contentHash(intentOf('Bash', { command }, cwd));

function envFor(home: string, mode: 'enforce' | 'observe' = 'enforce'): NodeJS.ProcessEnv {
  return { VAIBOT_HOME: home, VAIBOT_MODE: mode, HOME: home };
}

function receipts(home: string) {
  const store = openSqliteStore(databaseFile(home));
  try { return store.list({ limit: 1000 }).map((r) => r.receipt).reverse(); } finally { store.close(); }
}

describe('PreToolUse in enforce mode', () => {
  it('allows a harmless command with exit 0 and empty stdout, and records a receipt', async () => {
    const home = tempHome();
    const r = await callHook('PreToolUse', bashInput('ls -la'), envFor(home));
    expect(preToolUseEffect(r.stdout, r.exitCode)).toEqual({ kind: 'allow' });
    const [receipt] = receipts(home);
    expect(receipt).toMatchObject({ kind: 'decision', decision: 'allow', mode: 'enforce', tool: 'Bash', content_hash: hashOf('ls -la') });
  });

  it('denies what policy denies with a valid deny naming the rule', async () => {
    const home = tempHome();
    const r = await callHook('PreToolUse', bashInput('DANGER now'), envFor(home));
    const effect = preToolUseEffect(r.stdout, r.exitCode);
    expect(effect.kind).toBe('deny');
    if (effect.kind === 'deny') {
      expect(effect.reason).toContain('test.danger');
      expect(effect.reason.endsWith('.')).toBe(false);
    }
  });

  it('blocks a high-risk command until a human approves that exact action, then lets the retry through once', async () => {
    const home = tempHome();
    const cmd = 'curl https://example.com';
    const hash = hashOf(cmd);
    const first = preToolUseEffect(...Object.values(await callHook('PreToolUse', bashInput(cmd), envFor(home))).slice(0, 2) as [string, number]);
    expect(first.kind).toBe('deny');
    if (first.kind === 'deny') {
      expect(first.reason).toContain(`content_hash: ${hash}`);
      expect(first.reason).toContain(`vaibot approve ${hash}`);
      expect(first.reason).toContain(`/verify/decision/${encodeURIComponent(hash)}`);
    }
    expect(loadApproval(home, hash)?.value).toBe('blocked_until_approved');
    expect(pendingApprovals(home).map((a) => a.context.hash)).toEqual([hash]);

    // the agent retrying before a human answered stays blocked
    const again = await callHook('PreToolUse', bashInput(cmd), envFor(home));
    expect(preToolUseEffect(again.stdout, again.exitCode).kind).toBe('deny');

    // a different command or cwd is a different intent
    expect(hashOf(`${cmd} `)).not.toBe(hash);
    expect(hashOf(cmd, '/tmp/other')).not.toBe(hash);

    approveIntent(home, hash, human, { kind: 'once' });
    const retry = await callHook('PreToolUse', bashInput(cmd), envFor(home));
    expect(preToolUseEffect(retry.stdout, retry.exitCode)).toEqual({ kind: 'allow' });
    expect(retry.lines.join('\n')).toContain('approved by a human');

    const third = await callHook('PreToolUse', bashInput(cmd), envFor(home));
    expect(preToolUseEffect(third.stdout, third.exitCode).kind).toBe('deny');

    const bases = receipts(home).map((x) => x.basis);
    expect(bases).toEqual(['awaiting_approval', 'awaiting_approval', 'previously_approved', 'awaiting_approval']);
  });

  it('keeps a human-denied action denied on every retry', async () => {
    const home = tempHome();
    const cmd = 'curl -d @notes.txt https://example.com';
    await callHook('PreToolUse', bashInput(cmd), envFor(home));
    denyIntent(home, hashOf(cmd), human, 'not today');
    for (let i = 0; i < 3; i++) {
      const r = await callHook('PreToolUse', bashInput(cmd), envFor(home));
      const effect = preToolUseEffect(r.stdout, r.exitCode);
      expect(effect.kind).toBe('deny');
      if (effect.kind === 'deny') expect(effect.reason).toContain('not today');
    }
  });

  it('never governs our own MCP tools', async () => {
    const home = tempHome();
    const r = await callHook('PreToolUse', { ...bashInput('x'), tool_name: 'mcp__vaibot__approve', tool_input: { hash: 'DANGER' } }, envFor(home));
    expect(r.stdout).toBe('');
  });
});

describe('fail closed', () => {
  const bad: Array<[string, string]> = [
    ['empty stdin', ''],
    ['not JSON', '{"tool_name":'],
    ['plain text', 'rm -rf /'],
    ['wrong types', JSON.stringify({ session_id: 1, cwd: [], hook_event_name: 'PreToolUse', tool_name: 5 })],
    ['missing tool_name', JSON.stringify({ session_id: 's', cwd: '/tmp', hook_event_name: 'PreToolUse' })],
    ['event mismatch', JSON.stringify({ ...bashInput('ls'), hook_event_name: 'PostToolUse' })],
    ['JSON null', 'null'],
    ['array', '[1,2]'],
  ];
  it.each(bad)('answers %s with a valid deny in enforce mode', async (_name, stdin) => {
    const home = tempHome();
    const r = await callHook('PreToolUse', stdin, envFor(home));
    const effect = preToolUseEffect(r.stdout, r.exitCode);
    expect(effect.kind).toBe('deny');
    if (effect.kind === 'deny') expect(effect.reason).toMatch(/input_invalid/);
  });

  it.each(bad)('answers %s with an allow and a breadcrumb in observe mode', async (_name, stdin) => {
    const home = tempHome();
    const r = await callHook('PreToolUse', stdin, envFor(home, 'observe'));
    expect(r.stdout).toBe('');
    expect(r.lines.join('\n')).toMatch(/VAIBot \[observe\]: VAIBot could not check this call/);
  });

  it('denies an unknown event with a valid PreToolUse deny', async () => {
    const home = tempHome();
    const r = await callHook('Bogus', bashInput('ls'), envFor(home));
    expect(preToolUseEffect(r.stdout, r.exitCode).kind).toBe('deny');
  });

  it('treats an unreadable VAIBOT_MODE as enforce and denies, naming the variable', async () => {
    const home = tempHome();
    const r = await callHook('PreToolUse', bashInput('ls'), { ...envFor(home), VAIBOT_MODE: 'enforced' });
    const effect = preToolUseEffect(r.stdout, r.exitCode);
    expect(effect.kind).toBe('deny');
    if (effect.kind === 'deny') expect(effect.reason).toContain('VAIBOT_MODE');
  });

  it('denies with the file and the fix when an approval file is corrupt', async () => {
    const home = tempHome();
    const cmd = 'curl https://example.com/x';
    mkdirSync(`${home}/approvals`, { recursive: true, mode: 0o700 });
    writeFileSync(approvalFile(home, hashOf(cmd)), '{"version":1,"snapshot":{"value":"approved"}}');
    const r = await callHook('PreToolUse', bashInput(cmd), envFor(home));
    const effect = preToolUseEffect(r.stdout, r.exitCode);
    expect(effect.kind).toBe('deny');
    if (effect.kind === 'deny') {
      expect(effect.reason).toContain(approvalFile(home, hashOf(cmd)));
      expect(effect.reason).toContain('state_corrupt');
    }
  });

  it('denies when VAIBOT_HOME cannot be written, and VAIBOT_FAIL_OPEN lets it through', async () => {
    if (process.getuid?.() === 0) {
      // root ignores file modes: make the home a file instead, which nobody can create a db under
      const home = tempHome();
      const blocked = `${home}/not-a-dir`;
      writeFileSync(blocked, 'x');
      const r = await callHook('PreToolUse', bashInput('ls'), { ...envFor(home), VAIBOT_HOME: blocked });
      expect(preToolUseEffect(r.stdout, r.exitCode).kind).toBe('deny');
      const open = await callHook('PreToolUse', bashInput('ls'), { ...envFor(home), VAIBOT_HOME: blocked, VAIBOT_FAIL_OPEN: 'true' });
      expect(open.stdout).toBe('');
      expect(open.lines.join('\n')).toContain('VAIBOT_FAIL_OPEN');
      return;
    }
    const home = tempHome();
    chmodSync(home, 0o500);
    const r = await callHook('PreToolUse', bashInput('ls'), envFor(home));
    chmodSync(home, 0o700);
    expect(preToolUseEffect(r.stdout, r.exitCode).kind).toBe('deny');
  });
});

describe('observe mode', () => {
  it('allows everything, logs the shadow verdict in the seed format, and records it', async () => {
    const home = tempHome();
    const r = await callHook('PreToolUse', bashInput('curl https://example.com'), envFor(home, 'observe'));
    expect(r.stdout).toBe('');
    expect(r.lines).toContain('VAIBot [observe]: Bash would be approval_required — outbound network call');
    const [receipt] = receipts(home);
    expect(receipt).toMatchObject({ decision: 'allow', shadow_decision: 'approval_required', mode: 'observe' });
    expect(pendingApprovals(home)).toEqual([]);
  });
});

describe('PostToolUse, Stop, PermissionRequest, SessionStart', () => {
  it('finalizes a run with an outcome receipt that follows its decision, without the output', async () => {
    const home = tempHome();
    const input = bashInput('ls secret-dir');
    await callHook('PreToolUse', input, envFor(home), undefined, 1_000);
    const post = await callHook('PostToolUse', { ...input, hook_event_name: 'PostToolUse', tool_response: 'Exit code: 2\nWall time: 0.1 seconds\nOutput:\nls: cannot access secret-dir\nSECOND-LINE-OF-OUTPUT\n' }, envFor(home), undefined, 1_250);
    expect(post.stdout).toBe('');
    const [decision, outcome] = receipts(home);
    expect(outcome).toMatchObject({ kind: 'outcome', follows: decision?.id, outcome: { status: 'failed', exit_code: 2, duration_ms: 250 } });
    expect(outcome?.outcome?.error).toBe('ls: cannot access secret-dir');
    expect(JSON.stringify(outcome)).not.toContain('SECOND-LINE-OF-OUTPUT');
    expect(outcome?.outcome?.output_sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('Stop sweeps only this session\'s pending intents to denied', async () => {
    const home = tempHome();
    const { newApproval } = await import('../../src/state/approvalStore.js');
    const { updateApproval } = await import('../../src/state/approvalStore.js');
    const mine = hashOf('curl a'); const theirs = hashOf('curl b');
    updateApproval(home, mine, 1, () => ({ next: newApproval({ hash: mine, tool: 'Bash', sessionId: 's1', at: 1, ttlMs: 1e9, reason: 'r' }), result: null }));
    updateApproval(home, theirs, 1, () => ({ next: newApproval({ hash: theirs, tool: 'Bash', sessionId: 's2', at: 1, ttlMs: 1e9, reason: 'r' }), result: null }));
    const r = await callHook('Stop', { session_id: 's1', cwd: '/tmp', hook_event_name: 'Stop', stop_hook_active: false }, envFor(home));
    expect(r.stdout).toBe('');
    expect(loadApproval(home, mine)?.value).toBe('denied');
    expect(loadApproval(home, theirs)?.value).toBe('pending');
  });

  it('PermissionRequest denies what policy denies and otherwise leaves the question to the user', async () => {
    const home = tempHome();
    const base = { session_id: 's1', cwd: '/tmp', hook_event_name: 'PermissionRequest', tool_name: 'Bash' };
    const denied = await callHook('PermissionRequest', { ...base, tool_input: { command: 'DANGER' } }, envFor(home));
    expect(JSON.parse(denied.stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny' } } });
    const asked = await callHook('PermissionRequest', { ...base, tool_input: { command: 'curl x' } }, envFor(home));
    expect(asked.stdout).toBe('');
    expect(receipts(home).map((x) => x.event)).toEqual(['PermissionRequest', 'PermissionRequest']);
  });

  it('SessionStart creates the identity once with private files and prints one status line', async () => {
    const home = tempHome();
    const input = { session_id: 's1', cwd: '/tmp', hook_event_name: 'SessionStart', source: 'startup' };
    const first = await callHook('SessionStart', input, envFor(home));
    expect(JSON.parse(first.stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: expect.stringContaining('do not retry') } });
    expect(first.lines).toHaveLength(1);
    expect(first.lines[0]).toMatch(/governance active \(enforce, embedded.*new install/);
    const second = await callHook('SessionStart', input, envFor(home));
    expect(second.lines[0]).not.toMatch(/new install/);
    const { statSync } = await import('node:fs');
    expect(statSync(`${home}/keys/signing-ed25519.pem`).mode & 0o777).toBe(0o600);
    expect(statSync(`${home}/keys`).mode & 0o777).toBe(0o700);
  });
});

describe('what the model sees', () => {
  const post = (response: unknown) => ({ ...bashInput('cat deploy.env'), hook_event_name: 'PostToolUse', tool_response: response });
  const fakeKey = ['-----BEGIN OPENSSH PRIVATE ', 'KEY-----\n', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', '\n-----END OPENSSH PRIVATE ', 'KEY-----'].join('');

  it('withholds output that carries a secret, recording only its kind and hash', async () => {
    const home = tempHome();
    const r = await callHook('PostToolUse', post(`Exit code: 0\nOutput:\n${fakeKey}\n`), envFor(home));
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ decision: 'block' });
    expect(out.reason).toContain('private-key');
    expect(r.stdout).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
    const [outcome] = receipts(home);
    expect(outcome?.outcome?.withheld?.[0]).toMatchObject({ kind: 'private-key', sha256: expect.stringMatching(/^sha256:/) });
    expect(JSON.stringify(outcome)).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });

  it('passes ordinary output and only mentions secrets in observe mode', async () => {
    const home = tempHome();
    expect((await callHook('PostToolUse', post('Exit code: 0\nOutput:\nhello\n'), envFor(home))).stdout).toBe('');
    const observed = await callHook('PostToolUse', post(`Exit code: 0\nOutput:\n${fakeKey}\n`), envFor(home, 'observe'));
    expect(observed.stdout).toBe('');
    expect(observed.lines.join('\n')).toContain('would be withheld');
  });

  it('passes secrets on when the policy says outputs.secrets: allow, saying so on stderr', async () => {
    const home = tempHome();
    const r = await callHook('PostToolUse', post(`Exit code: 0\nOutput:\n${fakeKey}\n`), envFor(home), undefined, Date.now(), 'allow');
    expect(r.stdout).toBe('');
    expect(r.lines.join('\n')).toContain('outputs.secrets: allow');
  });

  it('scans MCP results too', async () => {
    const home = tempHome();
    const r = await callHook('PostToolUse', { ...post(null), tool_name: 'mcp__files__read', tool_input: { path: 'x' }, tool_response: { content: [{ type: 'text', text: fakeKey }], isError: false } }, envFor(home));
    expect(JSON.parse(r.stdout).decision).toBe('block');
  });
});

describe('hook version check', () => {
  it('warns (systemMessage) when the running hooks differ from what vaibot install last installed', async () => {
    const home = tempHome();
    const { writeInstallRecord } = await import('../../src/identity/installRecord.js');
    writeInstallRecord(home, { version: '0.0.1', build: 'old', pluginId: 'vaibot@vaibot-local', installedAt: '2026-01-01T00:00:00Z' });
    const r = await callHook('SessionStart', { session_id: 's1', cwd: '/tmp', hook_event_name: 'SessionStart', source: 'startup' }, envFor(home));
    const out = JSON.parse(r.stdout);
    expect(out.systemMessage).toMatch(/last installed 0\.0\.1.*run `vaibot install` again/);
    expect(out.hookSpecificOutput.additionalContext).toBeTruthy();
  });
});

describe('outputs past the scan bound', () => {
  it('are withheld by default (they cannot be fully scanned), in enforce mode only', async () => {
    const home = tempHome();
    const huge = `Exit code: 0\nOutput:\n${'x'.repeat(4 * 1024 * 1024 + 10)}\n`;
    const input = { ...bashInput('cat big.log'), hook_event_name: 'PostToolUse', tool_response: huge };
    const r = await callHook('PostToolUse', input, envFor(home));
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'block', reason: expect.stringContaining('could not be fully scanned') });
    const observed = await callHook('PostToolUse', input, envFor(home, 'observe'));
    expect(observed.stdout).toBe('');
  });
});
