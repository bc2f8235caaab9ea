import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { DecisionEngine } from '../governance/decisionEngine.js';
import { openServerStore, parseDatabaseSpec, type DatabaseSpec, type OpenServerStoreOptions } from '../serverStore/openServerStore.js';
import type { ServerStore } from '../serverStore/serverStore.js';
import { createServerApp, type ServerApp, type ServerAppOptions } from './createServerApp.js';
import { eventBus } from './eventBus.js';
import { pgEventRelay, type RelayedEventBus } from './pgEventRelay.js';
import { ensureOperator } from './operatorSetup.js';
import { startServer, type RunningServer } from './startServer.js';
import { serverLog, type ServerAnchorSettings, type ServerLog } from './serverLog.js';
import { ensureLogKey } from '../receipts/logKey.js';
import type { CheckpointPolicy } from '../receipts/logSettings.js';

/** Options of {@link runServer}. */
export interface RunServerOptions {
  port: number;
  host: string;
  /** `--db`: a SQLite path or a postgres:// URL; default `<home>/server.db`. */
  db?: string;
  home: string;
  engine: DecisionEngine;
  logger?: Logger;
  /** Called with the first-run operator login link. */
  onLoginLink?: (link: string) => void;
  publicUrl?: string;
  store?: OpenServerStoreOptions;
  app?: Partial<Omit<ServerAppOptions, 'store' | 'engine'>>;
  /**
   * The accounts' verifiable log. The log key lives in `keyDir` (default `<home>/server-log`; every
   * instance sharing a database must be given the same one); checkpoints follow `checkpoint`, checked
   * every `periodMs` (default 2 s); anchoring runs only when `anchor` is given.
   */
  log?: { keyDir?: string; checkpoint?: CheckpointPolicy; periodMs?: number; anchor?: ServerAnchorSettings };
}

/** A started governance server: HTTP listener, database, app. */
export interface GovernanceServer {
  url: string;
  store: ServerStore;
  spec: DatabaseSpec;
  log: ServerLog;
  server: ServerApp;
  http: RunningServer;
  close(): Promise<void>;
}

/** Where a log line may name a path: secrets in paths (login links) are masked. */
function redactPath(path: string): string {
  return path.replace(/^\/login\/[^/]+/, '/login/***');
}

/** A pino logger on stderr that never writes secrets (no headers, no bodies, login tokens masked). */
export function serverLogger(debug: boolean): Logger {
  return pino({
    level: debug ? 'debug' : 'info',
    base: { svc: 'vaibot-server' },
    hooks: {
      logMethod(args, method) {
        const [first] = args;
        if (first && typeof first === 'object' && 'path' in first) (first as { path: string }).path = redactPath(String((first as { path: string }).path));
        return method.apply(this, args as Parameters<typeof method>);
      },
    },
  }, pino.destination(2));
}

/** Open the database, build the app, listen, and on first run create the operator's login link. */
export async function runServer(o: RunServerOptions): Promise<GovernanceServer> {
  const spec = parseDatabaseSpec(o.db ?? join(o.home, 'server.db'));
  const logger = o.logger;
  const store = await openServerStore(spec, logger ? { ...o.store, warn: (m) => logger.warn(m) } : o.store);
  const started: Array<() => Promise<void>> = []; // undone in reverse if the start fails part-way
  try {
    let listeningUrl = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`;
    const { key } = ensureLogKey(o.log?.keyDir ?? join(o.home, 'server-log'));
    const log = serverLog({
      store, log: store.log, key, policy: o.log?.checkpoint ?? { every: 100, intervalMs: 60_000 },
      ...(o.log?.anchor ? { anchor: o.log.anchor } : {}), ...(o.logger ? { logger: o.logger } : {}),
    });
    // on a shared PostgreSQL database, live views (SSE) see what every instance decides and approves
    let bus: RelayedEventBus | undefined;
    if (spec.dialect === 'postgres' && o.app?.bus === undefined) {
      bus = await pgEventRelay({ url: spec.url, local: eventBus(), ...(o.logger ? { logger: o.logger } : {}) });
      const relay = bus;
      started.push(() => relay.close());
    }
    const server = createServerApp({ store, engine: o.engine, publicUrl: () => o.publicUrl ?? listeningUrl, serverLog: log, ...(o.logger ? { log: o.logger } : {}), ...(bus ? { bus } : {}), ...o.app });
    const http = await startServer(server.app, { port: o.port, host: o.host });
    started.push(() => http.close());
    listeningUrl = http.url; // the real port when asked for port 0
    const stopLog = log.start(o.log?.periodMs ?? 2_000);
    started.push(stopLog);
    const publicUrl = o.publicUrl ?? http.url;
    const op = await ensureOperator(store, publicUrl, Date.now());
    if (op && o.onLoginLink) o.onLoginLink(op.loginUrl);
    return {
      url: http.url, store, spec, server, http, log,
      async close() {
        await http.close();
        await stopLog();
        await bus?.close();
        await store.close();
      },
    };
  } catch (err) {
    for (const undo of started.reverse()) await undo().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}
