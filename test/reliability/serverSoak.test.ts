import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runServer, type GovernanceServer } from '../../src/server/runServer.js';
import { stubEngine, tempDir, fingerprint } from '../server/serverHelpers.js';

// A bounded soak of the governance server at a steady load over loopback: every answered decide
// leaves exactly one receipt, and memory does not grow with the number of requests.
const SECONDS = Number(process.env.VAIBOT_SOAK_SECONDS ?? 12);
const CONCURRENCY = 8;

let srv: GovernanceServer;
let tmp: { dir: string; remove: () => void };
beforeAll(async () => {
  tmp = tempDir();
  srv = await runServer({ port: 0, host: '127.0.0.1', home: tmp.dir, db: join(tmp.dir, 'server.db'), engine: stubEngine, onLoginLink: () => {} });
});
afterAll(async () => {
  await srv.close();
  tmp.remove();
});

describe('server soak', () => {
  it(`answers ${SECONDS}s of steady load with one receipt per answered request and flat memory`, async () => {
    const b = (await (await fetch(`${srv.url}/v2/bootstrap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fingerprint: fingerprint() }) })).json()) as { api_key: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${b.api_key}` };
    let answered = 0;
    let n = 0;
    const heap: number[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    // retained heap: collect garbage before each sample, so GC timing does not decide the result
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const sampler = setInterval(() => { gc(); heap.push(process.memoryUsage().heapUsed); }, 500);
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const i = n++;
        const res = await fetch(`${srv.url}/v2/governance/decide`, { method: 'POST', headers, body: JSON.stringify({ session_id: `soak${i % 7}`, tool: 'Bash', intent: { command: `ls /tmp/${i}`, cwd: '/' } }) });
        if (res.status === 200) answered++;
        await res.arrayBuffer();
      }
    }));
    clearInterval(sampler);
    expect(answered).toBeGreaterThan(SECONDS); // it really served a load
    const list = await fetch(`${srv.url}/v2/receipts?limit=1`, { headers });
    const body = (await list.json()) as { total?: number; receipts?: Array<{ seq?: number }> };
    const stored = body.total ?? body.receipts?.[0]?.seq;
    expect(stored).toBe(answered);
    // memory: what survives garbage collection in the last third of the run is no more than 1.5x that
    // of the first third, plus slack
    const third = Math.max(1, Math.floor(heap.length / 3));
    const early = Math.min(...heap.slice(0, third));
    const late = Math.min(...heap.slice(-third));
    expect(late).toBeLessThan(early * 1.5 + 16 * 1024 * 1024);
  }, (SECONDS + 60) * 1000);
});
