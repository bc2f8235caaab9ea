import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadApproval } from '../../src/state/approvalStore.js';
import { approvalFile, databaseFile } from '../../src/state/paths.js';
import { makeMcpPluginDir, type McpPluginDir } from './helpers/mcpPluginDir.js';
import { appendReceipt, hashOf, seedBlocked } from './helpers/seedState.js';
import { startAsCodex, type ElicitationAnswer, type StartedServer } from './helpers/startAsCodex.js';

// The MCP server started exactly as Codex starts it from plugin/.mcp.json (node ./dist/mcp.mjs, cwd =
// the plugin dir, Codex's base environment plus the variables .mcp.json forwards), driven by the SDK client.

let plugin: McpPluginDir;
const open: StartedServer[] = [];
const homes: string[] = [];

beforeAll(async () => {
  plugin = await makeMcpPluginDir();
}, 60_000);
afterAll(() => plugin?.cleanup());
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function newHome(): string {
  const root = mkdtempSync(join(tmpdir(), 'vaibot-mcp-home-'));
  homes.push(root);
  return join(root, '.vaibot');
}

async function start(home: string, extraEnv: Record<string, string> = {}, answer?: ElicitationAnswer): Promise<StartedServer> {
  const env = { HOME: join(home, '..'), PATH: process.env.PATH ?? '', VAIBOT_HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DASHBOARD_URL: 'http://127.0.0.1:9999', ...extraEnv };
  const s = await startAsCodex(plugin.dir, env, answer);
  open.push(s);
  return s;
}

type Result = CallToolResult & { structuredContent?: Record<string, any> };
async function call(s: StartedServer, name: string, args: Record<string, unknown> = {}): Promise<Result> {
  return (await s.client.callTool({ name, arguments: args })) as Result;
}
const text = (r: Result): string => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

const accept = (content: NonNullable<ElicitResult['content']>): ElicitationAnswer => () => ({ action: 'accept', content });

describe('the tool list', () => {
  it('offers the seven tools, read-only ones marked readOnlyHint and approve/deny destructiveHint, each with input and output schemas', async () => {
    const s = await start(newHome());
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['status', 'pending', 'approve', 'deny', 'recent', 'policy', 'verify']);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(t.description?.length).toBeGreaterThan(40);
      if (t.name === 'approve' || t.name === 'deny') {
        expect(t.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      } else {
        expect(t.annotations?.readOnlyHint).toBe(true);
      }
    }
    const approve = tools.find((t) => t.name === 'approve')!;
    expect(approve.inputSchema.required).toEqual(['hash']);
    expect(approve.inputSchema.additionalProperties).toBe(false);
  });

  it('introduces itself as `vaibot` with instructions that keep approvals with the human', async () => {
    const s = await start(newHome());
    expect(s.client.getServerVersion()?.name).toBe('vaibot');
    const instructions = s.client.getInstructions() ?? '';
    expect(instructions).toContain('do nothing on your word alone');
    expect(instructions).toContain('not running from an installed Codex plugin');
  });
});

