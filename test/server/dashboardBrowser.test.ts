import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadSettings } from '../../src/config/settings.js';
import { defaultEngine } from '../../src/governance/defaultEngine.js';
import { contentHash } from '../../src/intent/contentHash.js';
import { intentOf } from '../../src/intent/intentOf.js';
import { loginLink } from '../../src/server/operatorSetup.js';
import { hashPassword } from '../../src/server/secrets.js';
import { runServer, type GovernanceServer } from '../../src/server/runServer.js';
import { runHookProcess } from '../helpers/builtHook.js';
import { preToolUseEffect, type PreToolUseEffect } from '../helpers/codexOutput.js';
import { bashInput } from '../helpers/hookHarness.js';
import { tempDir } from './serverHelpers.js';

// The approval loop as a person lives it, end to end: a real `vaibot serve`-style server on
// loopback, the built hook as a real process in remote enforce mode, and Debian's Chromium driven
// through playwright-core. Nothing is faked between the browser, the server and the hook.

const CHROMIUM = process.env.VAIBOT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
/** Every browser step in this file gives up after this long, with its own message. */
const STEP_MS = 10_000;
/** A whole test's bound: its steps are bounded one by one; this is room for a loaded CI machine. */
const TEST_MS = 60_000;

let srv: GovernanceServer | undefined;
let serverDir: { dir: string; remove: () => void } | undefined;
let firstLoginLink: string | null = null;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: this test drives a real browser. Install it with \`apt-get install -y --no-install-recommends chromium\` (or point VAIBOT_TEST_CHROMIUM at a Chromium binary).`);
  }
  serverDir = tempDir('vaibot-browser-');
  // The engine `vaibot serve` uses, with the built-in policy (no policy file from this repo or $HOME).
  const engineEnv = { HOME: serverDir.dir, VAIBOT_HOME: serverDir.dir, CODEX_HOME: join(serverDir.dir, '.codex') };
  srv = await runServer({
    port: 0, host: '127.0.0.1', home: serverDir.dir, db: join(serverDir.dir, 'server.db'),
    engine: defaultEngine(loadSettings(engineEnv), engineEnv),
    onLoginLink: (link) => { firstLoginLink = link; },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await srv?.close();
  serverDir?.remove();
});

/** The running server (started in beforeAll). */
function server(): GovernanceServer {
  if (!srv) throw new Error('the governance server did not start');
  return srv;
}

/** A fresh browser context (own cookies) whose pages give up on any step after {@link STEP_MS}. */
async function newContext(): Promise<BrowserContext> {
  if (!browser) throw new Error('Chromium did not start');
  const context = await browser.newContext();
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  return context;
}

/** An agent's machine: its own HOME and VAIBOT_HOME (removed by `remove`), the hook pointed at the server. */
interface Agent {
  env: NodeJS.ProcessEnv;
  /** The directory the agent works in (the tool call's cwd). */
  cwd: string;
  remove: () => void;
}

/** A fresh agent in remote enforce mode; no daemon, so the hook leaves no process behind. */
function newAgent(): Agent {
  const home = tempDir('vaibot-browser-agent-');
  const cwd = join(home.dir, 'work');
  mkdirSync(cwd);
  const inherited: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VAIBOT_') && !k.startsWith('CODEX_')) inherited[k] = v;
  const env = {
    ...inherited, HOME: home.dir, VAIBOT_HOME: join(home.dir, '.vaibot'), CODEX_HOME: join(home.dir, '.codex'),
    // VAIBOT_DASHBOARD_URL is the base of the approval link in block messages; it does not follow
    // VAIBOT_API_URL on its own (default http://127.0.0.1:8787), so a deployment sets both.
    VAIBOT_API_URL: server().url, VAIBOT_DASHBOARD_URL: server().url,
    VAIBOT_MODE: 'enforce', VAIBOT_DAEMON: '0', VAIBOT_TIMEOUT_MS: '5000',
  };
  return { env, cwd, remove: home.remove };
}

