import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import type { IncomingMessage } from 'node:http';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Logger } from 'pino';
import type { DecisionEngine } from '../governance/decisionEngine.js';
import type { Receipt } from '../receipts/receipt.js';
import type { ServerStore } from '../serverStore/serverStore.js';
import { isVaibotError } from '../util/vaibotError.js';
import {
  approveRequestSchema, bootstrapRequestSchema, breakerReportSchema, contentHashSchema, decideRequestSchema, denyRequestSchema,
  finalizeRequestSchema, fromWireRisk, receiptBatchSchema, receiptsQuerySchema,
} from '../remote/wire.js';
import type { ApprovalScope } from '../../machines/approval.types.js';
import { refuseCrossSite } from './refuseCrossSite.js';
import { readChunkedBody } from './readChunkedBody.js';
import { ApiError, isApiError } from './apiError.js';
import { authenticator, readableAccounts, type Principal } from './auth.js';
import { eventBus, type EventBus, type ServerEvent } from './eventBus.js';
import { serverMetrics, type ServerMetrics } from './metrics.js';
import { rateLimiter } from './rateLimiter.js';
import { KEY_PREFIX, hashSecret, newSecret, secretHint } from './secrets.js';
import { serverGovernance, type ServerGovernance } from './serverGovernance.js';
import { jsonBody, validate } from './validate.js';
import { dashboardRoutes } from './dashboard/dashboardRoutes.js';
import { sha256OfCanonical } from '../intent/contentHash.js';
import type { ServerLog } from './serverLog.js';
import { isReceiptError } from '../receipts/receiptError.js';

/** What a server app is built from. */
export interface ServerAppOptions {
  store: ServerStore;
  engine: DecisionEngine;
  now?: () => number;
  /** Request logs (no secrets); omit for none. */
  log?: Logger;
  approvalTtlMs?: number;
  /** Largest request body accepted, bytes (default 8 MiB: whole patches travel). */
  bodyLimitBytes?: number;
  /** How far a chunked body over the limit is read and dropped so its 413 arrives (default 4x the limit, 5 s). */
  bodyDrain?: { bytes: number; ms: number };
  /** Bootstrap rate limit per client address (default 10, one more every 6 s). */
  bootstrapLimit?: { capacity: number; refillMs: number };
  /** What GET /v2/policy shows. */
  policy?: () => unknown;
  /** The server's public base URL, for links in messages (a function: known only once it listens). */
  publicUrl?: string | (() => string);
  /** Set the Secure attribute on the session cookie (behind https). */
  secureCookies?: boolean;
  version?: string;
  /** The accounts' verifiable log (checkpoint and bundle routes); without it those routes answer 503. */
  serverLog?: ServerLog;
  /** Where events go (default: this process only; `vaibot serve` on PostgreSQL shares them across instances). */
  bus?: EventBus;
}

/** The app and the parts tests and `vaibot serve` reach into. */
export interface ServerApp {
  app: Hono;
  bus: EventBus;
  metrics: ServerMetrics;
  governance: ServerGovernance;
  /** Last breaker event each account's clients reported (for the statechart page). */
  breakerStates: Map<string, { state: 'open' | 'closed'; at: number }>;
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'in-process';
  }
}

/** Require an approver; an agent key gets 403, nobody 401; dashboard sessions must send the CSRF token. */
function requireApprover(c: Context, p: Principal | null, formToken?: string): Extract<Principal, { kind: 'approver' }> {
  if (p === null) throw new ApiError('unauthorized', 'sign in as an approver or send an approver token');
  if (p.kind !== 'approver') throw new ApiError('forbidden', 'agent keys cannot approve or deny: approvals are human acts (dashboard or approver token)');
  if (p.via === 'dashboard') {
    refuseCrossSite(c);
    const token = formToken ?? c.req.header('x-csrf-token');
    if (!token || token !== p.csrf) throw new ApiError('forbidden', 'missing or wrong CSRF token', 'x-csrf-token');
  }
  return p;
}

function requireAgent(p: Principal | null): Extract<Principal, { kind: 'agent' }> {
  if (p === null) throw new ApiError('unauthorized', 'send Authorization: Bearer <agent key> (POST /v2/bootstrap creates one)');
  if (p.kind !== 'agent') throw new ApiError('forbidden', 'this endpoint takes an agent key');
  return p;
}