describe('read-only tools return structured content', () => {
  it('status reports the mode forwarded through .mcp.json, governance kind, pending count and the hook state', async () => {
    const home = newHome();
    seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home);
    const r = await call(s, 'status');
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ mode: 'enforce', governance: { kind: 'embedded' }, home, pendingCount: 1, receipts: 1, agentApprovals: false });
    expect(r.structuredContent!.hooks.state).toBe('unknown');
    expect(text(r)).toContain('mode enforce');
    expect(text(r)).toContain('Waiting for a human: 1');
  });

  it('status on a fresh home creates nothing', async () => {
    const home = newHome();
    const s = await start(home);
    const r = await call(s, 'status');
    expect(r.structuredContent).toMatchObject({ pendingCount: 0, receipts: 0, installId: null, breaker: { state: 'closed' } });
    expect(() => readFileSync(databaseFile(home))).toThrow();
  });

  it('pending lists the blocked action with its dashboard link and approve command', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home);
    const r = await call(s, 'pending');
    expect(r.structuredContent!.total).toBe(1);
    expect(r.structuredContent!.requests[0]).toMatchObject({
      hash,
      state: 'blocked_until_approved',
      waiting: true,
      tool: 'Bash',
      dashboardUrl: `http://127.0.0.1:9999/verify/decision/${encodeURIComponent(hash)}`,
      approveCommand: `vaibot approve ${hash}`,
    });
    expect(text(r)).toContain(`vaibot approve ${hash}`);
  });

  it('pending respects limit and, with all, includes answered requests', async () => {
    const home = newHome();
    for (let i = 0; i < 3; i++) seedBlocked(home, { command: `curl https://example.com/${i}`, at: Date.now() + i });
    const s = await start(home);
    const r = await call(s, 'pending', { limit: 2 });
    expect(r.structuredContent!.requests).toHaveLength(2);
    expect(r.structuredContent!.total).toBe(3);
    const all = await call(s, 'pending', { all: true });
    expect(all.structuredContent!.total).toBe(3);
  });

  it('recent returns receipts newest first, filtered by hash', async () => {
    const home = newHome();
    const a = seedBlocked(home, { command: 'curl https://a.example' });
    seedBlocked(home, { command: 'curl https://b.example' });
    const s = await start(home);
    const r = await call(s, 'recent');
    expect(r.structuredContent!.receipts).toHaveLength(2);
    expect(r.structuredContent!.receipts[0].intent).toBe('curl https://b.example');
    const one = await call(s, 'recent', { hash: a });
    expect(one.structuredContent!.receipts.map((x: { contentHash: string }) => x.contentHash)).toEqual([a]);
    expect(one.structuredContent!.receipts[0]).toMatchObject({ decision: 'approval_required', risk: { level: 'high' } });
  });

  it('policy shows the built-in escalation defaults and the policy file it looked for', async () => {
    const home = newHome();
    const s = await start(home);
    const r = await call(s, 'policy');
    expect(r.structuredContent).toMatchObject({ source: 'builtin', mode: 'enforce', files: [{ path: join(home, 'policy.yaml'), exists: false }] });
    expect(r.structuredContent!.rules.map((x: { id: string; action: string }) => [x.id, x.action])).toEqual([
      ['escalation.none', 'allow'], ['escalation.low', 'allow'], ['escalation.medium', 'allow'], ['escalation.high', 'approval_required'], ['escalation.dangerous', 'deny'],
    ]);
  });

  it("policy shows the user's rules from the policy file, and names the line of an invalid one", async () => {
    const home = newHome();
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'policy.yaml'), 'version: 1\nrules:\n  - id: no-curl\n    action: deny\n    match:\n      program: curl\n');
    const s = await start(home);
    const r = await call(s, 'policy');
    expect(r.structuredContent, JSON.stringify(r.structuredContent)).toMatchObject({ source: 'file', files: [{ path: join(home, 'policy.yaml'), exists: true, error: null }] });
    expect(r.structuredContent!.rules[0]).toMatchObject({ id: 'no-curl', action: 'deny', when: 'program = curl' });
    writeFileSync(join(home, 'policy.yaml'), 'version: 1\nrules:\n  - id: bad\n    action: maybe\n    match: {}\n');
    const bad = await call(s, 'policy');
    expect(bad.isError).toBeFalsy();
    expect(bad.structuredContent!.files[0].error).toMatch(/line \d+/);
    expect(text(bad)).toContain('INVALID');
    expect(text(bad)).toContain('denies every tool call');
  });

  it('verify passes an intact receipt and names the failing check for a tampered one', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home);
    const ok = await call(s, 'verify', { hash });
    expect(ok.structuredContent).toMatchObject({ found: 1, ok: true });
    expect(JSON.stringify(ok.structuredContent)).toContain('inclusion in a signed checkpoint');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(databaseFile(home));
    db.prepare("UPDATE receipts SET body = replace(body, 'example.com', 'evil.example') WHERE content_hash = ?").run(hash);
    db.close();
    const bad = await call(s, 'verify', { hash });
    expect(bad.structuredContent).toMatchObject({ found: 1, ok: false });
    expect(text(bad)).toContain('leaf hash');
    expect(text(bad)).toContain('FAILED');
  });

  it('verify of an unknown hash finds nothing and does not claim success', async () => {
    const s = await start(newHome());
    const r = await call(s, 'verify', { hash: hashOf('nothing') });
    expect(r.structuredContent).toMatchObject({ found: 0, ok: false });
  });
});