/**
 * The agent asks to run `command` (PreToolUse through the built hook) and Codex's reading of the
 * answer must be `expected`; returns that reading. A mismatch shows the hook's stdout and stderr.
 */
async function agentRuns(agent: Agent, command: string, expected: PreToolUseEffect['kind']): Promise<PreToolUseEffect> {
  const r = await runHookProcess('PreToolUse', JSON.stringify(bashInput(command, { cwd: agent.cwd })), agent.env, { timeoutMs: 30_000 });
  const effect = preToolUseEffect(r.stdout, r.code ?? -1);
  expect(effect.kind, `hook answered ${JSON.stringify(effect)}\nstderr: ${r.stderr}`).toBe(expected);
  return effect;
}

/** The content hash the server keys an agent's shell call by (tool, command, cwd). */
function hashOf(agent: Agent, command: string): string {
  return contentHash(intentOf('Bash', { command }, agent.cwd));
}

/** Sign in through a one-time login link page (GET shows a button; the click spends the link). */
async function signInWithLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in as approver' }).click();
  await page.waitForURL((u) => u.pathname === '/set-password' || u.pathname === '/approvals');
}

/**
 * Have every EventSource the context's pages open note the server's `ready` event (sent once the
 * stream is subscribed) in `window.__vaibotStreamReady`, so a test can wait until a page listens.
 * It only observes: the page's own listeners and behaviour are unchanged.
 */
async function noteStreamReady(context: BrowserContext): Promise<void> {
  await context.addInitScript({
    content: `(() => {
      const Native = window.EventSource;
      window.__vaibotStreamReady = false;
      window.EventSource = class extends Native {
        constructor(url, init) {
          super(url, init);
          this.addEventListener('ready', () => { window.__vaibotStreamReady = true; });
        }
      };
    })();`,
  });
}

/** Wait until the page's live event stream is subscribed on the server (see {@link noteStreamReady}). */
async function streamReady(page: Page): Promise<void> {
  await page.waitForFunction('window.__vaibotStreamReady === true', undefined, { timeout: STEP_MS });
}

