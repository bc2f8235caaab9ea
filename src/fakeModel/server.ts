import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeScript } from './script.js';
import { turnItems } from './responseItems.js';
import { responseStream } from './sse.js';
import { toolOutputsOf, type ToolOutput } from './toolOutputs.js';

/** One request Codex made to the fake model, as received. */
export interface RecordedRequest {
  /** Milliseconds since the epoch when the body was complete. */
  at: number;
  method: string;
  path: string;
  /** The Codex thread this request belongs to (`prompt_cache_key`), or `''` when absent. */
  session: string;
  /** Index of the script entry answered (per session), or -1 when the request was refused. */
  turnIndex: number;
  /** The parsed JSON body (`undefined` when it was not JSON). */
  body: unknown;
}

/** A running fake model. */
export interface FakeModelServer {
  /** The port it listens on (127.0.0.1 only). */
  readonly port: number;
  /** The `base_url` for Codex's provider table: `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Every tool output Codex sent back so far, by call id (a later report of the same id wins). */
  toolOutputs(): Map<string, ToolOutput>;
  /** Replaces the script for sessions that start from now on (running sessions keep their position). */
  setScript(script: FakeScript): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Options of {@link startFakeModel}. */
export interface FakeModelOptions {
  /** Port to bind; 0 (default) picks a free one. */
  port?: number;
  /** Largest request body accepted, in bytes (default 32 MiB). */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY = 32 * 1024 * 1024;

function sessionOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'prompt_cache_key' in body) {
    const key = (body as { prompt_cache_key?: unknown }).prompt_cache_key;
    if (typeof key === 'string') return key;
  }
  return '';
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts a scripted Responses-API server on 127.0.0.1. Codex's `POST /v1/responses` requests are
 * answered with server-sent events from the script; each new Codex session (thread) starts the script
 * from its first entry, so the same server can serve several `codex exec` runs (e.g. a retry after an
 * approval). Every request body is recorded, so tests can read what the model was told.
 */
export async function startFakeModel(script: FakeScript, options: FakeModelOptions = {}): Promise<FakeModelServer> {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let currentScript: FakeScript = script;
  const requests: RecordedRequest[] = [];
  const cursors = new Map<string, { script: FakeScript; next: number }>();
  let responses = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req, maxBody);
    const record: RecordedRequest = { at: Date.now(), method: req.method ?? '', path, session: '', turnIndex: -1, body: undefined };
    requests.push(record);
    if (raw === null) {
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"message":"body too large"}}');
      return;
    }
    try {
      record.body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid JSON"}}');
      return;
    }
    if (req.method !== 'POST' || !path.endsWith('/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    record.session = sessionOf(record.body);
    let cursor = cursors.get(record.session);
    if (cursor === undefined) {
      cursor = { script: currentScript, next: 0 };
      cursors.set(record.session, cursor);
    }
    const turnIndex = cursor.next++;
    record.turnIndex = turnIndex;
    responses += 1;
    const body = responseStream(`resp_${responses}`, turnItems(cursor.script[turnIndex], turnIndex));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }).end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    toolOutputs() {
      const all = new Map<string, ToolOutput>();
      for (const request of requests) for (const [id, out] of toolOutputsOf(request.body)) all.set(id, out);
      return all;
    },
    setScript(next) {
      currentScript = next;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
