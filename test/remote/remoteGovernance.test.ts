import { statSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { remoteGovernance, type RemoteGovernance } from '../../src/governance/remoteGovernance.js';
import type { DecisionRequest } from '../../src/governance/governanceService.js';
import { contentHash } from '../../src/intent/contentHash.js';
import { intentOf } from '../../src/intent/intentOf.js';
import { loadBreaker } from '../../src/state/breakerStore.js';
import { credentialsFile } from '../../src/remote/credentials.js';
import { createApproverToken } from '../../src/server/operatorSetup.js';
import { json, tempDir, testApp } from '../server/serverHelpers.js';
import { startFaultServer, type FaultServer } from './faultServer.js';

type App = Awaited<ReturnType<typeof testApp>>;
let server: App;
let faults: FaultServer;
let home: { dir: string; remove: () => void };
const INSTALL_ID = 'install-0f6c5b0e-8f3e-4b8c-9d2a-7a1e5c3d9b11';

function settings(extra: Record<string, string> = {}) {
  return loadSettings({
    VAIBOT_HOME: home.dir, VAIBOT_API_URL: faults.url, VAIBOT_MODE: 'enforce', VAIBOT_TIMEOUT_MS: '300',
    VAIBOT_BREAKER_FAILURE_THRESHOLD: '3', VAIBOT_BREAKER_WINDOW_MS: '60000', VAIBOT_BREAKER_COOLDOWN_MS: '400', ...extra,
  });
}

function client(extra: Record<string, string> = {}): RemoteGovernance {
  return remoteGovernance({ settings: settings(extra), installId: () => INSTALL_ID });
}

let n = 0;
function request(tool: string, command: string, mode: 'enforce' | 'observe' = 'enforce'): DecisionRequest {
  const intent = intentOf(tool, tool === 'Bash' ? { command } : { file_path: command }, '/work');
  n++;
  return { event: 'PreToolUse', intent, hash: contentHash(intent), sessionId: 'sess', turnId: null, toolUseId: `tu-${n}`, model: null, mode, at: Date.now() };
}

const breaker = () => loadBreaker(home.dir);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  server = await testApp();
  faults = await startFaultServer(server.app);
  home = tempDir('vaibot-remote-');
});
afterEach(async () => {
  await faults.close();
  await server.close();
  home.remove();
});

describe('bootstrap and credentials', () => {
  test('the first run bootstraps and saves the key 0600; later runs reuse it', async () => {
    const v = await client().decide(request('Bash', 'ls'));
    expect(v.decision).toBe('allow');
    const file = credentialsFile(home.dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).api_key).toMatch(/^vb_agent_/);
    await client().decide(request('Bash', 'pwd'));
    expect(faults.seen.filter((s) => s.includes('/v2/bootstrap'))).toHaveLength(1);
  });

  test('the account exists but the local key is gone: the seed message, fail closed', async () => {
    await client().decide(request('Bash', 'ls'));
    rmSync(credentialsFile(home.dir));
    const v = await client().decide(request('Bash', 'ls'));
    expect(v.decision).toBe('deny');
    expect(v.reason).toContain('account exists but API key not found locally');
    expect(breaker()?.value ?? 'closed').toBe('closed');
  });
});

