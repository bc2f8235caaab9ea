import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openServerStore } from '../../src/serverStore/openServerStore.js';
import type { ServerStore } from '../../src/serverStore/serverStore.js';
import { createServerApp } from '../../src/server/createServerApp.js';
import { createApproverToken } from '../../src/server/operatorSetup.js';
import { bootstrap, decideBody, json, stubEngine, tempDir } from './serverHelpers.js';
import { runServer, type GovernanceServer } from '../../src/server/runServer.js';
import { startPg, type PgCluster } from './pgCluster.js';

const started = startPg();
const skip = 'skip' in started ? started.skip : null;
if (skip) console.warn(`[postgres.test] ${skip}`);
const pg = skip ? null : (started as PgCluster);

describe.skipIf(skip !== null)('PostgreSQL store', () => {
  const stores: ServerStore[] = [];
  const open = async () => {
    const s = await openServerStore({ dialect: 'postgres', url: (pg as PgCluster).url }, { poolSize: 8 });
    stores.push(s);
    return s;
  };
  beforeAll(async () => { await open(); });
  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    pg?.stop();
  });

  test('migrations are idempotent: opening the same database again (twice at once) changes nothing', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    expect((await a.ping()).ok).toBe(true);
    expect((await b.ping()).ok).toBe(true);
  });

  test('the API works the same on PostgreSQL: decide, approve, retry, finalize, health', async () => {
    const store = stores[0] as ServerStore;
    const { app } = createServerApp({ store, engine: stubEngine, bootstrapLimit: { capacity: 1000, refillMs: 1 } });
    const { key } = await bootstrap(app);
    const d = (await (await app.request('/v2/governance/decide', json('POST', decideBody('curl https://example.com'), key))).json()) as any;
    expect(d.decision.decision).toBe('approval_required');
    const token = await createApproverToken(store, 'alice', null, Date.now());
    expect((await app.request(`/v2/receipts/${d.content_hash}/approve`, json('PATCH', {}, token))).status).toBe(200);
    const retry = (await (await app.request('/v2/governance/decide', json('POST', decideBody('curl https://example.com'), key))).json()) as any;
    expect(retry.decision.decision).toBe('allow');
    const fin = await app.request(`/v2/governance/finalize/${retry.run_id}`, json('POST', { outcome: 'allowed', result: { exit_code: 0 } }, key));
    expect(fin.status).toBe(200);
    const h = (await (await app.request('/v2/health')).json()) as any;
    expect(h.db).toMatchObject({ ok: true, dialect: 'postgres' });
    const agentApprove = await app.request(`/v2/receipts/${d.content_hash}/approve`, json('PATCH', {}, key));
    expect(agentApprove.status).toBe(403);
  });

  test('two server instances on one database serving one account lose and duplicate no receipt', async () => {
    const [s1, s2] = [await open(), await open()];
    const a1 = createServerApp({ store: s1, engine: stubEngine, bootstrapLimit: { capacity: 1000, refillMs: 1 } }).app;
    const a2 = createServerApp({ store: s2, engine: stubEngine, bootstrapLimit: { capacity: 1000, refillMs: 1 } }).app;
    const { key, accountId } = await bootstrap(a1);
    const N = 120;
    // Concurrent decides split across both instances, including the same approval_required intent on both.
    const decides = Array.from({ length: N }, (_, i) => {
      const app = i % 2 === 0 ? a1 : a2;
      const cmd = i % 10 === 0 ? 'curl https://same.example' : `echo ${i}`;
      return Promise.resolve(app.request('/v2/governance/decide', json('POST', decideBody(cmd, { session_id: `s${i % 4}` }), key))).then((r: Response) => r.json() as Promise<any>);
    });
    // The same spooled batch uploaded to both instances at once, three times.
    const spooled = Array.from({ length: 10 }, (_, i) => ({
      v: 1, id: crypto.randomUUID(), kind: 'decision', content_hash: `sha256:${String(i).padStart(64, 'c')}`, tool: 'Read', cwd: '/w', intent: null,
      risk: null, decision: 'allow', mode: 'enforce', shadow_decision: 'allow', basis: 'breaker_open', approval_state: null,
      session_id: 's', turn_id: null, tool_use_id: null, event: 'PreToolUse', agent: { name: 'codex', model: null, install_id: null }, at: new Date().toISOString(), follows: null,
    }));
    const uploads = [a1, a2, a1, a2, a1, a2].map((app) => Promise.resolve(app.request('/v2/receipts/batch', json('POST', { receipts: spooled }, key))).then((r: Response) => r.json() as Promise<any>));
    const [results, ups]: [any[], any[]] = await Promise.all([Promise.all(decides), Promise.all(uploads)]);
    expect(results.every((r) => r.ok === true)).toBe(true);
    expect(ups.reduce((n, u) => n + u.stored, 0)).toBe(10);
    expect(ups.reduce((n, u) => n + u.duplicates, 0)).toBe(50);

    const all = await s1.receipts({ accountIds: [accountId], limit: 500 });
    expect(all).toHaveLength(N + 10);
    const seqs = all.map((r) => r.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: N + 10 }, (_, i) => i + 1)); // gapless, no duplicates
    expect(new Set(all.map((r) => r.receipt.id)).size).toBe(N + 10);
    const ids = new Set(results.map((r) => r.receipt_id));
    for (const r of all.filter((x) => x.receipt.basis !== 'breaker_open')) expect(ids.has(r.receipt.id)).toBe(true);
    // The shared approval_required intent has exactly one approval actor, blocked once.
    const approvals = await s2.approvalsOf([accountId], results.find((r) => r.decision.decision === 'approval_required').content_hash);
    expect(approvals).toHaveLength(1);
    expect(approvals[0]?.approval.value).toBe('blocked_until_approved');
    expect((await s2.account(accountId))?.receiptCount).toBe(N + 10);
  }, 60_000);
  test('live views are shared: an SSE stream on one instance sees what another instance decides and approves', async () => {
    const home = tempDir();
    const servers: GovernanceServer[] = [];
    try {
      for (const name of ['a', 'b']) {
        servers.push(await runServer({ port: 0, host: '127.0.0.1', home: `${home.dir}/${name}`, db: (pg as PgCluster).url, engine: stubEngine, log: { keyDir: `${home.dir}/key`, periodMs: 60_000 } }));
      }
      const [a, b] = servers as [GovernanceServer, GovernanceServer];
      const post = async (url: string, path: string, body: unknown, key?: string) => (await fetch(`${url}${path}`, json('POST', body, key))).json() as Promise<any>;
      const boot = await post(b.url, '/v2/bootstrap', { fingerprint: `v2:test:${crypto.randomUUID()}`, agent: 'relay' });
      const token = await createApproverToken(a.store, 'alice', null, Date.now());
      const ctrl = new AbortController();
      const stream = await fetch(`${a.url}/v2/receipts/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      let seen = '';
      const waitFor = async (needle: string) => {
        const until = Date.now() + 10_000;
        while (!seen.includes(needle)) {
          if (Date.now() > until) throw new Error(`no ${needle} on the stream: ${seen}`);
          const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
          if (chunk && !chunk.done) seen += new TextDecoder().decode(chunk.value);
        }
      };
      await waitFor('event: ready');
      const d = await post(b.url, '/v2/governance/decide', decideBody('curl https://relay.example'), boot.api_key);
      expect(d.decision.decision).toBe('approval_required');
      await waitFor(d.receipt_id);
      await waitFor('event: approval');
      // an approval made on instance b also reaches a's stream
      seen = '';
      const res = await fetch(`${b.url}/v2/receipts/${d.content_hash}/approve`, json('PATCH', {}, token));
      expect(res.status).toBe(200);
      await waitFor('"state":"approved');
      ctrl.abort();
    } finally {
      for (const s of servers) await s.close().catch(() => undefined);
      home.remove();
    }
  }, 60_000);
});