describe('approve keeps the human in the loop', () => {
  it('without elicitation support, approves nothing and hands back the dashboard link and the CLI command', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home);
    const r = await call(s, 'approve', { hash });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ outcome: 'needs_human', tookEffect: false, state: 'blocked_until_approved', approveCommand: `vaibot approve ${hash}` });
    expect(text(r)).toMatch(/^NOT approved/);
    expect(text(r)).toContain(`http://127.0.0.1:9999/verify/decision/${encodeURIComponent(hash)}`);
    expect(loadApproval(home, hash)?.value).toBe('blocked_until_approved');
  });

  it('with elicitation accepted, approves as the human (mcp-elicitation), after showing the intent, risk and hash', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com/upload' });
    const s = await start(home, {}, accept({ confirm: true, scope: 'once' }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'approved', tookEffect: true, via: 'mcp-elicitation', state: 'approved', scope: 'once' });
    expect(s.elicitations).toHaveLength(1);
    const message = s.elicitations[0]!.message;
    expect(message).toContain(hash);
    expect(message).toContain('curl https://example.com/upload');
    expect(message).toContain('high — high risk: outbound network call');
    const stored = loadApproval(home, hash)!;
    expect(stored.value).toBe('approved');
    expect(stored.context.decidedBy?.via).toBe('mcp-elicitation');
    expect(stored.context.scope).toEqual({ kind: 'once' });
  });

  it('the human can widen the scope to the requesting session in the dialog', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com', sessionId: 'sess-42' });
    const s = await start(home, {}, accept({ confirm: true, scope: 'session' }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'approved', scope: 'session' });
    expect(loadApproval(home, hash)!.context.scope).toEqual({ kind: 'session', sessionId: 'sess-42' });
  });

  it('with elicitation declined, changes nothing', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, {}, () => ({ action: 'decline' }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'declined', tookEffect: false });
    expect(text(r)).toMatch(/^NOT approved: the confirmation was declined/);
    expect(text(r)).toContain(`vaibot approve ${hash}`);
    expect(loadApproval(home, hash)?.value).toBe('blocked_until_approved');
  });

  it('accepting the dialog without ticking the box is a no', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, {}, accept({ confirm: false }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'declined' });
    expect(loadApproval(home, hash)?.value).toBe('blocked_until_approved');
  });

  it('a dismissed dialog (what codex exec answers) approves nothing and hands back the links', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, {}, () => ({ action: 'cancel' }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'needs_human', tookEffect: false });
    expect(r.structuredContent!.why).toContain('dismissed');
    expect(loadApproval(home, hash)?.value).toBe('blocked_until_approved');
  });

  it('with VAIBOT_AGENT_APPROVALS=1 and no dialog, approves on the agent\'s word, recorded as agent-mediated', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, { VAIBOT_AGENT_APPROVALS: '1' });
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'approved', via: 'agent-mediated' });
    expect(text(r)).toContain('VAIBOT_AGENT_APPROVALS=1');
    expect(loadApproval(home, hash)!.context.decidedBy?.via).toBe('agent-mediated');
  });

  it('with VAIBOT_AGENT_APPROVALS=1, approves without asking anyone (the documented risk the user opted into)', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, { VAIBOT_AGENT_APPROVALS: '1' }, () => ({ action: 'decline' }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'approved', via: 'agent-mediated' });
    expect(s.elicitations).toHaveLength(0);
  });

  it('without VAIBOT_AGENT_APPROVALS, a value other than 1/true leaves approvals with the human', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, { VAIBOT_AGENT_APPROVALS: '0' });
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'needs_human', tookEffect: false });
  });

  it('an unknown hash is a tool error that claims nothing', async () => {
    const home = newHome();
    const s = await start(home, { VAIBOT_AGENT_APPROVALS: '1' }, accept({ confirm: true }));
    const hash = hashOf('never blocked');
    const r = await call(s, 'approve', { hash });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('(not_found)');
    expect(text(r)).toContain(hash);
    expect(text(r)).not.toMatch(/\bApproved\b/);
    expect(s.elicitations).toHaveLength(0);
    expect(() => readFileSync(approvalFile(home, hash))).toThrow();
  });

  it('an already answered request is reported unchanged, without asking anyone', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, {}, accept({ confirm: true }));
    await call(s, 'approve', { hash });
    const again = await call(s, 'approve', { hash });
    expect(again.structuredContent).toMatchObject({ outcome: 'unchanged', tookEffect: false, state: 'approved' });
    expect(s.elicitations).toHaveLength(1);
  });

  it('an expired request is reported unchanged', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com', at: Date.now() - 10_000, ttlMs: 1000 });
    const s = await start(home, {}, accept({ confirm: true }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'unchanged', tookEffect: false });
    expect(r.structuredContent!.why).toContain('expired');
  });
});

describe('deny keeps the human in the loop', () => {
  it('with elicitation accepted, denies for good with the reason', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, {}, accept({ confirm: true, reason: 'not this host' }));
    const r = await call(s, 'deny', { hash, reason: 'proposed by agent' });
    expect(r.structuredContent).toMatchObject({ outcome: 'denied', via: 'mcp-elicitation', state: 'denied' });
    expect(s.elicitations[0]!.message).toContain('DENY');
    const stored = loadApproval(home, hash)!;
    expect(stored.value).toBe('denied');
    expect(stored.context.denialReason).toContain('not this host');
  });

  it('without elicitation, denies nothing and hands back the deny command', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home);
    const r = await call(s, 'deny', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'needs_human', denyCommand: `vaibot deny ${hash}` });
    expect(text(r)).toContain(`vaibot deny ${hash}`);
    expect(loadApproval(home, hash)?.value).toBe('blocked_until_approved');
  });
});

