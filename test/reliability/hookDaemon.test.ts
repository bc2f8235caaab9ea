import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempHome } from '../helpers/tempHome.js';
import { bashInput } from '../helpers/hookHarness.js';
import { preToolUseEffect } from '../helpers/codexOutput.js';
import { runHookProcess, HOOK } from '../helpers/builtHook.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { databaseFile } from '../../src/state/paths.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) { if (cond()) return true; await sleep(50); }
  return cond();
}

const sockets = (home: string) => (existsSync(join(home, 'run')) ? readdirSync(join(home, 'run')).filter((f) => f.endsWith('.sock')) : []);

/** A fresh home whose daemon a first hook call has started: its environment and socket path. */
async function homeWithDaemon(extraEnv: Record<string, string>): Promise<{ home: string; env: NodeJS.ProcessEnv; socket: string }> {
  const home = tempHome();
  const env = { ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', ...extraEnv };
  await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls', { tool_use_id: 'first' })), env);
  expect(await waitFor(() => sockets(home).length === 1, 10_000)).toBe(true);
  return { home, env, socket: join(home, 'run', sockets(home)[0] as string) };
}

describe('the warm hook daemon', () => {
  it('starts on first use, answers exactly like the in-process hook, records every call once, and exits when idle', async () => {
    const home = tempHome();
    const env = { ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON_IDLE_MS: '1500' };
    const first = await runHookProcess('PreToolUse', JSON.stringify(bashInput('rm -rf ~', { tool_use_id: 'a' })), env);
    expect(preToolUseEffect(first.stdout, first.code ?? -1).kind).toBe('deny');
    expect(await waitFor(() => sockets(home).length === 1, 10_000)).toBe(true);

    const viaDaemon = await runHookProcess('PreToolUse', JSON.stringify(bashInput('rm -rf ~', { tool_use_id: 'b' })), env);
    const inProcess = await runHookProcess('PreToolUse', JSON.stringify(bashInput('rm -rf ~', { tool_use_id: 'c' })), { ...env, VAIBOT_DAEMON: '0' });
    expect(viaDaemon.stdout).toBe(inProcess.stdout);
    const allowed = await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls', { tool_use_id: 'd' })), env);
    expect(preToolUseEffect(allowed.stdout, allowed.code ?? -1)).toEqual({ kind: 'allow' });

    const store = openSqliteStore(databaseFile(home), { readonly: true });
    try { expect(store.count()).toBe(4); } finally { store.close(); }
    expect(await waitFor(() => sockets(home).length === 0, 15_000)).toBe(true);
  }, 60_000);

  it('recovers from a stale socket file left by a dead daemon', async () => {
    const home = tempHome();
    const env = { ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON_IDLE_MS: '1000' };
    await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls')), env);
    expect(await waitFor(() => sockets(home).length === 1, 10_000)).toBe(true);
    const name = sockets(home)[0] as string;
    expect(await waitFor(() => sockets(home).length === 0, 15_000)).toBe(true);
    mkdirSync(join(home, 'run'), { recursive: true });
    writeFileSync(join(home, 'run', name), ''); // not a socket: a leftover
    const r = await runHookProcess('PreToolUse', JSON.stringify(bashInput('rm -rf ~')), env);
    expect(preToolUseEffect(r.stdout, r.code ?? -1).kind).toBe('deny');
    expect(r.stdout).not.toContain('daemon');
  }, 60_000);

  it('of many daemons started at once for one socket, exactly one serves and the rest exit', async () => {
    const home = tempHome();
    const env = { ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON_IDLE_MS: '1500' };
    await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls')), env);
    expect(await waitFor(() => sockets(home).length === 1, 10_000)).toBe(true);
    const socket = join(home, 'run', sockets(home)[0] as string);
    expect(await waitFor(() => sockets(home).length === 0, 15_000)).toBe(true);

    const daemon = join(HOOK, '..', 'hookd.mjs');
    const exits: Promise<number | null>[] = [];
    const pids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const child = spawn(process.execPath, [daemon, socket], { env, stdio: 'ignore' });
      pids.push(child.pid as number);
      exits.push(new Promise((r) => child.on('exit', (code) => r(code))));
    }
    expect(await waitFor(() => existsSync(socket) && existsSync(`${socket}.owner`), 10_000)).toBe(true);
    const owner = Number(readFileSync(`${socket}.owner`, 'utf8').split(' ')[0]);
    expect(pids).toContain(owner);
    // every other one gives up at once; the owner serves until idle
    const settled = await Promise.race([Promise.all(exits), sleep(1_000).then(() => null)]);
    expect(settled).toBeNull();
    const r = await runHookProcess('PreToolUse', JSON.stringify(bashInput('rm -rf ~')), env);
    expect(preToolUseEffect(r.stdout, r.code ?? -1).kind).toBe('deny');
    expect(r.stderr).not.toContain('deciding in-process');
    expect(await Promise.all(exits)).toEqual(pids.map(() => 0));
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(`${socket}.owner`)).toBe(false);
  }, 60_000);

  it('a daemon that drops the call mid-way costs no spurious deny: the hook decides in-process and records it', async () => {
    const { home, env, socket } = await homeWithDaemon({ VAIBOT_DAEMON_IDLE_MS: '500' });
    expect(await waitFor(() => sockets(home).length === 0, 15_000)).toBe(true);
    // a broken daemon: takes each request and hangs up without answering
    const broken = createServer((sock) => { sock.on('data', () => sock.destroy()); sock.on('error', () => {}); });
    await new Promise<void>((r) => broken.listen(socket, () => r()));
    try {
      for (const [command, kind] of [['ls', 'allow'], ['rm -rf ~', 'deny']] as const) {
        const res = await runHookProcess('PreToolUse', JSON.stringify(bashInput(command, { tool_use_id: command })), env);
        const effect = preToolUseEffect(res.stdout, res.code ?? -1);
        expect(effect.kind).toBe(kind);
        expect(res.stdout).not.toContain('could not check');
        expect(res.stderr).toContain('deciding in-process');
      }
    } finally {
      await new Promise<void>((r) => broken.close(() => r()));
    }
    const store = openSqliteStore(databaseFile(home), { readonly: true });
    try { expect(store.count()).toBe(3); } finally { store.close(); }
  }, 60_000);

  it('a daemon that takes the call and never answers gets a fail-closed deny at the deadline, not a late in-process decision', async () => {
    const { home, env, socket } = await homeWithDaemon({ VAIBOT_DAEMON_IDLE_MS: '500', VAIBOT_HOOK_DEADLINE_MS: '3000' });
    expect(await waitFor(() => sockets(home).length === 0, 15_000)).toBe(true);
    // a stuck daemon: reads the request and never answers
    const held: import('node:net').Socket[] = [];
    const stuck = createServer((sock) => { held.push(sock); sock.on('error', () => {}); });
    await new Promise<void>((r) => stuck.listen(socket, () => r()));
    try {
      const res = await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls', { tool_use_id: 'stuck' })), env, { timeoutMs: 20_000 });
      const effect = preToolUseEffect(res.stdout, res.code ?? -1);
      expect(effect.kind).toBe('deny');
      expect(res.stdout).toContain('deadline_exceeded');
      expect(res.stderr).not.toContain('deciding in-process');
    } finally {
      for (const h of held) h.destroy();
      await new Promise<void>((r) => stuck.close(() => r()));
    }
  }, 60_000);

  it('a daemon hung while its socket still accepts is stopped by the call that timed out on it; the next call is served again', async () => {
    const { home, env, socket } = await homeWithDaemon({ VAIBOT_DAEMON_IDLE_MS: '60000', VAIBOT_HOOK_DEADLINE_MS: '3000' });
    const warm = await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls', { tool_use_id: 'warm' })), env);
    expect(preToolUseEffect(warm.stdout, warm.code ?? -1)).toEqual({ kind: 'allow' });
    const hung = Number(readFileSync(`${socket}.owner`, 'utf8').split(' ')[0]);
    process.kill(hung, 'SIGSTOP'); // still listening: the kernel accepts connections for it
    try {
      const stuck = await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls', { tool_use_id: 'stuck' })), env, { timeoutMs: 20_000 });
      expect(preToolUseEffect(stuck.stdout, stuck.code ?? -1).kind).toBe('deny');
      expect(stuck.stdout).toContain('deadline_exceeded');
      expect(stuck.stderr).toContain('stopped it');
      expect(await waitFor(() => { try { process.kill(hung, 0); return false; } catch { return true; } }, 5_000)).toBe(true);
      const next = await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls', { tool_use_id: 'next' })), env, { timeoutMs: 20_000 });
      expect(preToolUseEffect(next.stdout, next.code ?? -1)).toEqual({ kind: 'allow' });
      // a fresh daemon took over the socket
      expect(await waitFor(() => { try { return Number(readFileSync(`${socket}.owner`, 'utf8').split(' ')[0]) !== hung; } catch { return false; } }, 10_000)).toBe(true);
      const served = await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls', { tool_use_id: 'served' })), env, { timeoutMs: 20_000 });
      expect(preToolUseEffect(served.stdout, served.code ?? -1)).toEqual({ kind: 'allow' });
    } finally {
      try { process.kill(hung, 'SIGKILL'); } catch { /* already gone */ }
      const owner = (() => { try { return Number(readFileSync(`${socket}.owner`, 'utf8').split(' ')[0]); } catch { return 0; } })();
      if (owner > 0 && owner !== hung) { try { process.kill(owner, 'SIGTERM'); } catch { /* gone */ } }
    }
  }, 90_000);
});
