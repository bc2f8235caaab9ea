import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmdirSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { bashInput } from '../helpers/hookHarness.js';
import { preToolUseEffect } from '../helpers/codexOutput.js';
import { runHookProcess, type HookProcessResult } from '../helpers/builtHook.js';
import { askDaemon } from '../../src/hook/daemonClient.js';
import { DAEMON_PROTOCOL, forwardedEnv } from '../../src/hook/daemonProtocol.js';
import { listApprovalHashes, loadApproval } from '../../src/state/approvalStore.js';
import { loadBreaker } from '../../src/state/breakerStore.js';
import { databaseFile } from '../../src/state/paths.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { processAlive } from '../../src/util/processAlive.js';

// A VAIBOT_HOME on a filesystem with no space left, driven with whole hook processes (as Codex
// runs them): every gating answer must stay a valid, explained deny in enforce mode and an allow
// with a breadcrumb in observe mode, and everything must work again once space is freed.
// Linux only (tmpfs, /proc); needs root to mount.

const require = createRequire(import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The three calls every check makes: harmless, dangerous, and one that needs a human's approval. */
const CALLS = [
  { name: 'a harmless ls', command: 'ls' },
  { name: 'a dangerous rm -rf ~', command: 'rm -rf ~' },
  { name: 'an approval-requiring curl', command: 'curl https://example.com' },
] as const;

/** What a full disk looks like in a reason: SQLite's SQLITE_FULL text or the errno of a file write. */
const FULL_DISK = /database or disk is full|ENOSPC|no space left on device/i;
/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at \S.*(:\d+:\d+\)?|<anonymous>\)?)$/m;
/**
 * The tmpfs size: big enough for both homes to work again once the filler is gone (each receipt grows
 * the SQLite WAL by about 24 KiB until it checkpoints at 4 MiB, so 512 KiB fills up again within a few calls).
 */
const TMPFS_SIZE = '4m';

/**
 * Mount a tmpfs of `size` at `dir`. Throws an error saying why when that is not permitted: this
 * test must fail loudly (never skip) where it cannot build a full filesystem.
 */
function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const why = e.stderr?.toString('utf8').trim() || e.message;
    throw new Error(
      `cannot mount a ${size} tmpfs at ${dir} (${why}): the full-disk test needs root (CAP_SYS_ADMIN, uid ${process.getuid?.() ?? '?'} now) ` +
      'to build a filesystem it can fill; run it as root, as CI does',
    );
  }
}

/** Unmount `dir` (bounded retries while a process we stopped lets go of it, then a lazy unmount) and remove it. */
async function unmountTmpfs(dir: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmdirSync(dir);
      return;
    } catch {
      await sleep(100);
    }
  }
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  rmdirSync(dir);
}

/**
 * Fill the filesystem holding `file` by appending to it until the kernel answers ENOSPC, with ever
 * smaller writes so no byte is left. Bounded: a filesystem that never fills fails the test.
 */
function fillFilesystem(file: string): number {
  const fd = openSync(file, 'w', 0o600);
  let written = 0;
  try {
    for (const chunk of [64 * 1024, 4096, 512, 1]) {
      const buf = Buffer.alloc(chunk, 0x78);
      let full = false;
      for (let i = 0; i < 4096 && !full; i++) {
        try {
          written += writeSync(fd, buf);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          full = true;
        }
      }
      if (!full) throw new Error(`${file}: the filesystem did not fill after ${written} bytes`);
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Poll `cond` every 50 ms until it holds or `ms` pass; returns whether it held. */
async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await sleep(50);
  }
  return cond();
}

/** The pids of hook daemons (`hookd.mjs <socket>`) whose socket lies under `root`, read from /proc. */
function daemonPidsUnder(root: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try { argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    if (argv.some((a) => a.endsWith('hookd.mjs')) && argv.some((a) => a.startsWith(`${root}/`))) pids.push(Number(name));
  }
  return pids;
}

/** Stop the hook daemons serving homes under `root` (only those: found by their socket path), and wait until they are gone. */
async function stopDaemonsUnder(root: string): Promise<void> {
  for (const pid of daemonPidsUnder(root)) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  if (!(await waitFor(() => daemonPidsUnder(root).length === 0, 5_000))) {
    for (const pid of daemonPidsUnder(root)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    await waitFor(() => daemonPidsUnder(root).length === 0, 5_000);
  }
}

/** The socket of the home's daemon and the pid in its owner file, when a daemon has claimed it. */
function daemonOf(home: string): { socket: string; pid: number } | null {
  const run = join(home, 'run');
  if (!existsSync(run)) return null;
  const owner = readdirSync(run).find((f) => f.endsWith('.sock.owner'));
  if (!owner) return null;
  const pid = Number(readFileSync(join(run, owner), 'utf8').split(' ')[0]);
  return Number.isInteger(pid) && pid > 0 ? { socket: join(run, owner.slice(0, -'.owner'.length)), pid } : null;
}

/** The home's daemon once it is alive and listening (bounded wait), or a thrown error. */
async function liveDaemon(home: string): Promise<{ socket: string; pid: number }> {
  const ok = await waitFor(() => {
    const d = daemonOf(home);
    return d !== null && processAlive(d.pid) && existsSync(d.socket);
  }, 10_000);
  const d = daemonOf(home);
  if (!ok || d === null) throw new Error(`no hook daemon came up for ${home}`);
  return d;
}

/** The files a process holds open under `dir` (from /proc/<pid>/fd). */
function openFilesUnder(pid: number, dir: string): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith(`${dir}/`)) out.push(target);
    } catch { /* closed meanwhile */ }
  }
  return out;
}

