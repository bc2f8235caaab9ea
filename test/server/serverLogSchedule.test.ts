import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runServer, type GovernanceServer } from '../../src/server/runServer.js';
import { stubEngine, tempDir, fingerprint } from './serverHelpers.js';
import { startAnvil, ANVIL_KEY_0, ANVIL_CHAIN_ID, type Anvil } from '../receipts/anvil.js';
import { independentVerify } from '../receipts/independentVerifier.js';
import { vaibot } from '../receipts/cliRun.js';
import { serverLog } from '../../src/server/serverLog.js';
import { ensureLogKey } from '../../src/receipts/logKey.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function call(srv: GovernanceServer, method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${srv.url}${path}`, {
    method, headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown = null;
  try { json = JSON.parse(text); } catch { /* not json */ }
  return { status: res.status, json, text };
}

async function agent(srv: GovernanceServer): Promise<string> {
  const r = await call(srv, 'POST', '/v2/bootstrap', undefined, { fingerprint: fingerprint(), agent: 'codex' });
  expect(r.status).toBe(201);
  return r.json.api_key as string;
}

const decide = (srv: GovernanceServer, key: string, command: string) =>
  call(srv, 'POST', '/v2/governance/decide', key, { session_id: 's1', agent_id: 'codex', tool: 'Bash', intent: { command, cwd: '/work' }, mode: 'enforce' });

let anvil: Anvil;
let srv: GovernanceServer;
const tmp = tempDir('vaibot-server-log-');
beforeAll(async () => {
  anvil = await startAnvil();
  const keyFile = join(tmp.dir, 'anchor.key');
  writeFileSync(keyFile, `${ANVIL_KEY_0}\n`, { mode: 0o600 });
  srv = await runServer({
    port: 0, host: '127.0.0.1', home: tmp.dir, db: join(tmp.dir, 'server.db'), engine: stubEngine, onLoginLink: () => {},
    log: { checkpoint: { every: 5, intervalMs: 0 }, periodMs: 100, anchor: { rpcUrl: anvil.url, chainId: ANVIL_CHAIN_ID, privateKey: ANVIL_KEY_0, everyMs: 60_000, timeoutMs: 10_000 } },
  });
}, 40_000);
afterAll(async () => { await srv?.close(); await anvil?.stop(); tmp.remove(); });

