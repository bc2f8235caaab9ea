import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bootstrap, decideBody, fingerprint, json, testApp } from './serverHelpers.js';
import { createApproverToken } from '../../src/server/operatorSetup.js';
import { createServerApp } from '../../src/server/createServerApp.js';
import { stubEngine } from './serverHelpers.js';

type T = Awaited<ReturnType<typeof testApp>>;
let s: T;
beforeEach(async () => { s = await testApp(); });
afterEach(async () => { await s.close(); });

const req = (path: string, init?: RequestInit) => s.app.request(path, init);
const get = (path: string, key?: string) => req(path, key ? { headers: { authorization: `Bearer ${key}` } } : {});

async function decide(key: string, command: string, extra: Record<string, unknown> = {}) {
  const res = await req('/v2/governance/decide', json('POST', decideBody(command, extra), key));
  return { status: res.status, body: (await res.json()) as any };
}

describe('bootstrap', () => {
  test('returns an agent key once; the same fingerprint again gets the seed message and no key', async () => {
    const fp = fingerprint();
    const first = await req('/v2/bootstrap', json('POST', { fingerprint: fp, agent: 'codex' }));
    expect(first.status).toBe(201);
    const a = (await first.json()) as any;
    expect(a.api_key).toMatch(/^vb_agent_/);
    expect(a.bootstrapped).toBe(true);
    const again = await req('/v2/bootstrap', json('POST', { fingerprint: fp, agent: 'codex' }));
    const b = (await again.json()) as any;
    expect(b.bootstrapped).toBe(false);
    expect(b.api_key).toBeUndefined();
    expect(b.message).toContain('account exists but API key not found locally');
  });

  test('keys are stored hashed, never in clear', async () => {
    const { key } = await bootstrap(s.app);
    const rec = await s.store.key(key);
    expect(rec).toBeNull();
    const { createHash } = await import('node:crypto');
    expect(await s.store.key(createHash('sha256').update(key).digest('hex'))).not.toBeNull();
  });

  test('a guessable fingerprint (too short) is refused with the field named', async () => {
    const res = await req('/v2/bootstrap', json('POST', { fingerprint: 'hostname-linux' }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.field).toBe('fingerprint');
  });

  test('bootstrap is rate-limited per client', async () => {
    const limited = await testApp({ bootstrapLimit: { capacity: 3, refillMs: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.request('/v2/bootstrap', json('POST', { fingerprint: fingerprint() }))).status);
      expect(codes).toEqual([201, 201, 201, 429, 429]);
    } finally { await limited.close(); }
  });
});

describe('decide', () => {
  test('a harmless command is allowed and recorded', async () => {
    const { key } = await bootstrap(s.app);
    const r = await decide(key, 'ls -la');
    expect(r.status).toBe(200);
    expect(r.body.decision.decision).toBe('allow');
    expect(r.body.risk.risk).toBe('safe');
    expect(r.body.content_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const list = (await (await get('/v2/receipts', key)).json()) as any;
    expect(list.receipts).toHaveLength(1);
    expect(list.receipts[0].id).toBe(r.body.receipt_id);
    expect(list.receipts[0].agent.name).toBe('codex');
  });

  test("the client's agent_id and agent_model are recorded in the decision receipt", async () => {
    const { key } = await bootstrap(s.app);
    const r = await req('/v2/governance/decide', json('POST', { ...decideBody('ls'), agent_id: 'review-bot', agent_model: 'gpt-5' }, key));
    const id = ((await r.json()) as any).receipt_id;
    const list = (await (await get('/v2/receipts', key)).json()) as any;
    const receipt = list.receipts.find((x: any) => x.id === id);
    expect(receipt.agent).toMatchObject({ name: 'review-bot', model: 'gpt-5' });
  });

  test('a dangerous command is denied outright', async () => {
    const { key } = await bootstrap(s.app);
    const r = await decide(key, 'rm -rf ~');
    expect(r.body.decision.decision).toBe('deny');
    expect(r.body.risk.risk).toBe('dangerous');
  });

  test('approval_required blocks until a human approves, then the retry is allowed once', async () => {
    const { key } = await bootstrap(s.app);
    const first = await decide(key, 'curl https://example.com');
    expect(first.body.decision.decision).toBe('approval_required');
    expect(first.body.approval_state).toBe('blocked_until_approved');
    const token = await createApproverToken(s.store, 'alice', null, Date.now());
    const ok = await req(`/v2/receipts/${first.body.content_hash}/approve`, json('PATCH', {}, token));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).approval_status).toBe('approved');
    const retry = await decide(key, 'curl https://example.com', { approved_content_hash: first.body.content_hash });
    expect(retry.body.decision.decision).toBe('allow');
    expect(retry.body.previously_approved).toBe(true);
    const third = await decide(key, 'curl https://example.com');
    expect(third.body.decision.decision).toBe('approval_required');
  });

  test('a denied action stays denied on retry', async () => {
    const { key } = await bootstrap(s.app);
    const first = await decide(key, 'curl https://evil.example');
    const token = await createApproverToken(s.store, 'alice', null, Date.now());
    const res = await req(`/v2/receipts/${first.body.content_hash}/deny`, json('PATCH', { reason: 'no exfiltration' }, token));
    expect(((await res.json()) as any).approval_status).toBe('denied');
    const retry = await decide(key, 'curl https://evil.example');
    expect(retry.body.decision.decision).toBe('deny');
    expect(retry.body.previously_denied).toBe(true);
  });

  test('observe mode records the verdict but creates no approval', async () => {
    const { key } = await bootstrap(s.app);
    const r = await decide(key, 'curl https://example.com', { mode: 'observe' });
    expect(r.body.decision.decision).toBe('approval_required');
    expect(r.body.approval_state).toBeNull();
    const list = (await (await get('/v2/receipts', key)).json()) as any;
    expect(list.receipts[0].decision).toBe('allow');
    expect(list.receipts[0].shadow_decision).toBe('approval_required');
  });

  test('a client hash that does not match the intent is refused', async () => {
    const { key } = await bootstrap(s.app);
    const r = await decide(key, 'ls', { content_hash: `sha256:${'0'.repeat(64)}` });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('content_hash');
  });
});

