import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import { approvalMachine } from '../../../machines/approval.machine.js';
import { breakerMachine } from '../../../machines/breaker.machine.js';
import type { ApprovalScope } from '../../../machines/approval.types.js';
import type { ServerStore, ServerReceipt } from '../../serverStore/serverStore.js';
import { receiptLeafHash } from '../../store/sqliteStore.js';
import { contentHashSchema } from '../../remote/wire.js';
import { toWireRisk } from '../../remote/wire.js';
import { ApiError, isApiError } from '../apiError.js';
import { refuseCrossSite } from '../refuseCrossSite.js';
import { SESSION_COOKIE, readableAccounts, type Authenticator, type Principal } from '../auth.js';
import { rateLimiter } from '../rateLimiter.js';
import { hashSecret, hashPassword, verifyPassword } from '../secrets.js';
import type { ServerGovernance } from '../serverGovernance.js';
import { createApproverToken } from '../operatorSetup.js';
import { esc, html, page, raw, type Html } from './html.js';
import { statechartSvg } from './statechartSvg.js';

/** What the dashboard needs. */
export interface DashboardDeps {
  store: ServerStore;
  governance: ServerGovernance;
  auth: Authenticator;
  now: () => number;
  secureCookies: boolean;
  breakerStates: Map<string, { state: 'open' | 'closed'; at: number }>;
  log?: Logger;
}

type Approver = Extract<Principal, { kind: 'approver' }>;

const SESSION_MS = 12 * 60 * 60 * 1000;

function decodeHash(raw: string): string {
  let h = raw;
  try { h = decodeURIComponent(raw); } catch { /* keep raw */ }
  const r = contentHashSchema.safeParse(h);
  if (!r.success) throw new ApiError('bad_request', 'not a content hash (sha256: + 64 hex digits)', 'content_hash');
  return r.data;
}

function when(ms: number | string): string {
  const d = typeof ms === 'string' ? new Date(ms) : new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/**
 * Where to go after sign-in: a path on this server, else /approvals. A browser reads `//host`, `/\host`
 * and `/<tab>/host` (browsers drop tabs and newlines) as another site, so those are refused too.
 */
function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?![/\\])/.test(next) && !/[\\\u0000-\u001f\u007f]/.test(next) ? next : '/approvals';
}

function intentText(r: ServerReceipt['receipt']): string {
  const i = r.intent as { kind?: string; command?: string; patch?: string } | null;
  if (i && i.kind === 'shell' && typeof i.command === 'string') return i.command;
  if (i && i.kind === 'patch' && typeof i.patch === 'string') return i.patch;
  return JSON.stringify(i, null, 2);
}

