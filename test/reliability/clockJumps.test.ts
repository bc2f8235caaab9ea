import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashInput } from '../helpers/hookHarness.js';
import { preToolUseEffect, type PreToolUseEffect } from '../helpers/codexOutput.js';
import { HOOK, runHookProcess, type HookProcessResult } from '../helpers/builtHook.js';
import { loadApproval, type PersistedApproval } from '../../src/state/approvalStore.js';
import { loadBreaker, type PersistedBreaker } from '../../src/state/breakerStore.js';
import { databaseFile } from '../../src/state/paths.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';

// Clock jumps seen by whole hook processes. libfaketime (LD_PRELOAD) moves the clock of the hook
// process only, and VAIBOT_DAEMON=0 makes that process the one deciding, so the statecharts see
// the jumped time exactly as they would on a machine whose clock jumped. What is asserted is what
// machines/breaker.machine.ts and machines/approval.machine.ts document.

/** Where Debian's `faketime` package puts the library. */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The breaker's first cooldown (VAIBOT_BREAKER_COOLDOWN_MS); a failed trial doubles it. */
const COOLDOWN_MS = 1_000;
/** How long an unanswered approval request waits for a human (VAIBOT_APPROVAL_TTL_MS). */
const TTL_MS = HOUR;
/** Slack added to a real-time wait, so the hook's clock is surely past the point waited for. */
const SLACK_MS = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Throws a clear error when libfaketime is not installed (the test must fail, not skip). */
function requireLibfaketime(): string {
  if (!existsSync(LIBFAKETIME)) {
    throw new Error(`libfaketime is missing (${LIBFAKETIME}): install it with \`apt-get install -y --no-install-recommends faketime\``);
  }
  return LIBFAKETIME;
}

/** `env` with the clock of the process it starts moved by libfaketime (`spec`: '-2d', '+3h', '@2026-01-01 00:00:00'). */
function withFakeTime(env: NodeJS.ProcessEnv, spec: string): NodeJS.ProcessEnv {
  // a missing library would only make the loader print a warning and run on the real clock
  const lib = requireLibfaketime();
  return { ...env, LD_PRELOAD: env.LD_PRELOAD ? `${lib}:${env.LD_PRELOAD}` : lib, FAKETIME: spec };
}