function requireAny(p: Principal | null): Principal {
  if (p === null) throw new ApiError('unauthorized', 'send Authorization: Bearer <key>');
  return p;
}

function wireReceipt(s: { gid: number; accountId: string; seq: number; leafHash: string; receipt: Receipt }) {
  return { ...s.receipt, account_id: s.accountId, seq: s.seq, leaf_hash: s.leafHash };
}

/** Build the governance server: v2 API, dashboard, SSE, metrics. Test it with `app.request()`. */
export function createServerApp(o: ServerAppOptions): ServerApp {
  const now = o.now ?? Date.now;
  const store = o.store;
  const bus = o.bus ?? eventBus();
  const metrics = serverMetrics();
  const auth = authenticator(store, now);
  const governance = serverGovernance({ store, engine: o.engine, bus, now, approvalTtlMs: o.approvalTtlMs ?? 86_400_000 });
  const limit = o.bootstrapLimit ?? { capacity: 10, refillMs: 6_000 };
  const bootstrapBuckets = rateLimiter(limit);
  const bootstrapGlobal = rateLimiter({ capacity: limit.capacity * 10, refillMs: Math.max(1, Math.floor(limit.refillMs / 10)) });
  const breakerStates = new Map<string, { state: 'open' | 'closed'; at: number }>();
  const publicUrl = (): string => (typeof o.publicUrl === 'function' ? o.publicUrl() : o.publicUrl ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const app = new Hono();
  const principalOf = (c: Context) => auth.principal(c);

  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    metrics.request(c.res.status);
    o.log?.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - t0) * 10) / 10 }, 'request');
  });
  const maxBody = o.bodyLimitBytes ?? 8 * 1024 * 1024;
  const tooLarge = (c: Context, headers: Record<string, string> = {}) => c.json(new ApiError('payload_too_large', `the body is larger than ${maxBody} bytes`).toJSON(), 413, headers);
  // A chunked body over the limit is still read and dropped, within bounds (readChunkedBody.ts), so
  // the 413 reaches the client and the connection stays usable; past the bounds the 413 says the
  // connection closes, or a keep-alive client would send its next call down a dead socket. A declared
  // length needs neither: Node reads and drops the rest of the body and keeps the connection.
  // (Hono's own limit is for requests that do not come from Node's server: app.request() in tests.)
  const streamedLimit = bodyLimit({ maxSize: maxBody, onError: (c) => tooLarge(c, { connection: 'close' }) });
  app.use('*', async (c, next) => {
    // A declared length is exact (Node's parser reads that many bytes and no more), so it decides
    // alone; reading the body here to count it would build a web Request for every call, which
    // costs more than the rest of a decision's HTTP handling. Only chunked bodies are counted.
    // (Requests not from Node's HTTP server, such as app.request() in tests, go to Hono's own check.)
    const fromNode = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
    const length = c.req.header('content-length');
    if (fromNode && c.req.header('transfer-encoding') === undefined) {
      if (length === undefined) return next();
      const n = Number(length);
      if (!Number.isSafeInteger(n) || n < 0) throw new ApiError('bad_request', 'invalid Content-Length', 'content-length');
      return n > maxBody ? tooLarge(c) : next();
    }
    if (!fromNode) return streamedLimit(c, next);
    const got = await readChunkedBody((c.env as { incoming: IncomingMessage }).incoming, {
      maxBytes: maxBody, drainBytes: o.bodyDrain?.bytes ?? 4 * maxBody, drainMs: o.bodyDrain?.ms ?? 5_000,
    });
    if (got.kind === 'cut_off') throw new ApiError('bad_request', 'the request body was cut off');
    if (got.kind === 'too_large') return tooLarge(c, got.drained ? {} : { connection: 'close' });
    const raw = c.req.raw;
    c.req.raw = new Request(raw.url, { method: raw.method, headers: raw.headers, body: got.body });
    return next();
  });

  app.onError((err, c) => {
    if (isApiError(err)) return c.json(err.toJSON(), err.status);
    if (isVaibotError(err, 'not_found')) return c.json(new ApiError('not_found', err.message).toJSON(), 404);
    if (isVaibotError(err, 'store_failed') || isVaibotError(err, 'lock_timeout')) {
      o.log?.error({ err: err.message }, 'database error');
      return c.json(new ApiError('unavailable', 'the database is unavailable; retry later').toJSON(), 503);
    }
    o.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'internal error');
    return c.json(new ApiError('internal', 'internal error').toJSON(), 500);
  });
  app.notFound((c) => c.json(new ApiError('not_found', `no route ${c.req.method} ${c.req.path}`).toJSON(), 404));

  // --- public -------------------------------------------------------------------------------
  app.get('/v2/health', async (c) => {
    const db = await store.ping();
    const body = { ok: db.ok, status: db.ok ? 'ok' : 'degraded', version: o.version ?? 'dev', db: db.ok ? { ok: true, dialect: store.dialect, latency_ms: Math.round(db.latencyMs * 100) / 100 } : { ok: false, dialect: store.dialect, error: db.error } };
    return c.json(body, db.ok ? 200 : 503);
  });
  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  app.post('/v2/bootstrap', async (c) => {
    const at = now();
    if (!bootstrapBuckets.take(clientAddress(c), at) || !bootstrapGlobal.take('*', at)) {
      throw new ApiError('rate_limited', 'too many bootstrap requests; wait a minute and retry');
    }
    const body = await jsonBody(c, bootstrapRequestSchema);
    const fingerprintHash = sha256OfCanonical({ fingerprint: body.fingerprint });
    const accountId = `acct_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const key = newSecret(KEY_PREFIX.agent);
    const created = await store.createAccount(
      { id: accountId, label: body.agent ?? 'agent', fingerprintHash, at },
      { keyHash: hashSecret(key), kind: 'agent', hint: secretHint(key), label: `${body.agent ?? 'agent'} key`, installId: body.install_id ?? null },
    );
    if (created === 'exists') {
      return c.json({
        ok: true, user_id: '', bootstrapped: false, api_key_hint: null, claimed: false,
        message: 'VAIBot: account exists but API key not found locally.\nCheck ~/.vaibot/credentials.json or set VAIBOT_API_KEY manually.',
      });
    }
    o.log?.info({ account: accountId }, 'account bootstrapped');
    return c.json({
      ok: true, user_id: accountId, bootstrapped: true, api_key: key, api_key_hint: secretHint(key), claimed: false,
      message: `Account created. An operator approves blocked actions at ${publicUrl()}/approvals`, wallet_address: null, wallet_network: null,
    }, 201);
  });

  // --- agents -------------------------------------------------------------------------------
  app.post('/v2/governance/decide', async (c) => {
    const t0 = performance.now();
    const p = requireAgent(await principalOf(c));
    const body = await jsonBody(c, decideRequestSchema);
    const out = await governance.decide({ accountId: p.accountId, installId: p.installId }, body);
    metrics.decision(out.decision.decision, (performance.now() - t0) / 1000);
    return c.json(out);
  });
  app.post('/v2/governance/finalize/:run_id', async (c) => {
    const p = requireAgent(await principalOf(c));
    const runId = validate(decideRunId, c.req.param('run_id'));
    const body = await jsonBody(c, finalizeRequestSchema);
    const out = await governance.finalize({ accountId: p.accountId, installId: p.installId }, runId, body);
    return c.json({ ok: true, receipt_id: out.receiptId, duplicate: out.duplicate });
  });
  app.post('/v2/receipts/batch', async (c) => {
    const p = requireAgent(await principalOf(c));
    const body = await jsonBody(c, receiptBatchSchema);
    const out = await governance.upload({ accountId: p.accountId, installId: p.installId }, body.receipts as Receipt[]);
    return c.json({ ok: true, ...out });
  });
  app.post('/v2/telemetry/breaker', async (c) => {
    const p = requireAgent(await principalOf(c));
    const body = await jsonBody(c, breakerReportSchema);
    metrics.breakerReport(body.event);
    breakerStates.set(p.accountId, { state: body.event === 'tripped' ? 'open' : 'closed', at: body.at });
    return c.json({ ok: true });
  });

  // --- readers ------------------------------------------------------------------------------
  app.get('/v2/accounts/me', async (c) => {
    const p = requireAny(await principalOf(c));
    if (p.kind === 'agent') {
      const a = await store.account(p.accountId);
      if (!a) throw new ApiError('not_found', 'account not found');
      return c.json({ ok: true, user_id: a.id, kind: 'agent', key_hint: p.hint, account: { id: a.id, label: a.label, created_at: new Date(a.createdAt).toISOString(), receipt_count: a.receiptCount } });
    }
    return c.json({ ok: true, user_id: p.id, kind: 'approver', name: p.name, accounts: p.accountIds ?? '*' });
  });
  app.get('/v2/policy', async (c) => {
    requireAny(await principalOf(c));
    return c.json({ ok: true, policy: o.policy ? o.policy() : { source: 'server', dangerous: 'deny', escalation_level: 'high', escalation: 'approval_required' } });
  });
  app.get('/v2/receipts', async (c) => {
    const p = requireAny(await principalOf(c));
    const q = validate(receiptsQuerySchema, c.req.query());
    let accounts = readableAccounts(p);
    if (q.account_id !== undefined) {
      if (accounts !== null && !accounts.includes(q.account_id)) throw new ApiError('forbidden', 'not your account', 'account_id');
      accounts = [q.account_id];
    }
    const limitN = q.limit ?? 50;
    const rows = await store.receipts({
      accountIds: accounts, limit: limitN,
      ...(q.cursor !== undefined ? { beforeGid: q.cursor } : {}),
      ...(q.decision ? { decision: q.decision } : {}),
      ...(q.risk_level ? { riskLevel: fromWireRisk(q.risk_level) } : {}),
      ...(q.approval_status ? { approvalStatus: q.approval_status } : {}),
      ...(q.tool ? { tool: q.tool } : {}),
      ...(q.content_hash ? { contentHash: q.content_hash } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
    });
    const last = rows[rows.length - 1];
    return c.json({ ok: true, receipts: rows.map(wireReceipt), next_cursor: rows.length === limitN && last ? last.gid : null });
  });
  app.get('/v2/receipts/stream', async (c) => {
    const p = requireAny(await principalOf(c));
    const accounts = readableAccounts(p);
    return streamSSE(c, async (stream) => {
      const queue: ServerEvent[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = bus.subscribe((e) => {
        if (accounts !== null && !accounts.includes(e.accountId)) return;
        if (queue.length < 1000) queue.push(e);
        wake?.();
      });
      if (!unsubscribe) {
        await stream.writeSSE({ event: 'error', data: JSON.stringify({ message: 'too many subscribers' }) });
        return;
      }
      let open = true;
      stream.onAbort(() => { open = false; wake?.(); });
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ at: now() }) });
        while (open) {
          while (queue.length && open) {
            const e = queue.shift() as ServerEvent;
            await stream.writeSSE({ event: e.type, data: JSON.stringify(e), id: randomUUID() });
          }
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 15_000);
            wake = () => { clearTimeout(t); resolve(); };
          });
          wake = null;
          if (open && queue.length === 0) await stream.writeSSE({ event: 'ping', data: '{}' });
        }
      } finally {
        unsubscribe();
      }
    });
  });
  app.get('/v2/receipts/:id/events', async (c) => {
    const p = requireAny(await principalOf(c));
    const s = await store.receipt(readableAccounts(p), c.req.param('id'));
    if (!s) throw new ApiError('not_found', 'no such receipt', 'id');
    const related = await store.receipts({ accountIds: [s.accountId], limit: 500, contentHash: s.receipt.content_hash });
    const approvals = await store.approvalEvents(s.accountId, s.receipt.content_hash);
    const events = [
      ...related.map((r) => ({ type: `receipt.${r.receipt.kind}`, at: r.receipt.at, receipt_id: r.receipt.id, seq: r.seq, decision: r.receipt.decision, basis: r.receipt.basis, approval_state: r.receipt.approval_state, outcome: r.receipt.outcome ?? null })),
      ...approvals.map((e) => ({ type: `approval.${e.type}`, at: new Date(e.at).toISOString(), actor: e.actor, state: e.stateAfter })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return c.json({ ok: true, receipt_id: s.receipt.id, content_hash: s.receipt.content_hash, account_id: s.accountId, events });
  });

  // --- the verifiable log ---------------------------------------------------------------------
  const logOf = (): ServerLog => {
    if (!o.serverLog) throw new ApiError('unavailable', 'this server keeps no verifiable log');
    return o.serverLog;
  };
  app.get('/v2/log/checkpoint', async (c) => {
    const p = requireAny(await principalOf(c));
    const readable = readableAccounts(p);
    const wanted = c.req.query('account_id') ?? (p.kind === 'agent' ? p.accountId : undefined);
    if (wanted === undefined) throw new ApiError('bad_request', 'name the account with ?account_id=', 'account_id');
    if (readable !== null && !readable.includes(wanted)) throw new ApiError('forbidden', 'not your account', 'account_id');
    if (!(await store.account(wanted))) throw new ApiError('not_found', 'no such account', 'account_id');
    const log = logOf();
    const cp = await log.latestCheckpoint(wanted);
    return c.json({
      ok: true, account_id: wanted, verifier_key: log.verifierKey(wanted),
      checkpoint: cp ? {
        tree_size: cp.treeSize, note: cp.note, issued_at: cp.issuedAt,
        anchors: cp.anchors.map((a) => ({ chain_id: a.chainId, tx_hash: a.txHash, block_number: a.blockNumber, sender: a.sender, anchored_at: a.anchoredAt })),
      } : null,
    });
  });
  app.get('/v2/receipts/:id/bundle', async (c) => {
    const p = requireAny(await principalOf(c));
    const id = c.req.param('id');
    const s = await store.receipt(readableAccounts(p), id)
      ?? (contentHashSchema.safeParse(id).success ? (await store.receipts({ accountIds: readableAccounts(p), limit: 1, contentHash: id }))[0] ?? null : null);
    if (!s) throw new ApiError('not_found', 'no such receipt', 'id');
    try {
      const { text } = await logOf().bundle(s.accountId, s.receipt.id);
      return c.body(text, 200, { 'content-type': 'application/json' });
    } catch (err) {
      if (isReceiptError(err)) {
        o.log?.error({ account: s.accountId, err: err.message }, 'bundle export failed');
        throw new ApiError('unavailable', `cannot export this receipt: ${err.message}`);
      }
      throw err;
    }
  });

  // --- approvers ----------------------------------------------------------------------------
  const act = (kind: 'approve' | 'deny') => async (c: Context) => {
    const p = requireApprover(c, await principalOf(c));
    const hash = validate(contentHashSchema, c.req.param('content_hash'));
    const by = { id: p.name, via: p.via === 'dashboard' ? 'dashboard' : 'api' } as const;
    if (kind === 'approve') {
      const body = await jsonBody(c, approveRequestSchema, true);
      const scope: ApprovalScope = body.scope === undefined || body.scope === 'once' ? { kind: 'once' }
        : body.scope === 'session' ? { kind: 'session', sessionId: body.session_id ?? '' }
        : { kind: 'until', until: body.scope.until };
      if (scope.kind === 'session' && !body.session_id) throw new ApiError('bad_request', 'scope session needs session_id', 'session_id');
      const r = await governance.approve(p.accountIds, hash, by, scope, body.account_id);
      return c.json({ ok: true, approval_status: r.approvalStatus, changed: r.changed, account_id: r.accountId, ...(r.why ? { message: r.why } : {}) });
    }
    const body = await jsonBody(c, denyRequestSchema, true);
    const r = await governance.deny(p.accountIds, hash, by, body.reason, body.account_id);
    return c.json({ ok: true, approval_status: r.approvalStatus, changed: r.changed, account_id: r.accountId, ...(r.why ? { message: r.why } : {}) });
  };
  app.patch('/v2/receipts/:content_hash/approve', act('approve'));
  app.patch('/v2/receipts/:content_hash/deny', act('deny'));

  app.route('/', dashboardRoutes({ store, governance, auth, now, secureCookies: o.secureCookies ?? false, breakerStates, ...(o.log ? { log: o.log } : {}) }));

  return { app, bus, metrics, governance, breakerStates };
}

const decideRunId = z.string().uuid('must be a run id returned by decide');
