import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Client as PgClient } from 'pg';
import type { Logger } from 'pino';
import type { EventBus, ServerEvent } from './eventBus.js';

const require = createRequire(import.meta.url);

/** The PostgreSQL channel every instance sharing a database listens on. */
export const EVENT_CHANNEL = 'vaibot_events';

const serverEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('receipt'), accountId: z.string(), receiptId: z.string(), contentHash: z.string(), kind: z.string(), decision: z.string().nullable(), tool: z.string(), at: z.string() }),
  z.object({ type: z.literal('approval'), accountId: z.string(), contentHash: z.string(), state: z.string(), at: z.number() }),
]);
const notificationSchema = z.object({ o: z.string(), e: serverEventSchema });

/** An event bus shared by every instance on one PostgreSQL database. */
export interface RelayedEventBus extends EventBus {
  /** Stop listening and publishing; idempotent. */
  close(): Promise<void>;
}

/** Options for {@link pgEventRelay}. */
export interface PgEventRelayOptions {
  url: string;
  /** This instance's subscribers (the SSE streams it serves). */
  local: EventBus;
  logger?: Logger;
  /** First wait before reconnecting a lost listener, ms (doubles up to 30 s). */
  retryMs?: number;
}

/**
 * Fan server events out across instances: what this instance publishes reaches its own subscribers
 * at once and, through NOTIFY, every other instance's; what they publish arrives here through
 * LISTEN. So an approval page served by one instance shows live what another instance decided.
 * Notifications are validated; one that does not parse is dropped. While the listening connection
 * is down (it reconnects with backoff), other instances' events are missed by the live views only:
 * nothing stored depends on them.
 */
export async function pgEventRelay(o: PgEventRelayOptions): Promise<RelayedEventBus> {
  const pg = require('pg') as typeof import('pg');
  const origin = randomUUID();
  let closed = false;
  let listener: PgClient | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let wait = o.retryMs ?? 1_000;
  // One pooled connection publishes, in order, and is replaced if it drops; a failed NOTIFY is logged
  // and the event stays local.
  const connection = { connectionString: o.url, keepAlive: true, connectionTimeoutMillis: 10_000 };
  const sender = new pg.Pool({ ...connection, max: 1, idleTimeoutMillis: 0 });
  sender.on('error', (err) => o.logger?.warn({ err: err.message }, 'event relay: publishing connection failed'));
  await sender.query('SELECT 1');

  const onNotification = (msg: { channel: string; payload?: string }) => {
    if (msg.channel !== EVENT_CHANNEL || msg.payload === undefined) return;
    let parsed: z.infer<typeof notificationSchema>;
    try {
      const r = notificationSchema.safeParse(JSON.parse(msg.payload));
      if (!r.success) return;
      parsed = r.data;
    } catch {
      return;
    }
    if (parsed.o !== origin) o.local.publish(parsed.e as ServerEvent);
  };

  const listen = async (): Promise<void> => {
    const client = new pg.Client(connection);
    const lost = (why: string) => {
      if (listener !== client) return;
      listener = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (closed) return;
      o.logger?.warn({ why, retry_ms: wait }, 'event relay: listening connection lost; reconnecting');
      retryTimer = setTimeout(() => { retryTimer = null; void listen().catch(() => undefined); }, wait);
      retryTimer.unref();
      wait = Math.min(30_000, wait * 2);
    };
    listener = client;
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('closed'));
    client.on('notification', onNotification);
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_CHANNEL}`);
      wait = o.retryMs ?? 1_000;
    } catch (err) {
      lost((err as Error).message);
      throw err;
    }
  };
  try {
    await listen();
  } catch (err) {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    await sender.end().catch(() => undefined);
    throw err;
  }

  return {
    publish(e) {
      o.local.publish(e);
      if (closed) return;
      sender.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, JSON.stringify({ o: origin, e })])
        .catch((err: Error) => o.logger?.warn({ err: err.message }, 'event relay: an event reached this instance only'));
    },
    subscribe: (fn) => o.local.subscribe(fn),
    size: () => o.local.size(),
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const l = listener;
      listener = null;
      await Promise.all([l?.end().catch(() => undefined), sender.end().catch(() => undefined)]);
    },
  };
}