describe('the dashboard in a real browser', () => {
  test('an operator signs in, sees a held call arrive live, approves it, and the agent retry is allowed', async () => {
    const url = server().url;
    const agent = newAgent();
    const context = await newContext();
    try {
      await noteStreamReady(context);
      const page = await context.newPage();

      // First run: the one-time link, then a password, then sign out and back in with it.
      expect(firstLoginLink).toMatch(new RegExp(`^${url}/login/[A-Za-z0-9_-]+$`));
      await signInWithLink(page, firstLoginLink as string);
      expect(new URL(page.url()).pathname).toBe('/set-password');
      await page.locator('input[name="password"]').fill(PASSWORD);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(`${url}/approvals`);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL((u) => u.pathname === '/login');
      await page.getByLabel('Name').fill('operator');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${url}/approvals`);
      expect(await page.locator('header .who').textContent()).toContain('operator');

      // The approvals page is open, empty, and listening before the agent does anything.
      await streamReady(page);
      expect(await page.locator('#pending tbody tr').count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain('Nothing is waiting.');

      // The agent's high-risk call is held for a human; the message says where to approve it.
      const command = 'curl https://example.com/x';
      const hash = hashOf(agent, command);
      const decisionUrl = `${url}/verify/decision/${encodeURIComponent(hash)}`;
      const first = await agentRuns(agent, command, 'deny');
      const reason = first.kind === 'deny' ? first.reason : '';
      expect(reason).toContain('needs a human approval');
      expect(reason).toContain(`content_hash: ${hash}`);
      expect(reason).toContain(decisionUrl);

      // It appears on the open page by itself: the test does not navigate, the page reloads on the server's event.
      const row = page.locator(`#pending tbody tr[data-hash="${hash}"]`);
      await row.waitFor({ state: 'visible' });
      expect(await row.textContent()).toContain('Bash');

      // Review it and approve it once.
      await row.getByRole('link', { name: 'review' }).click();
      await page.waitForURL(decisionUrl);
      expect(await page.locator('main pre').first().textContent()).toContain(command);
      expect(await page.locator('#approval-status').textContent()).toBe('blocked_until_approved');
      await page.getByRole('button', { name: 'Approve once' }).click();
      await page.locator('#approval-status', { hasText: /^approved$/ }).waitFor();
      expect(page.url()).toBe(decisionUrl);
      expect(await page.locator('main').textContent()).toContain('by operator (dashboard)');
      expect(await page.getByRole('button', { name: 'Approve once' }).count()).toBe(0);

      // The agent retries the exact same call: now it runs.
      await agentRuns(agent, command, 'allow');

      await page.goto(`${url}/approvals`);
      expect(await page.locator(`#pending tbody tr[data-hash="${hash}"]`).count()).toBe(0);
    } finally {
      await context.close();
      agent.remove();
    }
  }, TEST_MS);

  test('a form posted from another origin is refused even with the right CSRF token, and the call stays held', async () => {
    // The other site is on loopback too (same site, other origin), so the browser does send the
    // SameSite=Strict session cookie: only the server's Origin check stands between it and an approval.
    const url = server().url;
    const agent = newAgent();
    let attacker: Server | undefined;
    const context = await newContext();
    try {
      const command = 'curl https://example.com/csrf-probe';
      await agentRuns(agent, command, 'deny');
      const decisionUrl = `${url}/verify/decision/${encodeURIComponent(hashOf(agent, command))}`;

      const operator = await server().store.approverByName('operator');
      if (!operator) throw new Error('the first run did not create the operator');
      const page = await context.newPage();
      await signInWithLink(page, await loginLink(server().store, operator.id, url, Date.now()));
      await page.goto(decisionUrl);
      expect(await page.locator('#approval-status').textContent()).toBe('blocked_until_approved');
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const account = await page.locator('input[name="account_id"]').first().inputValue();

      // Worst case: the attacker's page carries the approver's real CSRF token.
      const evilPage = `<!doctype html><html><body><form method="post" action="${decisionUrl}/approve">
        <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="account_id" value="${account}">
        <button name="scope" value="once">Win a prize</button></form></body></html>`;
      const evil = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(evilPage); });
      attacker = evil;
      await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', () => resolve()));
      const attackerOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;

      await page.goto(`${attackerOrigin}/`);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${decisionUrl}/approve`),
        page.getByRole('button', { name: 'Win a prize' }).click(),
      ]);
      expect(await answer.request().headerValue('origin')).toBe(attackerOrigin);
      expect(await answer.request().headerValue('cookie')).toMatch(/vaibot_session=/);
      expect(answer.status()).toBe(403);
      expect(await answer.text()).toContain('cross-site requests are refused');

      await page.goto(decisionUrl);
      expect(await page.locator('#approval-status').textContent()).toBe('blocked_until_approved');
      await agentRuns(agent, command, 'deny');
    } finally {
      await context.close();
      await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
      agent.remove();
    }
  }, TEST_MS);

  test('signing in with a next address that a browser reads as another site lands on the approvals page instead', async () => {
    // Port 9 on loopback: were the redirect followed, the browser would leave the dashboard (and fail).
    const url = server().url;
    const name = 'reviewer';
    await server().store.createApprover({ id: randomUUID(), name, accountId: null, passwordHash: await hashPassword(PASSWORD) }, Date.now());
    for (const next of ['//127.0.0.1:9/', '/\\127.0.0.1:9/', '/\t/127.0.0.1:9/']) {
      const context = await newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${url}/login?next=${encodeURIComponent(next)}`);
        await page.getByLabel('Name').fill(name);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((u) => u.pathname !== '/login');
        expect({ next, landed: page.url() }).toEqual({ next, landed: `${url}/approvals` });
      } finally {
        await context.close();
      }
    }
  }, TEST_MS);
});