/** Run a Node script as a child process (bounded) and return its exit code and output. */
function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<HookProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node ${args.join(' ')} did not finish in time`)); }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Date.now() as a child Node process sees it under FAKETIME=`spec`. */
async function childNow(spec: string): Promise<number> {
  const r = await runNode(['-e', 'process.stdout.write(String(Date.now()))'], withFakeTime(process.env, spec));
  if (r.code !== 0) throw new Error(`node under FAKETIME=${spec} failed: ${r.stderr}`);
  return Number(r.stdout);
}

/** Run `vaibot <args>` (the built CLI) as a process. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<HookProcessResult> {
  return runNode([join(HOOK, '..', 'cli.mjs'), ...args], env);
}

/** A PreToolUse stdin for a shell command, with a unique tool_use_id. */
function stdinFor(command: string): string {
  return JSON.stringify(bashInput(command, { tool_use_id: `call_${Math.random().toString(36).slice(2)}` }));
}

/**
 * Run one PreToolUse hook process and return what Codex makes of it, asserting that it is a valid
 * answer (allow or a deny with a reason) from a process that exited cleanly, with no stack trace.
 */
async function decide(command: string, env: NodeJS.ProcessEnv): Promise<Exclude<PreToolUseEffect, { kind: 'invalid' }>> {
  const r = await runHookProcess('PreToolUse', stdinFor(command), env);
  expect(r.signal, r.stderr).toBeNull();
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).not.toMatch(/^\s+at \S/m);
  expect(r.stderr).not.toMatch(/^\s+at \S/m);
  const effect = preToolUseEffect(r.stdout, r.code ?? -1);
  if (effect.kind === 'invalid') throw new Error(`invalid Codex answer (${effect.why}): ${r.stdout}\n${r.stderr}`);
  return effect;
}

/** The reason of a deny; fails the test on an allow. */
function denyReason(effect: PreToolUseEffect): string {
  expect(effect.kind).toBe('deny');
  return effect.kind === 'deny' ? effect.reason : '';
}

/** Wait (real time) until `at` has passed; bounded by `maxMs` so a wrong computation cannot hang the test. */
async function sleepUntil(at: number, maxMs: number): Promise<void> {
  const ms = at - Date.now();
  if (ms > maxMs) throw new Error(`refusing to wait ${ms} ms (more than ${maxMs})`);
  if (ms > 0) await sleep(ms);
}

/** The stored breaker; fails the test when there is none. */
function breaker(home: string): PersistedBreaker {
  const b = loadBreaker(home);
  if (b === null) throw new Error(`no breaker stored in ${home}`);
  return b;
}

/** The stored approval of a hash; fails the test when there is none. */
function approval(home: string, hash: string): PersistedApproval {
  const a = loadApproval(home, hash);
  if (a === null) throw new Error(`no approval stored for ${hash}`);
  return a;
}

/** The content hash a hold-for-approval deny names. */
function heldHash(effect: PreToolUseEffect): string {
  const reason = denyReason(effect);
  expect(reason).not.toContain('could not check');
  const m = /content_hash: (sha256:[0-9a-f]{64})/.exec(reason);
  if (!m) throw new Error(`not a hold for approval: ${reason}`);
  return m[1] as string;
}

/** A stand-in governance server on 127.0.0.1: answers 503 to everything while down, real answers when up. */
interface FakeGovernanceServer {
  url: string;
  /** Whether it answers (true) or fails every request with 503 (false). */
  up: boolean;
  /** How many /v2/governance/decide requests reached it. */
  decides: number;
  close(): Promise<void>;
}

/** Start a {@link FakeGovernanceServer} (initially down) on a free loopback port. */
async function startFakeGovernanceServer(): Promise<FakeGovernanceServer> {
  let n = 0;
  const state = { up: false, decides: 0 };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path === '/v2/governance/decide') state.decides++;
      if (!state.up) return send(res, 503, { ok: false, error: { code: 'unavailable', message: 'the test server is down' } });
      let body: Record<string, unknown> = {};
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>; } catch { /* empty */ }
      n++;
      if (path === '/v2/governance/decide') {
        return send(res, 200, {
          ok: true, run_id: `run-${n}`, receipt_id: `receipt-${n}`, content_hash: body.content_hash,
          risk: { risk: 'safe', reason: 'no risk found', rule_ids: [] },
          decision: { decision: 'allow', reason: 'no risk found' }, shadow_decision: 'allow',
          previously_approved: false, previously_denied: false, basis: 'policy', approval_state: null,
        });
      }
      if (path === '/v2/receipts/batch') {
        const receipts = Array.isArray(body.receipts) ? body.receipts : [];
        return send(res, 200, { ok: true, stored: receipts.length, duplicates: 0 });
      }
      if (path === '/v2/telemetry/breaker') return send(res, 200, { ok: true });
      return send(res, 404, { ok: false, error: { code: 'not_found', message: `no route ${path}` } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get up() { return state.up; },
    set up(v: boolean) { state.up = v; },
    get decides() { return state.decides; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** The remaining seconds a breaker deny announces ("open for about Ns more"). */
function announcedSeconds(reason: string): number {
  const m = /breaker open for about (\d+)s more/.exec(reason);
  if (!m) throw new Error(`not a breaker-open deny: ${reason}`);
  return Number(m[1]);
}

const homes: string[] = [];
/** A fresh VAIBOT_HOME, removed after the file. */
function freshHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'vaibot-clock-'));
  homes.push(home);
  return home;
}
afterAll(() => { for (const h of homes) rmSync(h, { recursive: true, force: true }); });

describe('libfaketime', () => {
  it('moves Date.now() of a child Node process by the requested jump', async () => {
    const cases: Array<[string, number]> = [['-2d', -2 * DAY], ['+3h', 3 * HOUR]];
    for (const [spec, offset] of cases) {
      const before = Date.now();
      const seen = await childNow(spec);
      const after = Date.now();
      // between the real instants around the child, shifted (with a minute of slack)
      expect(seen, `FAKETIME=${spec}`).toBeGreaterThanOrEqual(before + offset - 60_000);
      expect(seen, `FAKETIME=${spec}`).toBeLessThanOrEqual(after + offset + 60_000);
    }
    expect(await childNow('@2026-01-01 00:00:00')).toBeLessThan(Date.parse('2026-01-01T00:01:00Z') + 14 * HOUR); // any timezone
    expect(await childNow('@2026-01-01 00:00:00')).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z') - 14 * HOUR);
  });
});

describe('the remote-mode breaker when the hook clock jumps', () => {
  let server: FakeGovernanceServer;
  let home = '';
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    server = await startFakeGovernanceServer();
    home = freshHome();
    env = {
      ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON: '0',
      VAIBOT_API_URL: server.url, VAIBOT_API_KEY: 'vb_agent_test_key_for_clock_tests_only', VAIBOT_TIMEOUT_MS: '5000',
      VAIBOT_BREAKER_FAILURE_THRESHOLD: '2', VAIBOT_BREAKER_WINDOW_MS: '600000',
      VAIBOT_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS), VAIBOT_BREAKER_MAX_COOLDOWN_MS: '600000',
    };
  });
  afterAll(async () => { await server?.close(); });

  /** Trip the breaker with two 503s (VAIBOT_BREAKER_FAILURE_THRESHOLD) on the real clock. */
  async function trip(): Promise<void> {
    server.up = false;
    const before = server.decides;
    for (let i = 0; i < 2; i++) expect(denyReason(await decide('ls', env))).toContain('503');
    expect(server.decides).toBe(before + 2);
    expect(breaker(home).value).toBe('open');
  }

  it('two 503s from a local server trip the breaker open, each call answered with a valid deny', async () => {
    await trip();
    const b = breaker(home);
    expect(b.context.openedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(b.context.cooldownMs).toBe(COOLDOWN_MS);
  });

  it('a hook whose clock is two days behind is denied without calling the server, and the opening time is pulled back to its clock', async () => {
    const openedOnRealClock = breaker(home).context.openedAt as number;
    const decides = server.decides;
    const reason = denyReason(await decide('ls', withFakeTime(env, '-2d')));
    // open for about one cooldown, not for the two days until the real clock's opening time
    expect(announcedSeconds(reason)).toBeLessThanOrEqual(Math.ceil(COOLDOWN_MS / 1000));
    expect(server.decides).toBe(decides);
    const b = breaker(home);
    expect(b.value).toBe('open');
    // sanitize(): a stored time later than the event is pulled back to the event's time
    expect(b.context.openedAt).toBe(b.context.lastAt);
    expect(b.context.openedAt as number).toBeLessThan(openedOnRealClock - DAY);
  });

  it('once the cooldown has passed in real time from the pulled-back opening, a hook still two days behind gets the half-open trial, which closes the breaker', async () => {
    const openedAt = breaker(home).context.openedAt as number;
    // the hook's clock is the real one minus two days: wait until it is a cooldown past openedAt
    await sleepUntil(openedAt + 2 * DAY + COOLDOWN_MS + SLACK_MS, COOLDOWN_MS + 5_000);
    server.up = true;
    const decides = server.decides;
    expect(await decide('ls', withFakeTime(env, '-2d'))).toEqual({ kind: 'allow' });
    expect(server.decides).toBe(decides + 1); // the trial call
    expect(breaker(home).value).toBe('closed');
  });

  it('tripped again, a hook whose clock is three hours ahead is past the cooldown and gets the half-open trial at once', async () => {
    await trip();
    const decides = server.decides;
    // the server is still down: the trial fails, and the breaker reopens with a doubled cooldown
    expect(denyReason(await decide('ls', withFakeTime(env, '+3h')))).toContain('503');
    expect(server.decides).toBe(decides + 1);
    const b = breaker(home);
    expect(b.value).toBe('open');
    expect(b.context.cooldownMs).toBe(2 * COOLDOWN_MS);
    expect(b.context.openedAt as number).toBeGreaterThan(Date.now() + 2 * HOUR); // stamped with the jumped clock
  });

  it('back on the real clock, that future opening time is pulled back: open for one backed-off cooldown, not three hours, then a trial recovers', async () => {
    const decides = server.decides;
    const reason = denyReason(await decide('ls', env));
    expect(announcedSeconds(reason)).toBeLessThanOrEqual(Math.ceil((2 * COOLDOWN_MS) / 1000));
    expect(server.decides).toBe(decides);
    const b = breaker(home);
    expect(b.value).toBe('open');
    expect(b.context.openedAt as number).toBeLessThanOrEqual(Date.now());

    await sleepUntil((b.context.openedAt as number) + 2 * COOLDOWN_MS + SLACK_MS, 2 * COOLDOWN_MS + 5_000);
    server.up = true;
    expect(await decide('ls', env)).toEqual({ kind: 'allow' });
    expect(server.decides).toBe(decides + 1);
    expect(breaker(home).value).toBe('closed');
  });
});

// Each of these has its own home: they run at once, to keep the file short on a busy machine.
describe.concurrent('approvals when the hook clock jumps (embedded mode)', () => {
  const envFor = (home: string): NodeJS.ProcessEnv => ({
    ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON: '0',
    VAIBOT_APPROVAL_TTL_MS: String(TTL_MS), VAIBOT_APPROVER: 'clock-test-human',
  });

  /** Ask for `command` on the real clock (held for approval), then let a human approve it with the CLI. */
  async function heldThenApproved(env: NodeJS.ProcessEnv, command: string, scope: string): Promise<string> {
    const hash = heldHash(await decide(command, env));
    expect(approval(env.VAIBOT_HOME as string, hash).value).toBe('blocked_until_approved');
    const r = await runCli(['approve', hash, '--scope', scope], env);
    expect(r.code, r.stderr).toBe(0);
    expect(approval(env.VAIBOT_HOME as string, hash).value).toBe('approved');
    return hash;
  }

  /** The basis recorded by the newest decision receipt. */
  function lastBasis(home: string): string | undefined {
    const store = openSqliteStore(databaseFile(home), { readonly: true });
    try { return store.list({ limit: 1, kind: 'decision' })[0]?.receipt.basis; } finally { store.close(); }
  }

  it('a time-limited approval (--scope until=1h) no longer lets the call through once the clock has jumped past its end: the call is held again', async () => {
    const home = freshHome();
    const env = envFor(home);
    const hash = await heldThenApproved(env, 'curl https://example.com/until-forward', 'until=1h');
    const until = (approval(home, hash).context.scope as { kind: 'until'; until: number }).until;

    const late = await decide('curl https://example.com/until-forward', withFakeTime(env, '+2h'));
    expect(heldHash(late)).toBe(hash);
    expect(lastBasis(home)).toBe('awaiting_approval');
    // the approved actor ended (retry outside its scope -> expired) and a new request replaced it
    const now = approval(home, hash);
    expect(now.value).toBe('blocked_until_approved');
    expect(now.context.requestedAt).toBeGreaterThanOrEqual(until);
    expect(now.context.scope).toBeNull();
    // and back on the real clock the old approval does not come back
    expect(heldHash(await decide('curl https://example.com/until-forward', env))).toBe(hash);
  });

  it('a time-limited approval used by a hook two days behind keeps its end time, so it still ends when the clock passes it', async () => {
    const home = freshHome();
    const env = envFor(home);
    const hash = await heldThenApproved(env, 'curl https://example.com/until-backward', 'until=1h');
    const granted = approval(home, hash);

    // two days behind is before the approval's end: scopeCovers() lets it through, and nothing is rewritten
    expect(await decide('curl https://example.com/until-backward', withFakeTime(env, '-2d'))).toEqual({ kind: 'allow' });
    const used = approval(home, hash);
    expect(used.value).toBe('approved');
    expect(used.context.scope).toEqual(granted.context.scope);
    expect(used.context.expiresAt).toBe(granted.context.expiresAt);
    expect(used.context.decidedAt).toBe(granted.context.decidedAt);
    expect(used.context.uses).toBe(1);
    expect(lastBasis(home)).toBe('previously_approved');

    // not extended: past its end the next call is held again
    expect(heldHash(await decide('curl https://example.com/until-backward', withFakeTime(env, '+2h')))).toBe(hash);
    expect(approval(home, hash).value).toBe('blocked_until_approved');
  });

  it('an unanswered request expires once the clock passes VAIBOT_APPROVAL_TTL_MS: a human approving late is refused, and the call is held for a new request', async () => {
    const home = freshHome();
    const env = envFor(home);
    const hash = heldHash(await decide('curl https://example.com/request-forward', env));
    const asked = approval(home, hash);
    expect(asked.context.expiresAt - asked.context.requestedAt).toBe(TTL_MS);

    // the human's clock is past the request's expiry: the approval does not take
    const late = await runCli(['approve', hash], withFakeTime(env, '+2h'));
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('expired');
    expect(approval(home, hash).value).toBe('blocked_until_approved');
    expect(heldHash(await decide('curl https://example.com/request-forward', env))).toBe(hash);

    // a hook whose clock is past the expiry ends the request and holds the call for a new one
    expect(heldHash(await decide('curl https://example.com/request-forward', withFakeTime(env, '+2h')))).toBe(hash);
    const renewed = approval(home, hash);
    expect(renewed.value).toBe('blocked_until_approved');
    expect(renewed.context.requestedAt).toBeGreaterThanOrEqual(asked.context.expiresAt);
  });

  it('an unanswered request looked at by a hook two days behind keeps its expiry time, so it still expires when the clock passes it', async () => {
    const home = freshHome();
    const env = envFor(home);
    const hash = heldHash(await decide('curl https://example.com/request-backward', env));
    const asked = approval(home, hash);

    expect(heldHash(await decide('curl https://example.com/request-backward', withFakeTime(env, '-2d')))).toBe(hash);
    const seen = approval(home, hash);
    expect(seen.value).toBe('blocked_until_approved');
    expect(seen.context).toEqual(asked.context); // time.checked before expiry changes nothing

    expect(heldHash(await decide('curl https://example.com/request-backward', withFakeTime(env, '+2h')))).toBe(hash);
    expect(approval(home, hash).context.requestedAt).toBeGreaterThanOrEqual(asked.context.expiresAt); // a new request
  });

  it('a request made by a hook two days behind has already expired for a human whose clock is right: approving it is refused, nothing crashes', async () => {
    const home = freshHome();
    const env = envFor(home);
    const behind = withFakeTime(env, '-2d');
    const hash = heldHash(await decide('curl https://example.com/asked-behind', behind));
    const asked = approval(home, hash);
    expect(asked.context.expiresAt).toBeLessThan(Date.now()); // requestedAt + TTL on the hook's clock

    const r = await runCli(['approve', hash], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('expired');
    expect(approval(home, hash).value).toBe('blocked_until_approved');
    // the hook, still behind, keeps holding the call (valid denies), never letting it through
    expect(heldHash(await decide('curl https://example.com/asked-behind', behind))).toBe(hash);
  });

  it('a once approval (the default) left unused until the clock jumps past VAIBOT_APPROVAL_TTL_MS has lapsed: the retry is held for a new approval', async () => {
    const home = freshHome();
    const env = envFor(home);
    const command = 'curl https://example.com/once-late';
    const hash = await heldThenApproved(env, command, 'once');
    expect(heldHash(await decide(command, withFakeTime(env, '+2h')))).toBe(hash);
    expect(approval(home, hash).value).toBe('blocked_until_approved'); // a new request, waiting for a human
  });

  it('a once approval (the default) lets exactly one retry through with the clock jumped two days back, and is not extended by it', async () => {
    const home = freshHome();
    const env = envFor(home);
    const command = 'curl https://example.com/once-2d';
    const hash = await heldThenApproved(env, command, 'once');
    expect(await decide(command, withFakeTime(env, '-2d'))).toEqual({ kind: 'allow' });
    expect(approval(home, hash).value).toBe('consumed');
    // used up: the next call is held for a new approval
    expect(heldHash(await decide(command, env))).toBe(hash);
  });
});