/** Every file under `dir`, recursively (bounded depth: our homes are shallow). */
function filesUnder(dir: string, depth = 4): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && depth > 0) out.push(...filesUnder(p, depth - 1));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** SQLite's own verdict on a database file (`ok` when sound). */
function integrity(file: string): string {
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try { return db.pragma('integrity_check', { simple: true }) as string; } finally { db.close(); }
}

/** How many receipts a home's database holds. */
function receiptCount(home: string): number {
  const store = openSqliteStore(databaseFile(home), { readonly: true });
  try { return store.count(); } finally { store.close(); }
}

/** A PreToolUse stdin for a shell command, with a unique tool_use_id. */
function stdinFor(command: string): string {
  return JSON.stringify(bashInput(command, { tool_use_id: `call_${Math.random().toString(36).slice(2)}` }));
}

/** Assert a hook process ended cleanly: exit 0, no signal, and no stack trace on either stream. */
function expectCleanExit(r: HookProcessResult): void {
  expect(r.signal, r.stderr).toBeNull();
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(STACK_LINE);
}

/** Assert Codex reads this answer as a deny that says VAIBot could not check the call because the disk is full. */
function expectFullDiskDeny(stdout: string, exitCode: number): string {
  const effect = preToolUseEffect(stdout, exitCode);
  expect(effect.kind, stdout).toBe('deny');
  const reason = effect.kind === 'deny' ? effect.reason : '';
  expect(reason).toContain('VAIBot could not check this call');
  expect(reason).toMatch(FULL_DISK);
  expect(reason).toContain('fails closed in enforce mode');
  expect(stdout.trimEnd().split('\n')).toHaveLength(1); // one JSON answer, nothing else
  return reason;
}