describe('errors are tool errors and the server keeps serving', () => {
  it('a malformed hash is a tool error naming `hash`', async () => {
    const s = await start(newHome());
    for (const args of [{ hash: 'sha256:abc' }, {}, { hash: 42 }]) {
      const r = await call(s, 'approve', args);
      expect(r.isError).toBe(true);
      expect(text(r)).toContain('`hash`');
    }
  });

  it('unknown and out-of-range arguments are tool errors naming them', async () => {
    const s = await start(newHome());
    const extra = await call(s, 'approve', { hash: hashOf('x'), approvedBy: 'human' });
    expect(extra.isError).toBe(true);
    expect(text(extra)).toContain('approvedBy');
    const limit = await call(s, 'recent', { limit: 0 });
    expect(limit.isError).toBe(true);
    expect(text(limit)).toContain('`limit`');
    const both = await call(s, 'verify', { hash: hashOf('x'), receiptId: '12345678-aaaa' });
    expect(both.isError).toBe(true);
    expect(text(both)).toContain('exactly one of `hash` or `receiptId`');
  });

  it('unreadable governance state is a tool error saying why and what to do', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    writeFileSync(approvalFile(home, hash), '{ not json');
    const s = await start(home, {}, accept({ confirm: true }));
    const r = await call(s, 'approve', { hash });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('(governance_unavailable)');
    expect(text(r)).toContain('What to do:');
    expect(text(r)).toContain('vaibot approve');
    const status = await call(s, 'status');
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent!.problems.join('\n')).toContain('not valid JSON');
  });

  it('an invalid VAIBOT_* setting is a tool error naming the variable', async () => {
    const s = await start(newHome(), { VAIBOT_MODE: 'strict' });
    const r = await call(s, 'status');
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('(config_invalid)');
    expect(text(r)).toContain('VAIBOT_MODE');
  });

  it('an unknown tool is an error, and the server still answers afterwards', async () => {
    const s = await start(newHome());
    const r = await call(s, 'no_such_tool');
    expect(r.isError).toBe(true);
    expect((await s.client.listTools()).tools).toHaveLength(7);
    expect(s.stderr()).not.toContain('uncaught');
  });

  it('a home that is a file, not a directory, still gets answers', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vaibot-mcp-home-'));
    homes.push(root);
    const home = join(root, 'home-is-a-file');
    writeFileSync(home, 'x');
    mkdirSync(join(root, 'other'));
    const s = await start(home);
    const status = await call(s, 'status');
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent!.problems.length).toBeGreaterThan(0);
    const r = await call(s, 'approve', { hash: hashOf('x') });
    expect(r.isError).toBe(true);
    expect((await s.client.listTools()).tools).toHaveLength(7);
  });
});

describe('remote mode', () => {
  it('approve never claims success and points the human at the server; reading receipts is reported as not supported', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home, { VAIBOT_API_URL: 'http://127.0.0.1:9', VAIBOT_AGENT_APPROVALS: '1' }, accept({ confirm: true }));
    const r = await call(s, 'approve', { hash });
    expect(r.structuredContent).toMatchObject({ outcome: 'needs_human', tookEffect: false });
    expect(loadApproval(home, hash)?.value).toBe('blocked_until_approved');
    const status = await call(s, 'status');
    expect(status.structuredContent!.governance).toEqual({ kind: 'remote', url: 'http://127.0.0.1:9' });
    const recent = await call(s, 'recent');
    expect(recent.isError).toBe(true);
    expect(text(recent)).toContain('(not_supported)');
  });
});

describe('the receipt log is read, never written', () => {
  it('reading tools leave the receipts count unchanged', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    appendReceipt(home, { hash, command: 'curl https://example.com', sessionId: 's', at: Date.now(), decision: 'allow', reason: 'ok', level: 'low' });
    const s = await start(home);
    for (const name of ['status', 'pending', 'recent', 'policy']) await call(s, name);
    await call(s, 'verify', { hash });
    const status = await call(s, 'status');
    expect(status.structuredContent!.receipts).toBe(2);
  });
});

describe('what Codex shows the model', () => {
  it('every structured result starts with the readable summary (Codex shows the structured content, not the text)', async () => {
    const home = newHome();
    const hash = seedBlocked(home, { command: 'curl https://example.com' });
    const s = await start(home);
    for (const [name, args] of [['status', {}], ['pending', {}], ['approve', { hash }], ['deny', { hash }], ['recent', {}], ['policy', {}], ['verify', { hash }]] as const) {
      const r = await call(s, name, args);
      expect(r.isError, name).toBeFalsy();
      expect(Object.keys(r.structuredContent!)[0], name).toBe('summary');
      expect(r.structuredContent!.summary, name).toBe(text(r));
    }
  });
});
