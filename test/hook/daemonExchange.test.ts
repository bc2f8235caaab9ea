import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/tempHome.js';
import { askDaemon, netExchange } from '../../src/hook/daemonClient.js';
import { rawPipeExchange, type ExchangeResult } from '../../src/hook/rawPipeExchange.js';
import { DAEMON_PROTOCOL, type DaemonRequest } from '../../src/hook/daemonProtocol.js';

// The thin hook talks to its daemon straight on libuv's pipe handle (node:net costs ~10 ms of start-up)
// and falls back to node:net where the handle is not offered. Both must behave the same.
const raw = (p: string, s: string, t: number): Promise<ExchangeResult> => {
  const r = rawPipeExchange(p, s, t);
  if (r === undefined) throw new Error('this Node does not offer the pipe handle');
  return r;
};
const transports = { raw, net: netExchange } as const;

const servers: Server[] = [];
const held: Socket[] = [];
afterEach(async () => {
  for (const s of held.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

function serve(path: string, onEnd: (sock: Socket, body: string) => void): Promise<void> {
  const server = createServer({ allowHalfOpen: true }, (sock) => {
    held.push(sock);
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => { chunks.push(d); });
    sock.on('error', () => { /* the client went away */ });
    sock.on('end', () => onEnd(sock, Buffer.concat(chunks).toString('utf8')));
  });
  servers.push(server);
  return new Promise((r) => server.listen(path, () => r()));
}

const request = (stdin: string): DaemonRequest => ({ v: DAEMON_PROTOCOL, event: 'PreToolUse', stdin, env: { VAIBOT_MODE: 'enforce' } });

describe.each(Object.entries(transports))('the daemon exchange over %s', (_name, exchange) => {
  it('is absent when nobody listens: no socket file, or a path that is not a socket', async () => {
    const home = tempHome();
    expect(await askDaemon(join(home, 'none.sock'), request('{}'), 2_000, exchange)).toEqual({ kind: 'absent' });
    writeFileSync(join(home, 'file.sock'), 'not a socket');
    expect(await askDaemon(join(home, 'file.sock'), request('{}'), 2_000, exchange)).toEqual({ kind: 'absent' });
  });

  it('carries a 5 MB call whole and returns the answer', async () => {
    const home = tempHome();
    const path = join(home, 'd.sock');
    await serve(path, (sock, body) => {
      const req = JSON.parse(body) as DaemonRequest;
      sock.end(JSON.stringify({ v: DAEMON_PROTOCOL, stdout: `${req.stdin.length}:${req.stdin.slice(-5)}`, exitCode: 0, lines: ['one', 'two'] }));
    });
    const stdin = `${'é'.repeat(2_500_000)}tail!`;
    expect(await askDaemon(path, request(stdin), 10_000, exchange)).toEqual({
      kind: 'answered', response: { v: DAEMON_PROTOCOL, stdout: `${stdin.length}:tail!`, exitCode: 0, lines: ['one', 'two'] },
    });
  });

  it('fails (not absent, not timed out) when the daemon hangs up without an answer or answers garbage', async () => {
    const home = tempHome();
    const hangUp = join(home, 'h.sock');
    await serve(hangUp, (sock) => sock.destroy());
    const out = await askDaemon(hangUp, request('{}'), 5_000, exchange);
    expect(out).toMatchObject({ kind: 'failed', timedOut: false });
    const garbage = join(home, 'g.sock');
    await serve(garbage, (sock) => sock.end('{"v":1,"stdout":42}'));
    expect(await askDaemon(garbage, request('{}'), 5_000, exchange)).toEqual({ kind: 'failed', why: 'the VAIBot daemon sent an invalid answer', timedOut: false });
  });

  it('times out when the daemon takes the call and never answers', async () => {
    const home = tempHome();
    const path = join(home, 's.sock');
    await serve(path, () => { /* never answers */ });
    const t0 = Date.now();
    const out = await askDaemon(path, request('{}'), 300, exchange);
    expect(out).toMatchObject({ kind: 'failed', timedOut: true });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('the raw pipe handle', () => {
  it('is available on this Node, so the hook does not pay for node:net', () => {
    const p = rawPipeExchange('/nonexistent/vaibot.sock', '', 100);
    expect(p).toBeDefined();
    return p;
  });
});