describe("the server's signed log, on a schedule", () => {
  it('signs each account checkpoint every N receipts, anchors it on the chain, and exports bundles that verify offline, independently and against the chain', async () => {
    const key = await agent(srv);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await decide(srv, key, `ls dir${i}`)).json.receipt_id as string);
    // 7 receipts, every 5: the schedule signs at 5 or more, and anchors that checkpoint
    const cp = await until('an anchored checkpoint', async () => {
      const r = await call(srv, 'GET', '/v2/log/checkpoint', key);
      return r.json?.checkpoint?.anchors?.length ? r.json : undefined;
    });
    expect(cp.checkpoint.tree_size).toBeGreaterThanOrEqual(5);
    expect(cp.checkpoint.anchors[0]).toMatchObject({ chain_id: ANVIL_CHAIN_ID });
    expect(cp.verifier_key).toMatch(new RegExp(`/${cp.account_id}\\+[0-9a-f]{8}\\+`));

    const b = await call(srv, 'GET', `/v2/receipts/${ids[2]}/bundle`, key);
    expect(b.status).toBe(200);
    const file = join(tmp.dir, 'bundle.json');
    writeFileSync(file, b.text);
    const offline = await vaibot(['verify', file, '--key', cp.verifier_key], process.env);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/^ok tree_size=\d+ leaf_index=2 /);
    expect(`${independentVerify(b.text, cp.verifier_key)}\n`).toBe(offline.stdout.replace(/ anchored .*$/s, '\n'));
    const onChain = await vaibot(['verify', file, '--key', cp.verifier_key, '--chain', anvil.url], process.env);
    expect(onChain.code, onChain.stderr).toBe(0);
    expect(onChain.stdout).toMatch(/anchored chain_id=31337 block=\d+/);

    // a receipt past the newest checkpoint still exports: a checkpoint covering it is signed on demand
    const late = (await decide(srv, key, 'ls late')).json.receipt_id as string;
    const lb = await call(srv, 'GET', `/v2/receipts/${late}/bundle`, key);
    expect(lb.status).toBe(200);
    expect(independentVerify(lb.text, cp.verifier_key)).toMatch(/^ok /);

    // a tampered bundle fails both verifiers
    const t = JSON.parse(b.text);
    t.receipt.decision = 'deny';
    writeFileSync(file, JSON.stringify(t));
    expect((await vaibot(['verify', file, '--key', cp.verifier_key], process.env)).code).toBe(1);
    expect(() => independentVerify(JSON.stringify(t), cp.verifier_key)).toThrow();
  }, 60_000);

  it('keeps accounts apart: another agent gets 404 for the bundle and 403 for the checkpoint, and its own log has its own key', async () => {
    const a = await agent(srv);
    const b = await agent(srv);
    const id = (await decide(srv, a, 'ls mine')).json.receipt_id as string;
    expect((await call(srv, 'GET', `/v2/receipts/${id}/bundle`, b)).status).toBe(404);
    const aAccount = (await call(srv, 'GET', '/v2/log/checkpoint', a)).json.account_id as string;
    expect((await call(srv, 'GET', `/v2/log/checkpoint?account_id=${aAccount}`, b)).status).toBe(403);
    expect((await call(srv, 'GET', `/v2/receipts/${id}/bundle`)).status).toBe(401);
    const ka = (await call(srv, 'GET', '/v2/log/checkpoint', a)).json.verifier_key as string;
    const kb = (await call(srv, 'GET', '/v2/log/checkpoint', b)).json.verifier_key as string;
    expect(ka).not.toBe(kb);
    const bundle = (await call(srv, 'GET', `/v2/receipts/${id}/bundle`, a)).text;
    expect(() => independentVerify(bundle, kb)).toThrow();
  }, 30_000);

  it('an instance with a different log key never signs after another key: it skips the account and says why', async () => {
    const a = await agent(srv);
    for (let i = 0; i < 6; i++) await decide(srv, a, `ls other${i}`);
    const account = (await call(srv, 'GET', '/v2/log/checkpoint', a)).json.account_id as string;
    await until('a checkpoint', async () => ((await call(srv, 'GET', '/v2/log/checkpoint', a)).json.checkpoint ? true : undefined));
    const stranger = serverLog({ store: srv.store, log: srv.store.log, key: ensureLogKey(join(tmp.dir, 'other-key')).key, policy: { every: 1, intervalMs: 0 } });
    await decide(srv, a, 'ls one-more');
    const result = await stranger.tick();
    expect(result.skipped.find((s) => s.accountId === account)?.why).toMatch(/signed by .* not by this server's key: give every instance the same log key/);
    await expect(stranger.bundle(account, (await call(srv, 'GET', '/v2/receipts?limit=1', a)).json.receipts[0].id)).rejects.toThrow(/give every instance the same log key/);
  }, 30_000);

  it('after a failed anchoring it waits before paying for another attempt, and keeps signing meanwhile', async () => {
    let rpcCalls = 0;
    const rpc = createServer((req, res) => { rpcCalls++; req.resume(); res.statusCode = 500; res.end('down'); });
    await new Promise<void>((r) => rpc.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (rpc.address() as AddressInfo).port;
      const a = await agent(srv);
      for (let i = 0; i < 3; i++) await decide(srv, a, `ls anchor-retry${i}`);
      const account = (await call(srv, 'GET', '/v2/log/checkpoint', a)).json.account_id as string;
      let t = Date.now();
      const log = serverLog({
        store: srv.store, log: srv.store.log, key: ensureLogKey(join(tmp.dir, 'server-log')).key, policy: { every: 1, intervalMs: 0 }, now: () => t,
        anchor: { rpcUrl: `http://127.0.0.1:${port}`, chainId: ANVIL_CHAIN_ID, privateKey: ANVIL_KEY_0, everyMs: 60_000, timeoutMs: 2_000 },
      });
      const first = await log.tick();
      expect(first.skipped.find((x) => x.accountId === account)?.why).toBeTruthy();
      const calls = rpcCalls;
      expect(calls).toBeGreaterThan(0);
      await decide(srv, a, 'ls anchor-retry-more');
      t += 30_000; // inside the wait: signs, but does not call the chain again
      const second = await log.tick();
      expect(rpcCalls).toBe(calls);
      expect(second.skipped.find((x) => x.accountId === account)).toBeUndefined();
      expect((await srv.store.log.latestCheckpoint(account))?.treeSize).toBe(4);
      t += 31_000; // past it: tries again
      await log.tick();
      expect(rpcCalls).toBeGreaterThan(calls);
    } finally {
      await new Promise<void>((r) => rpc.close(() => r()));
    }
  }, 60_000);
});