describe('finalize', () => {
  test('records the outcome once; a replay is reported as a duplicate', async () => {
    const { key } = await bootstrap(s.app);
    const d = await decide(key, 'ls');
    const body = { outcome: 'allowed', result: { exit_code: 0, duration_ms: 12 }, receipt_id: crypto.randomUUID() };
    const a = await req(`/v2/governance/finalize/${d.body.run_id}`, json('POST', body, key));
    expect(a.status).toBe(200);
    expect(((await a.json()) as any).duplicate).toBe(false);
    const b = await req(`/v2/governance/finalize/${d.body.run_id}`, json('POST', body, key));
    expect(((await b.json()) as any).duplicate).toBe(true);
    const list = (await (await get('/v2/receipts?kind=outcome', key)).json()) as any;
    expect(list.receipts).toHaveLength(1);
    expect(list.receipts[0].follows).toBe(d.body.run_id);
    expect(list.receipts[0].outcome.status).toBe('succeeded');
  });

  test('an unknown run is 404', async () => {
    const { key } = await bootstrap(s.app);
    const r = await req(`/v2/governance/finalize/${crypto.randomUUID()}`, json('POST', { outcome: 'allowed' }, key));
    expect(r.status).toBe(404);
  });
});

describe('auth and isolation', () => {
  test('no key is 401; an unknown key is 401', async () => {
    expect((await req('/v2/governance/decide', json('POST', decideBody('ls')))).status).toBe(401);
    expect((await req('/v2/governance/decide', json('POST', decideBody('ls'), 'vb_agent_notarealkeynotarealkey'))).status).toBe(401);
    expect((await get('/v2/receipts')).status).toBe(401);
  });

  test('an agent key gets 403 on approve and deny, even for its own action', async () => {
    const { key } = await bootstrap(s.app);
    const d = await decide(key, 'curl https://example.com');
    for (const verb of ['approve', 'deny']) {
      const r = await req(`/v2/receipts/${d.body.content_hash}/${verb}`, json('PATCH', {}, key));
      expect(r.status).toBe(403);
    }
    const again = await decide(key, 'curl https://example.com');
    expect(again.body.decision.decision).toBe('approval_required');
  });

  test('accounts are isolated: another agent sees none of my receipts, runs or approvals', async () => {
    const a = await bootstrap(s.app);
    const b = await bootstrap(s.app);
    const d = await decide(a.key, 'curl https://example.com');
    const listB = (await (await get('/v2/receipts', b.key)).json()) as any;
    expect(listB.receipts).toHaveLength(0);
    expect((await get(`/v2/receipts/${d.body.receipt_id}/events`, b.key)).status).toBe(404);
    expect((await req(`/v2/governance/finalize/${d.body.run_id}`, json('POST', { outcome: 'allowed' }, b.key))).status).toBe(404);
    expect((await get(`/v2/receipts?account_id=${a.accountId}`, b.key)).status).toBe(403);
    // An approver of account B cannot approve A's action.
    const tokenB = await createApproverToken(s.store, 'bob', b.accountId, Date.now());
    expect((await req(`/v2/receipts/${d.body.content_hash}/approve`, json('PATCH', {}, tokenB))).status).toBe(404);
    const meB = (await (await get('/v2/accounts/me', b.key)).json()) as any;
    expect(meB.user_id).toBe(b.accountId);
  });
});

