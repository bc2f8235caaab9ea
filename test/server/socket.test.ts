import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
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

  test('a chunked body over the limit is read to its end and dropped: the 413 arrives and a keep-alive client sends its next call on the same connection', async () => {
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      const call = (path: string, method: string, chunks: string[]) => new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
        const r = httpRequest(`${srv.url}${path}`, { method, agent, headers: chunks.length ? { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } : {} }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => { body += d.toString('utf8'); });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        });
        r.on('socket', (s) => sockets.add(s));
        r.on('error', reject);
        for (const c of chunks) r.write(c);
        r.end();
      });
      const big = JSON.stringify({ fingerprint: 'x'.repeat(9 * 1024 * 1024) });
      const parts = Array.from({ length: Math.ceil(big.length / 65536) }, (_, i) => big.slice(i * 65536, (i + 1) * 65536));
      const first = await call('/v2/bootstrap', 'POST', parts);
      expect(first.status).toBe(413);
      expect(JSON.parse(first.body).error.code).toBe('payload_too_large');
      expect(first.connection).not.toBe('close');
      const next = await call('/v2/health', 'GET', []);
      expect(next.status).toBe(200);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  test('an oversized body with a declared length gets its 413 even when the client sends all of it first, and the connection stays usable', async () => {
    const { port } = new URL(srv.url);
    const body = Buffer.alloc(9 * 1024 * 1024, 'x');
    for (let attempt = 0; attempt < 3; attempt++) {
      const { sock, waitFor } = await rawSocket(Number(port));
      sock.write(`POST /v2/bootstrap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      await new Promise<void>((resolve, reject) => sock.write(body, (err) => (err ? reject(err) : resolve())));
      expect(await waitFor(/^HTTP\/1\.1 413 [\s\S]*\r\n\r\n/)).not.toMatch(/connection: close/i);
      sock.write('GET /v2/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await waitFor(/HTTP\/1\.1 200 /);
      sock.destroy();
    }
  });

  test('an oversized chunked body gets its 413 even when the client sends all of it before reading, and the connection stays usable', async () => {
    const { port } = new URL(srv.url);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let attempt = 0; attempt < 3; attempt++) {
      const { sock, waitFor } = await rawSocket(Number(port));
      sock.write('POST /v2/bootstrap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      for (let i = 0; i < 9 * 16; i++) sock.write(`${chunk.length.toString(16)}\r\n`), sock.write(chunk), sock.write('\r\n');
      await new Promise<void>((resolve, reject) => sock.write('0\r\n\r\n', (err) => (err ? reject(err) : resolve())));
      expect(await waitFor(/^HTTP\/1\.1 413 [\s\S]*\r\n\r\n/)).not.toMatch(/connection: close/i);
      sock.write('GET /v2/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await waitFor(/HTTP\/1\.1 200 /);
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

describe('a chunked body past the drain bounds', () => {
  let small: GovernanceServer;
  let dir: { dir: string; remove: () => void };
  beforeAll(async () => {
    dir = tempDir();
    small = await runServer({ port: 0, host: '127.0.0.1', home: dir.dir, db: join(dir.dir, 'server.db'), engine: stubEngine, app: { bodyLimitBytes: 1024, bodyDrain: { bytes: 4096, ms: 300 } } });
  });
  afterAll(async () => {
    await small.close();
    dir.remove();
  });
  const head = 'POST /v2/bootstrap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
  const chunk2 = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
  const chunk = (n: number) => chunk2('x'.repeat(n));

  test('more than the drain allows: 413 on a connection that closes', async () => {
    const { sock, waitFor } = await rawSocket(Number(new URL(small.url).port));
    sock.write(head + chunk(8192));
    const got = await waitFor(/^HTTP\/1\.1 413 [\s\S]*\r\n\r\n[\s\S]*payload_too_large/);
    expect(got).toMatch(/connection: close/i);
    sock.destroy();
  });

  test('a body that stops coming: 413 and close once the drain time is up', async () => {
    const { sock, waitFor } = await rawSocket(Number(new URL(small.url).port));
    const t0 = Date.now();
    sock.write(head + chunk(2048));
    const got = await waitFor(/^HTTP\/1\.1 413 [\s\S]*\r\n\r\n/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(got).toMatch(/connection: close/i);
    sock.destroy();
  });

  test('within the bounds: 413, and the same connection serves the next request', async () => {
    const { sock, waitFor } = await rawSocket(Number(new URL(small.url).port));
    sock.write(`${head}${chunk(3000)}0\r\n\r\n`);
    expect(await waitFor(/^HTTP\/1\.1 413 [\s\S]*\r\n\r\n/)).not.toMatch(/connection: close/i);
    sock.write('GET /v2/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitFor(/HTTP\/1\.1 200 /);
    sock.destroy();
  });

  test('a body under the limit, in chunks, is read whole', async () => {
    const { sock, waitFor } = await rawSocket(Number(new URL(small.url).port));
    const body = JSON.stringify({ fingerprint: fingerprint() });
    sock.write(`${head}${chunk2(body.slice(0, 10))}${chunk2(body.slice(10))}0\r\n\r\n`);
    expect(await waitFor(/^HTTP\/1\.1 201 [\s\S]*api_key/)).toMatch(/"bootstrapped":true/);
    sock.destroy();
  });
});

/** A raw loopback socket, and a wait for what it has received to match (rejects on a socket error, or after 10 s). */
async function rawSocket(port: number): Promise<{ sock: Socket; waitFor: (needle: RegExp) => Promise<string> }> {
  const sock = connect(port, '127.0.0.1');
  let received = '';
  sock.on('data', (d: Buffer) => { received += d.toString('latin1'); });
  const failed = new Promise<string>((resolve) => sock.once('error', (err: NodeJS.ErrnoException) => resolve(String(err.code))));
  await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
  const waitFor = async (needle: RegExp): Promise<string> => {
    const deadline = Date.now() + 10_000;
    while (!needle.test(received) && Date.now() < deadline) {
      const err = await Promise.race([failed, new Promise<null>((r) => setTimeout(() => r(null), 20))]);
      if (err) throw new Error(`socket error ${err} after ${received.length} bytes`);
    }
    if (!needle.test(received)) throw new Error(`no ${needle} within 10 s; received ${JSON.stringify(received.slice(0, 300))}`);
    return received;
  };
  return { sock, waitFor };
}
