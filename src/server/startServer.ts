import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { VaibotError } from '../util/vaibotError.js';

/** A running HTTP server. */
export interface RunningServer {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether a host is a loopback address. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Listen on host:port (port 0 = any free port) with @hono/node-server; resolves once listening. */
export function startServer(app: Hono, opts: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new VaibotError('config_invalid', err.code === 'EADDRINUSE' ? `port ${opts.port} on ${opts.host} is in use; pick another with --port` : `cannot listen on ${opts.host}:${opts.port}: ${err.message}`, { cause: err }));
    };
    server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info) => {
      server.off('error', onError);
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        host: info.address,
        close: () => new Promise<void>((res) => {
          const s = server as unknown as { closeAllConnections?: () => void; close: (cb: () => void) => void };
          s.close(() => res());
          s.closeAllConnections?.();
        }),
      });
    });
    server.once('error', onError);
  });
}
