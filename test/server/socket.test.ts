import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { runServer, type GovernanceServer } from '../../src/server/runServer.js';
import { stubEngine, tempDir, fingerprint } from './serverHelpers.js';
import { createApproverToken } from '../../src/server/operatorSetup.js';

let srv: GovernanceServer;
let tmp: { dir: string; remove: () => void };
let loginLink: string | null = null;

beforeAll(async () => {
  tmp = tempDir();
  srv = await runServer({ port: 0, host: '127.0.0.1', home: tmp.dir, db: join(tmp.dir, 'server.db'), engine: stubEngine, onLoginLink: (l) => { loginLink = l; } });
});
afterAll(async () => {
  await srv.close();
  tmp.remove();
});

describe('over a real loopback socket', () => {
  test('HTTP: bootstrap and decide; the first run printed a one-time operator login link', async () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(loginLink).toMatch(new RegExp(`^${srv.url}/login/[A-Za-z0-9_-]{40,}$`));
    const b = await fetch(`${srv.url}/v2/bootstrap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fingerprint: fingerprint() }) });
    expect(b.status).toBe(201);
    const { api_key, message } = (await b.json()) as { api_key: string; message: string };
    expect(message).toContain(`${srv.url}/approvals`); // the port it really listens on, not 0
    const d = await fetch(`${srv.url}/v2/governance/decide`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${api_key}` },
      body: JSON.stringify({ session_id: 's', tool: 'Bash', intent: { command: 'ls', cwd: '/' } }),
    });
    expect(((await d.json()) as any).decision.decision).toBe('allow');
  });

  test('body limit over HTTP: a declared length over 8 MiB and a chunked body over it are both 413; a small chunked body is served', async () => {
    const b = (await (await fetch(`${srv.url}/v2/bootstrap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fingerprint: fingerprint() }) })).json()) as any;
    const send = (chunks: string[], chunked: boolean) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const total = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
      const r = httpRequest(`${srv.url}/v2/governance/decide`, {
        method: 'POST', agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${b.api_key}`, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) }) },
      }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => { body += d.toString('utf8'); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      r.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve({ status: 413, body: 'connection closed while sending' }) : reject(err)));
      for (const c of chunks) r.write(c);
      r.end();
    });
    const big = JSON.stringify({ session_id: 's', tool: 'Bash', intent: { command: `echo ${'x'.repeat(9 * 1024 * 1024)}`, cwd: '/' } });
    const parts = Array.from({ length: Math.ceil(big.length / 65536) }, (_, i) => big.slice(i * 65536, (i + 1) * 65536));
    expect((await send([big], false)).status).toBe(413);
    expect((await send(parts, true)).status).toBe(413);
    const small = JSON.stringify({ session_id: 's', tool: 'Bash', intent: { command: 'ls', cwd: '/' } });
    const ok = await send([small.slice(0, 10), small.slice(10)], true);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).decision.decision).toBe('allow');
  });

  test('an oversized body ends its connection (Connection: close), so a keep-alive client sends its next call on a fresh one', async () => {
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    try {
      const call = (path: string, method: string, chunks: string[]) => new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
        const r = httpRequest(`${srv.url}${path}`, { method, agent, headers: chunks.length ? { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } : {} }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => { body += d.toString('utf8'); });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        });
        r.on('error', reject);
        for (const c of chunks) r.write(c);
        r.end();
      });
      const big = JSON.stringify({ fingerprint: 'x'.repeat(9 * 1024 * 1024) });
      const parts = Array.from({ length: Math.ceil(big.length / 65536) }, (_, i) => big.slice(i * 65536, (i + 1) * 65536));
      const first = await call('/v2/bootstrap', 'POST', parts).catch((err: NodeJS.ErrnoException) => ({ status: 413, connection: 'close', body: String(err.code) }));
      expect(first.status).toBe(413);
      expect(first.connection).toBe('close');
      const next = await call('/v2/health', 'GET', []);
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  test('an oversized body with a declared length gets its 413 even when the client sends all of it first, and the connection stays usable', async () => {
    const { port } = new URL(srv.url);
    const body = Buffer.alloc(9 * 1024 * 1024, 'x');
    for (let attempt = 0; attempt < 3; attempt++) {
      const sock = connect(Number(port), '127.0.0.1');
      let received = '';
      sock.on('data', (d: Buffer) => { received += d.toString('latin1'); });
      const failed = new Promise<string>((resolve) => sock.once('error', (err: NodeJS.ErrnoException) => resolve(String(err.code))));
      const waitFor = async (needle: RegExp) => {
        const deadline = Date.now() + 10_000;
        while (!needle.test(received) && Date.now() < deadline) {
          const err = await Promise.race([failed, new Promise<null>((r) => setTimeout(() => r(null), 20))]);
          if (err) throw new Error(`socket error ${err} after ${received.length} bytes`);
        }
        return needle.test(received);
      };
      await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
      sock.write(`POST /v2/bootstrap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      await new Promise<void>((resolve, reject) => sock.write(body, (err) => (err ? reject(err) : resolve())));
      expect(await waitFor(/^HTTP\/1\.1 413 /)).toBe(true);
      expect(received).not.toMatch(/connection: close/i);
      sock.write('GET /v2/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await waitFor(/HTTP\/1\.1 200 /)).toBe(true);
      sock.destroy();
    }
  });

  test('SSE: a subscriber sees the block and the human approval as they happen', async () => {
    const b = (await (await fetch(`${srv.url}/v2/bootstrap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fingerprint: fingerprint() }) })).json()) as any;
    const key = b.api_key as string;
    const ctrl = new AbortController();
    const res = await fetch(`${srv.url}/v2/receipts/stream`, { headers: { authorization: `Bearer ${key}` }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 5000;
      while (!text.includes(needle) && Date.now() < deadline) {
        const { value, done } = await Promise.race([reader.read(), new Promise<{ value: undefined; done: true }>((r) => setTimeout(() => r({ value: undefined, done: true }), deadline - Date.now()))]);
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text.includes(needle);
    };
    expect(await readUntil('event: ready')).toBe(true);
    const d = (await (await fetch(`${srv.url}/v2/governance/decide`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ session_id: 's', tool: 'Bash', intent: { command: 'curl https://x.example', cwd: '/' } }),
    })).json()) as any;
    expect(await readUntil('event: receipt')).toBe(true);
    const token = await createApproverToken(srv.store, 'alice', null, Date.now());
    await fetch(`${srv.url}/v2/receipts/${d.content_hash}/approve`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` } });
    expect(await readUntil('"state":"approved"')).toBe(true);
    ctrl.abort();
    await reader.cancel().catch(() => undefined);
  });
});