describe('the breaker moves exactly as its chart says', () => {
  test('5xx: three failures inside the window trip it; while open no request is sent, the allowlist passes, the rest is denied', async () => {
    const c = client();
    await c.decide(request('Bash', 'ls')); // bootstrap + decide: healthy
    const before = faults.seen.length;
    faults.queue = ['503', '503', '503'];
    const v1 = await c.decide(request('Bash', 'echo 1'));
    expect(v1.decision).toBe('deny');
    expect(v1.reason).toContain('unreachable');
    expect(breaker()).toMatchObject({ value: 'closed' });
    expect(breaker()?.context.failures).toHaveLength(1);
    await c.decide(request('Bash', 'echo 2'));
    expect(breaker()?.context.failures).toHaveLength(2);
    await c.decide(request('Bash', 'echo 3'));
    expect(breaker()?.value).toBe('open');
    expect(faults.seen.length - before).toBe(3);
    const bash = await c.decide(request('Bash', 'echo 4'));
    const read = await c.decide(request('Read', '/work/a.txt'));
    expect(faults.seen.length - before).toBe(3);
    expect(bash).toMatchObject({ decision: 'deny', basis: 'breaker_open' });
    expect(bash.reason).toContain('VAIBOT_BREAKER_ALLOWLIST');
    expect(read).toMatchObject({ decision: 'allow', basis: 'breaker_open' });
  });

  test('401 never counts: the breaker stays closed with no failure recorded', async () => {
    const c = client();
    await c.decide(request('Bash', 'ls'));
    faults.queue = ['401', '401', '401', '401'];
    for (let i = 0; i < 4; i++) {
      const v = await c.decide(request('Bash', `echo ${i}`));
      expect(v.decision).toBe('deny');
      expect(v.reason).toContain('401');
    }
    expect(breaker()?.value).toBe('closed');
    expect(breaker()?.context.failures).toHaveLength(0);
  });

  test('connection resets, hangs past the timeout and malformed JSON each count as one transient failure', async () => {
    const c = client();
    await c.decide(request('Bash', 'ls'));
    faults.queue = ['reset'];
    await c.decide(request('Bash', 'echo r'));
    expect(breaker()?.context.failures).toHaveLength(1);
    faults.queue = ['hang'];
    const t0 = Date.now();
    const v = await c.decide(request('Bash', 'echo h'));
    const firedAt = breaker()?.context.failures[1] as number;
    expect(v.reason).toContain('300 ms');
    expect(firedAt - t0).toBeGreaterThanOrEqual(290); // recorded when the timeout fired, not when the call began
    expect(Date.now() - t0).toBeLessThan(3000);
    faults.queue = ['malformed'];
    await c.decide(request('Bash', 'echo m'));
    expect(breaker()?.value).toBe('open');
  });

  test('after the cooldown one trial goes out: success closes the breaker; a failed trial reopens it with a longer cooldown', async () => {
    const c = client();
    await c.decide(request('Bash', 'ls'));
    faults.queue = ['503', '503', '503'];
    for (let i = 0; i < 3; i++) await c.decide(request('Bash', `echo ${i}`));
    expect(breaker()?.value).toBe('open');
    await sleep(450);
    faults.queue = ['503'];
    await c.decide(request('Bash', 'echo trial1'));
    expect(breaker()?.value).toBe('open');
    expect(breaker()?.context.cooldownMs).toBe(800);
    await sleep(850);
    const ok = await c.decide(request('Bash', 'echo trial2'));
    expect(ok.decision).toBe('allow');
    expect(breaker()?.value).toBe('closed');
  });

  test('observe mode never blocks while the breaker is open, it only logs', async () => {
    const lines: string[] = [];
    const c = remoteGovernance({ settings: settings({ VAIBOT_MODE: 'observe' }), installId: () => INSTALL_ID, breadcrumb: (l) => lines.push(l) });
    await c.decide(request('Bash', 'ls', 'observe'));
    faults.queue = ['503', '503', '503'];
    for (let i = 0; i < 3; i++) await c.decide(request('Bash', `echo ${i}`, 'observe'));
    const v = await c.decide(request('Bash', 'echo later', 'observe'));
    expect(v.decision).toBe('allow');
    expect(lines.some((l) => l.includes('[observe]'))).toBe(true);
  });
});

describe('nothing lost, nothing twice', () => {
  test('decisions taken locally and outcomes the server missed are spooled and uploaded once it recovers', async () => {
    const c = client({ VAIBOT_BREAKER_ALLOWLIST: 'Read' });
    const ok = request('Bash', 'ls');
    await c.decide(ok);
    faults.queue = ['503'];
    await c.finalize({ ...ok, toolResponse: 'Exit code: 0\nOutput:\nfile' }); // server missed the outcome
    faults.queue = ['503', '503'];
    await c.decide(request('Bash', 'echo a')); // decided locally (deny)
    const read = request('Read', '/work/x');
    const local = await c.decide(read); // breaker open now: allowlisted, decided locally
    expect(local.basis).toBe('breaker_open');
    await c.finalize({ ...read, toolResponse: { content: [] } }); // outcome of a local decision
    const token = (await import('../../src/remote/credentials.js')).readCredentials(home.dir, faults.url)?.apiKey as string;
    const countOnServer = async () => ((await (await server.app.request('/v2/accounts/me', { headers: { authorization: `Bearer ${token}` } })).json()) as any).account.receipt_count;
    expect(await countOnServer()).toBe(1);
    await sleep(450);
    const flushed = await c.flush(10);
    expect(flushed.stopped).toBeNull();
    expect(flushed.remaining).toBe(0);
    // 1 decision + 1 finalize (server run) + 2 local decisions + 1 local outcome
    expect(await countOnServer()).toBe(5);
    const again = await c.flush(10);
    expect(again.delivered).toBe(0);
    expect(await countOnServer()).toBe(5);
    const list = ((await (await server.app.request('/v2/receipts?kind=outcome', { headers: { authorization: `Bearer ${token}` } })).json()) as any).receipts;
    expect(list.map((r: any) => r.follows).filter(Boolean)).toHaveLength(2);
    const m = await (await server.app.request('/metrics')).text();
    expect(m).toContain('vaibot_client_breaker_events_total{event="tripped"} 1');
  });

  test('an approval_required block, approved by a human over the API, lets the same action through remotely', async () => {
    const c = client();
    const req = request('Bash', 'curl https://example.com');
    const v = await c.decide(req);
    expect(v.decision).toBe('approval_required');
    const approver = await createApproverToken(server.store, 'alice', null, Date.now());
    expect((await server.app.request(`/v2/receipts/${req.hash}/approve`, json('PATCH', {}, approver))).status).toBe(200);
    const retry = await c.decide({ ...req, toolUseId: 'tu-retry', at: Date.now() });
    expect(retry).toMatchObject({ decision: 'allow', basis: 'previously_approved' });
    expect(existsSync(join(home.dir, 'remote-spool.db'))).toBe(true);
  });
});