describe('approvals', () => {
  test('approving twice is idempotent', async () => {
    const { key } = await bootstrap(s.app);
    const d = await decide(key, 'curl https://example.com');
    const token = await createApproverToken(s.store, 'alice', null, Date.now());
    const one = (await (await req(`/v2/receipts/${d.body.content_hash}/approve`, json('PATCH', {}, token))).json()) as any;
    const two = await req(`/v2/receipts/${d.body.content_hash}/approve`, json('PATCH', {}, token));
    expect(two.status).toBe(200);
    const twoBody = (await two.json()) as any;
    expect(one.changed).toBe(true);
    expect(twoBody.changed).toBe(false);
    expect(twoBody.approval_status).toBe('approved');
  });

  test('an unknown hash is 404; a malformed one 400', async () => {
    const token = await createApproverToken(s.store, 'alice', null, Date.now());
    expect((await req(`/v2/receipts/sha256:${'a'.repeat(64)}/approve`, json('PATCH', {}, token))).status).toBe(404);
    expect((await req('/v2/receipts/nothash/approve', json('PATCH', {}, token))).status).toBe(400);
  });

  test('the receipt history lists the decision and every approval step', async () => {
    const { key } = await bootstrap(s.app);
    const d = await decide(key, 'curl https://example.com');
    const token = await createApproverToken(s.store, 'alice', null, Date.now());
    await req(`/v2/receipts/${d.body.content_hash}/approve`, json('PATCH', {}, token));
    const ev = (await (await get(`/v2/receipts/${d.body.receipt_id}/events`, key)).json()) as any;
    const types = ev.events.map((e: any) => e.type);
    expect(types).toContain('receipt.decision');
    expect(types).toContain('approval.block.delivered');
    expect(types).toContain('approval.human.approved');
  });
});

describe('listing', () => {
  test('filters by decision, risk level, tool and approval status, and pages with a cursor', async () => {
    const { key } = await bootstrap(s.app);
    await decide(key, 'ls');
    await decide(key, 'rm -rf /tmp/x');
    await decide(key, 'curl https://a.example');
    await decide(key, 'echo hi');
    const q = async (qs: string) => ((await (await get(`/v2/receipts?${qs}`, key)).json()) as any);
    expect((await q('decision=deny')).receipts).toHaveLength(1);
    expect((await q('risk_level=high')).receipts).toHaveLength(1);
    expect((await q('approval_status=blocked_until_approved')).receipts).toHaveLength(1);
    expect((await q('tool=Bash')).receipts).toHaveLength(4);
    const p1 = await q('limit=3');
    expect(p1.receipts).toHaveLength(3);
    const p2 = await q(`limit=3&cursor=${p1.next_cursor}`);
    expect(p2.receipts).toHaveLength(1);
    expect(p2.next_cursor).toBeNull();
    expect((await get('/v2/receipts?limit=0', key)).status).toBe(400);
    expect((await get('/v2/receipts?bogus=1', key)).status).toBe(400);
  });
});