describe('a VAIBOT_HOME on a full filesystem (a small tmpfs), with whole hook processes', () => {
  let root = '';
  let mounted = false;
  // Home A: its daemon was started by SessionStart and has not opened the receipts database yet.
  // Home B: its daemon has the database open, and an approval request is already stored.
  let homeA = '';
  let homeB = '';
  let filler = '';
  /** Receipts each home must hold at the end (every call that was decided, none of those that failed). */
  const expected = new Map<string, number>();
  const envOf = (home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
    ({ ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON_IDLE_MS: '60000', ...extra });

  /** Why the setup failed (no permission to mount, say): every test then fails with it, none is skipped. */
  let setupError: unknown;
  const ready = (): void => { if (setupError !== undefined) throw setupError; };

  beforeAll(async () => {
    try { await setUp(); } catch (err) { setupError = err; }
  }, 60_000);

  /** Mount and warm up both homes, then fill the filesystem. */
  async function setUp(): Promise<void> {
    root = mkdtempSync(join(tmpdir(), 'vaibot-fulldisk-'));
    mountTmpfs(root, TMPFS_SIZE);
    mounted = true;
    homeA = join(root, 'a');
    homeB = join(root, 'b');
    filler = join(root, 'filler');

    const sessionStart = JSON.stringify({ session_id: 's1', cwd: '/tmp/work', hook_event_name: 'SessionStart', source: 'startup' });
    const a1 = await runHookProcess('SessionStart', sessionStart, envOf(homeA));
    expect(a1.code, a1.stderr).toBe(0);
    await liveDaemon(homeA);
    expect(existsSync(databaseFile(homeA))).toBe(false);

    const b1 = await runHookProcess('PreToolUse', stdinFor('ls'), envOf(homeB)); // answered in-process, starts the daemon
    expect(preToolUseEffect(b1.stdout, b1.code ?? -1)).toEqual({ kind: 'allow' });
    await liveDaemon(homeB);
    for (const command of ['ls', 'curl https://example.com']) {
      const r = await runHookProcess('PreToolUse', stdinFor(command), envOf(homeB)); // answered by the daemon
      expect(preToolUseEffect(r.stdout, r.code ?? -1).kind).toBe(command === 'ls' ? 'allow' : 'deny');
      expect(r.stdout).not.toContain('could not check');
    }
    expected.set(homeA, 0);
    expected.set(homeB, 3);
    expect(receiptCount(homeB)).toBe(3);
    expect(listApprovalHashes(homeB)).toHaveLength(1);

    fillFilesystem(filler);
    expect(statfsSync(root).bavail).toBe(0);
  }

  afterAll(async () => {
    if (root === '') return;
    if (!mounted) { rmdirSync(root); return; }
    await stopDaemonsUnder(root);
    await unmountTmpfs(root);
  }, 60_000);

  it('in enforce mode, through the warm daemon, ls, rm -rf ~ and curl each get a valid deny that names the full disk', async () => {
    ready();
    for (const home of [homeA, homeB]) {
      const daemon = await liveDaemon(home);
      for (const call of CALLS) {
        const r = await runHookProcess('PreToolUse', stdinFor(call.command), envOf(home));
        expectCleanExit(r);
        expectFullDiskDeny(r.stdout, r.code ?? -1);
        expect(r.stderr, `${call.name} in ${home}`).not.toContain('deciding in-process');
      }
      // the daemon itself gives that answer (asked directly on its socket), and is still the one serving
      const env = envOf(home);
      const asked = await askDaemon(daemon.socket, { v: DAEMON_PROTOCOL, event: 'PreToolUse', stdin: stdinFor('curl https://example.com'), env: forwardedEnv(env) }, 15_000);
      expect(asked.kind).toBe('answered');
      if (asked.kind === 'answered') expectFullDiskDeny(asked.response.stdout, asked.response.exitCode);
      expect(daemonOf(home)?.pid).toBe(daemon.pid);
      expect(processAlive(daemon.pid)).toBe(true);
    }
  });

  it('the warm daemon leaves no lock file behind, and keeps no lock file or half-opened database open, across those denies', async () => {
    ready();
    const seen: Record<string, { lockFilesOnDisk: string[]; lockFilesHeldOpen: string[]; databaseHeldOpen?: string[] }> = {};
    for (const [label, home] of [['A', homeA], ['B', homeB]] as const) {
      const { pid } = await liveDaemon(home);
      for (let i = 0; i < 3; i++) {
        const r = await runHookProcess('PreToolUse', stdinFor(`curl https://example.com/${i}`), envOf(home));
        expectFullDiskDeny(r.stdout, r.code ?? -1);
      }
      const open = openFilesUnder(pid, home);
      seen[label] = {
        lockFilesOnDisk: filesUnder(home).filter((f) => f.endsWith('.lock')),
        lockFilesHeldOpen: open.filter((f) => f.includes('.lock')),
        // home A's daemon never managed to open the database: it must hold no connection to it
        ...(label === 'A' ? { databaseHeldOpen: open.filter((f) => f.startsWith(databaseFile(home))) } : {}),
      };
    }
    expect(seen).toEqual({
      A: { lockFilesOnDisk: [], lockFilesHeldOpen: [], databaseHeldOpen: [] },
      B: { lockFilesOnDisk: [], lockFilesHeldOpen: [] },
    });
  });

  it('in enforce mode, with VAIBOT_DAEMON=0, ls, rm -rf ~ and curl each get a valid deny that names the full disk', async () => {
    ready();
    for (const home of [homeA, homeB]) {
      for (const call of CALLS) {
        const r = await runHookProcess('PreToolUse', stdinFor(call.command), envOf(home, { VAIBOT_DAEMON: '0' }));
        expectCleanExit(r);
        expectFullDiskDeny(r.stdout, r.code ?? -1);
      }
    }
  });

  it('in observe mode, through the daemon and with VAIBOT_DAEMON=0, every call is allowed with a breadcrumb on stderr naming the full disk', async () => {
    ready();
    for (const home of [homeA, homeB]) {
      for (const daemon of ['1', '0']) {
        for (const call of CALLS) {
          const r = await runHookProcess('PreToolUse', stdinFor(call.command), envOf(home, { VAIBOT_MODE: 'observe', VAIBOT_DAEMON: daemon }));
          expectCleanExit(r);
          expect(preToolUseEffect(r.stdout, r.code ?? -1), `${call.name}, VAIBOT_DAEMON=${daemon}`).toEqual({ kind: 'allow' });
          expect(r.stderr).toContain('VAIBot [observe]: VAIBot could not check this call');
          expect(r.stderr).toContain('allowed because VAIBOT_MODE=observe');
          expect(r.stderr).toMatch(FULL_DISK);
        }
      }
    }
  });

  it('with no daemon running and none able to start on the full disk, the default path still denies validly and leaves no daemon behind', async () => {
    ready();
    await stopDaemonsUnder(root);
    for (const home of [homeA, homeB]) {
      for (const call of CALLS) {
        const r = await runHookProcess('PreToolUse', stdinFor(call.command), envOf(home));
        expectCleanExit(r);
        expectFullDiskDeny(r.stdout, r.code ?? -1);
      }
    }
    // each of those calls started a daemon; none can write its claim, so each must exit by itself
    expect(await waitFor(() => daemonPidsUnder(root).length === 0, 15_000)).toBe(true);
  });

  it('once the filler is deleted, calls are decided again, every one is recorded, and the database and state files are sound', async () => {
    ready();
    expect(statfsSync(root).bavail).toBe(0); // nothing above freed space behind our back
    // nothing was recorded while the disk was full
    expect(receiptCount(homeB)).toBe(expected.get(homeB));
    unlinkSync(filler);
    expect(statfsSync(root).bavail).toBeGreaterThan(0);

    const record = (home: string) => expected.set(home, (expected.get(home) ?? 0) + 1);
    for (const home of [homeA, homeB]) {
      for (const daemon of ['1', '0']) {
        const ls = await runHookProcess('PreToolUse', stdinFor('ls'), envOf(home, { VAIBOT_DAEMON: daemon }));
        expectCleanExit(ls);
        expect(preToolUseEffect(ls.stdout, ls.code ?? -1), `ls, VAIBOT_DAEMON=${daemon}`).toEqual({ kind: 'allow' });
        record(home);
      }
      // the daemon path is back: a daemon comes up and answers
      const daemon = await liveDaemon(home);
      const viaDaemon = await runHookProcess('PreToolUse', stdinFor('ls'), envOf(home));
      expect(preToolUseEffect(viaDaemon.stdout, viaDaemon.code ?? -1)).toEqual({ kind: 'allow' });
      expect(viaDaemon.stderr).not.toContain('deciding in-process');
      expect(daemonOf(home)?.pid).toBe(daemon.pid);
      record(home);

      const rm = await runHookProcess('PreToolUse', stdinFor('rm -rf ~'), envOf(home));
      expectCleanExit(rm);
      const rmEffect = preToolUseEffect(rm.stdout, rm.code ?? -1);
      expect(rmEffect.kind).toBe('deny');
      if (rmEffect.kind === 'deny') {
        expect(rmEffect.reason).not.toContain('could not check');
        expect(rmEffect.reason).toContain('fs.rm-home');
      }
      record(home);

      const curl = await runHookProcess('PreToolUse', stdinFor('curl https://example.com'), envOf(home, { VAIBOT_DAEMON: '0' }));
      expectCleanExit(curl);
      const curlEffect = preToolUseEffect(curl.stdout, curl.code ?? -1);
      expect(curlEffect.kind).toBe('deny');
      if (curlEffect.kind === 'deny') {
        expect(curlEffect.reason).not.toContain('could not check');
        expect(curlEffect.reason).toMatch(/content_hash: sha256:[0-9a-f]{64}/);
      }
      record(home);
    }

    // quiesce, then look at what is on disk
    await stopDaemonsUnder(root);
    for (const home of [homeA, homeB]) {
      expect(receiptCount(home), home).toBe(expected.get(home));
      expect(integrity(databaseFile(home))).toBe('ok');
      expect(() => loadBreaker(home)).not.toThrow();
      // the curl request made before the disk filled (home B) and the one made after (home A) are intact
      const hashes = listApprovalHashes(home);
      expect(hashes.length).toBeGreaterThan(0);
      for (const h of hashes) expect(loadApproval(home, h)?.value).toBe('blocked_until_approved');
      const files = filesUnder(home);
      for (const f of files.filter((p) => p.endsWith('.json'))) expect(() => JSON.parse(readFileSync(f, 'utf8')), f).not.toThrow();
      // no lock or temp file was left behind by the writes that failed
      expect(files.filter((f) => f.endsWith('.lock') || f.endsWith('.tmp') || f.includes('.lock.reap.'))).toEqual([]);
    }
    // the approval requested before the disk filled is the one still waiting (not replaced)
    expect(listApprovalHashes(homeB)).toHaveLength(1);
  });
});