/** The dashboard: login (link or password), pending approvals (live over SSE), decision pages, statecharts. */
export function dashboardRoutes(d: DashboardDeps): Hono {
  const app = new Hono();
  const loginLimiter = rateLimiter({ capacity: 10, refillMs: 6_000 });

  async function approverOf(c: Context): Promise<Approver | null> {
    try {
      const p = await d.auth.principal(c);
      return p && p.kind === 'approver' && p.via === 'dashboard' ? p : null;
    } catch {
      return null;
    }
  }

  async function form(c: Context): Promise<Record<string, string>> {
    const body = await c.req.parseBody();
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
    return out;
  }

  async function startSession(c: Context, approverId: string): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    await d.store.addSession(hashSecret(token), approverId, csrf, d.now() + SESSION_MS);
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: SESSION_MS / 1000, secure: d.secureCookies });
  }

  const needLogin = (c: Context) => c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);

  app.onError((err, c) => {
    if (isApiError(err)) return c.html(page('Error', html`<div class="card"><h2>${err.status}</h2><p>${err.message}</p></div>`), err.status);
    d.log?.error({ err: (err as Error).message }, 'dashboard error');
    return c.html(page('Error', html`<div class="card"><h2>500</h2><p>internal error</p></div>`), 500);
  });

  app.get('/', (c) => c.redirect('/approvals', 303));

  app.get('/login', (c) => {
    const bad = c.req.query('failed') !== undefined;
    return c.html(page('Sign in', html`<div class="card"><h2>Approver sign-in</h2>
      ${bad ? html`<p class="bad">Wrong name or password.</p>` : ''}
      <form method="post" action="/login"><p><label>Name<br><input type="text" name="name" autocomplete="username" required></label></p>
      <p><label>Password<br><input type="password" name="password" autocomplete="current-password" required></label></p>
      <input type="hidden" name="next" value="${c.req.query('next') ?? '/approvals'}"><button>Sign in</button></form>
      <p class="muted">First time? Use the one-time login link <code>vaibot serve</code> printed.</p></div>`));
  });
  app.post('/login', async (c) => {
    refuseCrossSite(c);
    if (!loginLimiter.take('login', d.now())) throw new ApiError('rate_limited', 'too many sign-in attempts; wait a minute');
    const f = await form(c);
    const a = f.name ? await d.store.approverByName(f.name) : null;
    if (!a || !a.passwordHash || !(await verifyPassword(f.password ?? '', a.passwordHash))) return c.redirect('/login?failed=1', 303);
    await startSession(c, a.id);
    return c.redirect(safeNext(f.next), 303);
  });
  // GET shows a button; only the POST uses the link, so link previews cannot burn it.
  app.get('/login/:token', (c) => c.html(page('Sign in', html`<div class="card"><h2>One-time sign-in</h2>
    <form method="post" action="/login/link"><input type="hidden" name="token" value="${c.req.param('token')}"><button>Sign in as approver</button></form></div>`)));
  app.post('/login/link', async (c) => {
    refuseCrossSite(c);
    const f = await form(c);
    const approverId = f.token ? await d.store.useLoginToken(hashSecret(f.token), d.now()) : null;
    if (!approverId) throw new ApiError('unauthorized', 'this login link is unknown, used or expired; ask the operator for a new one');
    await startSession(c, approverId);
    const a = await d.store.approver(approverId);
    return c.redirect(a?.passwordHash ? '/approvals' : '/set-password', 303);
  });
  app.post('/logout', async (c) => {
    refuseCrossSite(c);
    const p = await approverOf(c);
    // signing someone out is a state change too: only the session's own pages carry its token
    if (p && (await form(c))._csrf !== p.csrf) throw new ApiError('forbidden', 'missing or wrong CSRF token');
    if (p?.sessionHash) await d.store.deleteSession(p.sessionHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });
  app.get('/set-password', async (c) => {
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    return c.html(page('Set password', html`<div class="card"><h2>Set a password for ${p.name}</h2>
      <form method="post" action="/set-password"><input type="hidden" name="_csrf" value="${p.csrf}">
      <p><input type="password" name="password" minlength="10" autocomplete="new-password" required> (10 characters or more)</p><button>Save</button></form></div>`, p));
  });
  app.post('/set-password', async (c) => {
    refuseCrossSite(c);
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    const f = await form(c);
    if (f._csrf !== p.csrf) throw new ApiError('forbidden', 'missing or wrong CSRF token');
    if ((f.password ?? '').length < 10) throw new ApiError('bad_request', 'the password needs 10 characters or more', 'password');
    await d.store.setPassword(p.id, await hashPassword(f.password as string));
    return c.redirect('/approvals', 303);
  });

  app.get('/approvals', async (c) => {
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    const rows = await d.store.approvalsIn(readableAccounts(p), ['pending', 'blocked_until_approved'], 200);
    const at = d.now();
    const live = rows.filter((r) => r.approval.context.expiresAt > at);
    const body = html`<h2>Waiting for a human (${live.length})</h2>
      <table id="pending"><thead><tr><th>Requested</th><th>Tool</th><th>Why</th><th>Account</th><th>Action</th></tr></thead><tbody>
      ${live.map((r) => html`<tr data-hash="${r.contentHash}"><td>${when(r.approval.context.requestedAt)}</td><td><code>${r.approval.context.tool}</code></td>
        <td>${r.approval.context.reason}</td><td><code>${r.accountId}</code></td>
        <td><a href="/verify/decision/${encodeURIComponent(r.contentHash)}">review</a></td></tr>`)}
      </tbody></table>${live.length === 0 ? html`<p class="muted">Nothing is waiting.</p>` : ''}
      <p class="muted" id="live">Live: this list reloads when a new block or approval arrives.</p>
      <form method="post" action="/tokens"><input type="hidden" name="_csrf" value="${p.csrf}"><button>Create an approver token for the CLI</button></form>
      <script>(function(){var es=new EventSource('/v2/receipts/stream');var t=null;function re(){if(t)return;t=setTimeout(function(){location.reload()},300)}
      es.addEventListener('approval',re);es.addEventListener('receipt',function(ev){try{var d=JSON.parse(ev.data);if(d.decision!=='allow')re()}catch(e){}});})();</script>`;
    return c.html(page('Approvals', body, p));
  });

  app.post('/tokens', async (c) => {
    refuseCrossSite(c);
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    const f = await form(c);
    if (f._csrf !== p.csrf) throw new ApiError('forbidden', 'missing or wrong CSRF token');
    const account = p.accountIds === null ? null : (p.accountIds[0] ?? null);
    const token = await createApproverToken(d.store, `${p.name} (cli)`, account, d.now());
    return c.html(page('Approver token', html`<div class="card"><h2>Approver token (shown once)</h2><pre>${token}</pre>
      <p>Use it as <code>Authorization: Bearer …</code> with <code>PATCH /v2/receipts/&lt;hash&gt;/approve</code>. Keep it away from agents: it approves.</p></div>`, p));
  });

  app.get('/receipts', async (c) => {
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    const rows = await d.store.receipts({ accountIds: readableAccounts(p), limit: 100 });
    return c.html(page('Receipts', html`<h2>Recent receipts</h2><table><thead><tr><th>#</th><th>At</th><th>Kind</th><th>Tool</th><th>Decision</th><th>Risk</th><th>Hash</th></tr></thead><tbody>
      ${rows.map((r) => html`<tr><td>${r.seq}</td><td>${when(r.receipt.at)}</td><td>${r.receipt.kind}</td><td><code>${r.receipt.tool}</code></td><td>${r.receipt.decision ?? r.receipt.outcome?.status ?? ''}</td>
      <td>${r.receipt.risk ? html`<span class="badge risk-${r.receipt.risk.level}">${toWireRisk(r.receipt.risk.level)}</span>` : ''}</td>
      <td><a href="/verify/decision/${encodeURIComponent(r.receipt.content_hash)}"><code>${r.receipt.content_hash.slice(0, 19)}…</code></a></td></tr>`)}</tbody></table>`, p));
  });

  app.get('/verify/decision/:hash', async (c) => {
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    const hash = decodeHash(c.req.param('hash'));
    const accounts = readableAccounts(p);
    const approvals = await d.store.approvalsOf(accounts, hash);
    const receipts = await d.store.receipts({ accountIds: accounts, contentHash: hash, limit: 200 });
    if (approvals.length === 0 && receipts.length === 0) throw new ApiError('not_found', `nothing is known about ${hash}`);
    const accountIds = [...new Set([...approvals.map((a) => a.accountId), ...receipts.map((r) => r.accountId)])];
    const sections: Html[] = [];
    for (const acct of accountIds) {
      const appr = approvals.find((a) => a.accountId === acct)?.approval ?? null;
      const mine = receipts.filter((r) => r.accountId === acct);
      const decision = mine.find((r) => r.receipt.kind === 'decision') ?? mine[0];
      const events = await d.store.approvalEvents(acct, hash);
      const canAct = appr !== null && (appr.value === 'pending' || appr.value === 'blocked_until_approved');
      const history = [
        ...mine.map((r) => ({ at: r.receipt.at, what: `receipt #${r.seq} ${r.receipt.kind}: ${r.receipt.decision ?? r.receipt.outcome?.status ?? ''} (${r.receipt.basis})` })),
        ...events.map((e) => ({ at: new Date(e.at).toISOString(), what: `${e.type}${e.actor ? ` by ${e.actor}` : ''} → ${e.stateAfter}` })),
      ].sort((a, b) => a.at.localeCompare(b.at));
      const verified = mine.map((r) => ({ seq: r.seq, ok: receiptLeafHash(r.receipt) === r.leafHash }));
      const r = decision?.receipt;
      sections.push(html`<div class="card" data-account="${acct}">
        <p class="muted">Account <code>${acct}</code></p>
        ${r ? html`<p><strong>${r.tool}</strong> in <code>${r.cwd}</code></p><pre>${intentText(r)}</pre>
          <p>Risk: ${r.risk ? html`<span class="badge risk-${r.risk.level}">${toWireRisk(r.risk.level)}</span> ${r.risk.reason} ${r.risk.rule_ids.length ? html`<code>[${r.risk.rule_ids.join(', ')}]</code>` : ''}` : '—'}</p>
          <p>Decision: <strong>${r.shadow_decision ?? r.decision}</strong> (${r.basis}, ${r.mode} mode)</p>` : ''}
        <p>Approval status: <span class="badge st-${appr?.value ?? 'none'}" id="approval-status">${appr?.value ?? 'none'}</span>
          ${appr?.context.decidedBy ? html` by ${appr.context.decidedBy.id} (${appr.context.decidedBy.via})` : ''}
          ${appr && canAct ? html` · expires ${when(appr.context.expiresAt)}` : ''}</p>
        ${canAct ? html`<form class="inline" method="post" action="/verify/decision/${encodeURIComponent(hash)}/approve">
            <input type="hidden" name="_csrf" value="${p.csrf}"><input type="hidden" name="account_id" value="${acct}">
            <button class="approve" name="scope" value="once">Approve once</button></form>
          <form class="inline" method="post" action="/verify/decision/${encodeURIComponent(hash)}/deny">
            <input type="hidden" name="_csrf" value="${p.csrf}"><input type="hidden" name="account_id" value="${acct}">
            <input type="text" name="reason" placeholder="reason (optional)" maxlength="500"> <button class="deny">Deny</button></form>` : ''}
        <h3>History</h3><table><tbody>${history.map((h) => html`<tr><td>${when(h.at)}</td><td>${h.what}</td></tr>`)}</tbody></table>
        <h3>Receipt verification</h3><ul>${verified.map((v) => html`<li class="${v.ok ? 'ok' : 'bad'}">receipt #${v.seq}: ${v.ok ? 'leaf hash matches its body' : 'LEAF HASH MISMATCH: the stored body was altered'}</li>`)}</ul>
        ${appr ? raw(statechartSvg('approval', approvalMachine.config as never, appr.value)) : ''}
      </div>`);
    }
    return c.html(page('Decision', html`<h2>Decision <code style="font-size:14px">${hash}</code></h2>${sections}`, p));
  });

  const act = (kind: 'approve' | 'deny') => async (c: Context) => {
    refuseCrossSite(c);
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    const hash = decodeHash(c.req.param('hash') ?? '');
    const f = await form(c);
    if (f._csrf !== p.csrf) throw new ApiError('forbidden', 'missing or wrong CSRF token');
    const by = { id: p.name, via: 'dashboard' } as const;
    if (kind === 'approve') {
      const scope: ApprovalScope = { kind: 'once' };
      await d.governance.approve(p.accountIds, hash, by, scope, f.account_id || undefined);
    } else {
      await d.governance.deny(p.accountIds, hash, by, f.reason || undefined, f.account_id || undefined);
    }
    return c.redirect(`/verify/decision/${encodeURIComponent(hash)}`, 303);
  };
  app.post('/verify/decision/:hash/approve', act('approve'));
  app.post('/verify/decision/:hash/deny', act('deny'));

  app.get('/machines', async (c) => {
    const p = await approverOf(c);
    if (!p) return needLogin(c);
    const accounts = readableAccounts(p);
    let breaker: { state: string; at: number } | null = null;
    for (const [acct, s] of d.breakerStates) if ((accounts === null || accounts.includes(acct)) && (!breaker || s.at > breaker.at)) breaker = s;
    const hashQ = c.req.query('hash');
    let approvalState: string | null = null;
    if (hashQ) approvalState = (await d.store.approvalsOf(accounts, decodeHash(hashQ)))[0]?.approval.value ?? null;
    return c.html(page('Statecharts', html`<h2>Statecharts</h2>
      <div class="card"><p>Breaker (as last reported by your agents: <strong>${breaker?.state ?? 'closed'}</strong>${breaker ? ` at ${when(breaker.at)}` : ''})</p>${raw(statechartSvg('breaker', breakerMachine.config as never, breaker?.state ?? 'closed'))}</div>
      <div class="card"><p>Approval ${hashQ ? html`of <code>${hashQ}</code>: <strong>${approvalState ?? 'none'}</strong>` : '(add ?hash=… to highlight one)'}</p>${raw(statechartSvg('approval', approvalMachine.config as never, approvalState))}</div>`, p));
  });

  return app;
}

