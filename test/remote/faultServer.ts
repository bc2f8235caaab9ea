import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

/** What the fault server does with the next request. */
export type Fault = 'ok' | '503' | '401' | 'reset' | 'hang' | 'malformed';

/** A loopback HTTP server in front of the real app that injects one fault per request, from a queue. */
export interface FaultServer {
  url: string;
  /** Faults for the next requests, in order; when empty, requests go to the app. */
  queue: Fault[];
  /** Every request seen: method and path. */
  seen: string[];
  close(): Promise<void>;
}

/** Start the fault server on 127.0.0.1 (free port). */
export async function startFaultServer(app: Hono): Promise<FaultServer> {
  const forward = getRequestListener(app.fetch);
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const state: { queue: Fault[]; seen: string[] } = { queue: [], seen: [] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.seen.push(`${req.method} ${req.url}`);
    const fault = state.queue.shift() ?? 'ok';
    switch (fault) {
      case 'ok': void forward(req, res); return;
      case '503': res.writeHead(503, { 'content-type': 'application/json' }).end('{"ok":false,"error":{"code":"unavailable","message":"down for maintenance"}}'); return;
      case '401': res.writeHead(401, { 'content-type': 'application/json' }).end('{"ok":false,"error":{"code":"unauthorized","message":"unknown or revoked key"}}'); return;
      case 'malformed': res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"run_id":'); return;
      case 'reset': req.socket.destroy(); return;
      case 'hang': hanging.add(res); return;
    }
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get queue() { return state.queue; },
    set queue(q: Fault[]) { state.queue = q; },
    seen: state.seen,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