describe('bad input', () => {
  test('malformed JSON is 400; a missing field is 400 naming it; an oversized body is 413', async () => {
    const { key } = await bootstrap(s.app);
    const bad = await req('/v2/governance/decide', json('POST', '{"session_id":', key));
    expect(bad.status).toBe(400);
    const missing = await req('/v2/governance/decide', json('POST', { tool: 'Bash', intent: { command: 'ls', cwd: '/' } }, key));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error.field).toBe('session_id');
    const small = createServerApp({ store: s.store, engine: stubEngine, bodyLimitBytes: 1024 });
    const big = await small.app.request('/v2/governance/decide', json('POST', decideBody('x'.repeat(5000)), key));
    expect(big.status).toBe(413);
  });

  test('a relative cwd is refused', async () => {
    const { key } = await bootstrap(s.app);
    const r = await decide(key, 'ls', { intent: { command: 'ls', cwd: 'rel/dir' } });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('intent.cwd');
  });
});

describe('operations', () => {
  test('health reports the database; metrics count decisions by outcome', async () => {
    const h = (await (await get('/v2/health')).json()) as any;
    expect(h.db).toMatchObject({ ok: true, dialect: 'sqlite' });
    const { key } = await bootstrap(s.app);
    await decide(key, 'ls');
    await decide(key, 'rm -rf /');
    const m = await (await get('/metrics')).text();
    expect(m).toContain('vaibot_decisions_total{decision="allow"} 1');
    expect(m).toContain('vaibot_decisions_total{decision="deny"} 1');
    expect(m).toMatch(/vaibot_decide_duration_seconds_count 2/);
  });

  test('client breaker reports show up in metrics', async () => {
    const { key } = await bootstrap(s.app);
    await req('/v2/telemetry/breaker', json('POST', { event: 'tripped', at: Date.now() }, key));
    expect(await (await get('/metrics')).text()).toContain('vaibot_client_breaker_events_total{event="tripped"} 1');
  });

  test('policy and accounts/me answer an agent', async () => {
    const { key, accountId } = await bootstrap(s.app);
    expect((await get('/v2/policy', key)).status).toBe(200);
    expect(((await (await get('/v2/accounts/me', key)).json()) as any).user_id).toBe(accountId);
  });
});

describe('spooled uploads', () => {
  test('a batch is stored once however often it is sent', async () => {
    const { key } = await bootstrap(s.app);
    const receipt = {
      v: 1, id: crypto.randomUUID(), kind: 'decision', content_hash: `sha256:${'b'.repeat(64)}`, tool: 'Read', cwd: '/w', intent: null,
      risk: null, decision: 'allow', mode: 'enforce', shadow_decision: 'allow', basis: 'breaker_open', approval_state: null,
      session_id: 's', turn_id: null, tool_use_id: null, event: 'PreToolUse', agent: { name: 'codex', model: null, install_id: null }, at: new Date().toISOString(), follows: null,
    };
    const a = (await (await req('/v2/receipts/batch', json('POST', { receipts: [receipt] }, key))).json()) as any;
    const b = (await (await req('/v2/receipts/batch', json('POST', { receipts: [receipt] }, key))).json()) as any;
    expect([a.stored, a.duplicates, b.stored, b.duplicates]).toEqual([1, 0, 0, 1]);
    const acct = (await (await get('/v2/accounts/me', key)).json()) as any;
    expect(acct.account.receipt_count).toBe(1);
  });
});
