import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ensureOperator } from '../../src/server/operatorSetup.js';
import { bootstrap, decideBody, json, testApp } from './serverHelpers.js';

type T = Awaited<ReturnType<typeof testApp>>;
let s: T;
beforeEach(async () => { s = await testApp({ publicUrl: 'http://127.0.0.1:8787' }); });
afterEach(async () => { await s.close(); });

const form = (data: Record<string, string>, cookie?: string, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}), ...extra },
  body: new URLSearchParams(data).toString(),
});
const page = async (path: string, cookie: string) => s.app.request(path, { headers: { cookie } });
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] as string;
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] as string;

async function signInWithLink(): Promise<string> {
  const op = await ensureOperator(s.store, 'http://127.0.0.1:8787', Date.now());
  const token = (op?.loginUrl ?? '').split('/login/')[1] as string;
  expect((await s.app.request(`/login/${token}`)).status).toBe(200); // GET only shows a button
  const res = await s.app.request('/login/link', form({ token }));
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/set-password');
  expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
  const again = await s.app.request('/login/link', form({ token }));
  expect(again.status).toBe(401); // one-time
  return cookieOf(res);
}

describe('dashboard', () => {
  test('pages need a signed-in approver', async () => {
    const r = await s.app.request('/approvals');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toContain('/login');
  });

  test('login link, password, then approve from the decision page; the agent retry is allowed', async () => {
    const cookie = await signInWithLink();
    const setPw = await (await page('/set-password', cookie)).text();
    expect((await s.app.request('/set-password', form({ _csrf: csrfOf(setPw), password: 'correct horse battery' }, cookie))).status).toBe(303);

    const { key } = await bootstrap(s.app);
    const d = (await (await s.app.request('/v2/governance/decide', json('POST', decideBody('curl https://example.com'), key))).json()) as any;
    const list = await (await page('/approvals', cookie)).text();
    expect(list).toContain(d.content_hash);
    expect(list).toContain('EventSource');

    const path = `/verify/decision/${encodeURIComponent(d.content_hash)}`;
    const html = await (await page(path, cookie)).text();
    expect(html).toContain('curl https://example.com');
    expect(html).toContain('outbound network call');
    expect(html).toContain('blocked_until_approved');
    expect(html).toContain('leaf hash matches');
    expect(html).toContain('data-current="true"');
    const csrf = csrfOf(html);
    const account = /name="account_id" value="([^"]+)"/.exec(html)?.[1] as string;

    expect((await s.app.request(`${path}/approve`, form({ account_id: account }, cookie))).status).toBe(403); // no CSRF token
    expect((await s.app.request(`${path}/approve`, form({ _csrf: csrf, account_id: account }, cookie, { origin: 'https://evil.example' }))).status).toBe(403);
    // an opaque origin (sandboxed frame, data: or file: page) is refused too, even with the token
    expect((await s.app.request(`${path}/approve`, form({ _csrf: csrf, account_id: account }, cookie, { origin: 'null' }))).status).toBe(403);
    const ok = await s.app.request(`${path}/approve`, form({ _csrf: csrf, account_id: account, scope: 'once' }, cookie));
    expect(ok.status).toBe(303);
    expect(await (await page(path, cookie)).text()).toContain('>approved<');

    const retry = (await (await s.app.request('/v2/governance/decide', json('POST', decideBody('curl https://example.com'), key))).json()) as any;
    expect(retry.decision.decision).toBe('allow');

    // The password works for a later sign-in; a wrong one does not.
    expect((await s.app.request('/login', form({ name: 'operator', password: 'wrong wrong wrong' }))).headers.get('location')).toContain('failed');
    const pw = await s.app.request('/login', form({ name: 'operator', password: 'correct horse battery' }));
    expect(pw.status).toBe(303);
    expect(cookieOf(pw)).toMatch(/^vaibot_session=/);
  });

  test('the API refuses a session cookie without the CSRF header, or with it from another site', async () => {
    const cookie = await signInWithLink();
    const { key } = await bootstrap(s.app);
    const d = (await (await s.app.request('/v2/governance/decide', json('POST', decideBody('curl https://example.com'), key))).json()) as any;
    const r = await s.app.request(`/v2/receipts/${d.content_hash}/approve`, { method: 'PATCH', headers: { cookie } });
    expect(r.status).toBe(403);
    const csrf = csrfOf(await (await page('/approvals', cookie)).text());
    const api = (origin?: string) => s.app.request(`http://127.0.0.1:8787/v2/receipts/${d.content_hash}/deny`, {
      method: 'PATCH', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', host: '127.0.0.1:8787', ...(origin ? { origin } : {}) }, body: '{"reason":"no"}',
    });
    expect((await api('https://evil.example')).status).toBe(403);
    expect((await api('null')).status).toBe(403);
    const same = await api('http://127.0.0.1:8787');
    expect(same.status).toBe(200);
    expect(((await same.json()) as any).approval_status).toBe('denied');
  });

  test('log out is a form with the CSRF token: without it the session stays', async () => {
    const cookie = await signInWithLink();
    const html = await (await page('/approvals', cookie)).text();
    expect(html).toMatch(/action="\/logout"><input type="hidden" name="_csrf" value="[^"]+"/);
    expect((await s.app.request('/logout', form({}, cookie))).status).toBe(403);
    expect((await page('/approvals', cookie)).status).toBe(200);
    const out = await s.app.request('/logout', form({ _csrf: csrfOf(html) }, cookie));
    expect(out.status).toBe(303);
    expect((await page('/approvals', cookie)).status).toBe(303); // the session is gone
  });

  test('deny from the page is final for the agent', async () => {
    const cookie = await signInWithLink();
    const { key } = await bootstrap(s.app);
    const d = (await (await s.app.request('/v2/governance/decide', json('POST', decideBody('curl https://evil.example'), key))).json()) as any;
    const path = `/verify/decision/${encodeURIComponent(d.content_hash)}`;
    const html = await (await page(path, cookie)).text();
    await s.app.request(`${path}/deny`, form({ _csrf: csrfOf(html), reason: 'exfiltration' }, cookie));
    const retry = (await (await s.app.request('/v2/governance/decide', json('POST', decideBody('curl https://evil.example'), key))).json()) as any;
    expect(retry.decision.decision).toBe('deny');
  });

  test('the statechart page draws both charts with the current state highlighted', async () => {
    const cookie = await signInWithLink();
    const { key } = await bootstrap(s.app);
    await s.app.request('/v2/telemetry/breaker', json('POST', { event: 'tripped', at: Date.now() }, key));
    const html = await (await page('/machines', cookie)).text();
    expect(html).toMatch(/<g data-state="open" data-current="true">/);
    expect(html).toContain('data-state="blocked_until_approved"');
  });

  test('the operator link is created only on the first run', async () => {
    expect(await ensureOperator(s.store, 'http://x', Date.now())).not.toBeNull();
    expect(await ensureOperator(s.store, 'http://x', Date.now())).toBeNull();
  });
});
