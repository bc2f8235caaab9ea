import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/tempHome.js';
import { bashInput } from '../helpers/hookHarness.js';
import { preToolUseEffect } from '../helpers/codexOutput.js';
import { requireBuiltHook } from '../helpers/builtHook.js';

// Codex hands the hook its call over a real pipe (Node's own child processes get a socket pair,
// which the other hook tests use). The hook reads what is already in the pipe without a stream and
// waits for the rest only when the writer has not finished: these run it behind `sh` pipelines.

/** Run `sh -c script` with the built hook as $HOOK; bounded. */
function sh(script: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('sh', ['-c', script], { env: { ...env, NODE: process.execPath, HOOK: requireBuiltHook() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('the pipeline did not finish in time')); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(guard); resolve({ code, stdout, stderr, ms: Date.now() - started }); });
  });
}

const envFor = (home: string) => ({ ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON: '0' });

describe('the hook reads its call from a real pipe', () => {
  it('a call written in two parts, the second after a pause, is read whole (a harmless command is allowed)', async () => {
    const home = tempHome();
    const input = JSON.stringify(bashInput('ls -la src', { cwd: home }));
    const cut = Math.floor(input.length / 2);
    writeFileSync(join(home, 'a'), input.slice(0, cut));
    writeFileSync(join(home, 'b'), input.slice(cut));
    const r = await sh(`(cat "${home}/a"; sleep 0.4; cat "${home}/b") | "$NODE" "$HOOK" PreToolUse`, envFor(home));
    expect(r.stderr).not.toMatch(/input_invalid|not valid JSON/);
    expect(preToolUseEffect(r.stdout, r.code ?? -1)).toEqual({ kind: 'allow' });
  });

  it('a call already in the pipe and closed is read at once; a dangerous one is denied for its risk, not its input', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'in'), JSON.stringify(bashInput('rm -rf ~/.ssh', { cwd: home })));
    const r = await sh(`cat "${home}/in" | "$NODE" "$HOOK" PreToolUse`, envFor(home));
    const effect = preToolUseEffect(r.stdout, r.code ?? -1);
    expect(effect.kind).toBe('deny');
    expect(r.stdout).not.toMatch(/input_invalid/);
  });

  it('stdin redirected from a regular file is read too', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'in'), JSON.stringify(bashInput('git status', { cwd: home })));
    const r = await sh(`"$NODE" "$HOOK" PreToolUse < "${home}/in"`, envFor(home));
    expect(preToolUseEffect(r.stdout, r.code ?? -1)).toEqual({ kind: 'allow' });
  });

  it('stdin a file that something already read from is read from where it stands, not from its start', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'in'), `xyz${JSON.stringify(bashInput('git status', { cwd: home }))}`);
    const r = await sh(`(dd bs=1 count=3 of=/dev/null 2>/dev/null; "$NODE" "$HOOK" PreToolUse) < "${home}/in"`, envFor(home));
    expect(preToolUseEffect(r.stdout, r.code ?? -1)).toEqual({ kind: 'allow' });
  });

  it('a pipe that is never written nor closed gets a fail-closed deny at the deadline', async () => {
    const home = tempHome();
    const r = await sh(`sleep 4 | "$NODE" "$HOOK" PreToolUse; echo "hook-exit=$?" >&2`, { ...envFor(home), VAIBOT_HOOK_DEADLINE_MS: '1000' });
    const effect = preToolUseEffect(r.stdout, 0);
    expect(effect.kind).toBe('deny');
    expect(r.stdout).toContain('deadline_exceeded');
    expect(r.stderr).toContain('hook-exit=0');
  });

  it('more than the input limit through a pipe is refused with a valid deny, not truncated', async () => {
    const home = tempHome();
    const r = await sh(`head -c 17000000 /dev/zero | tr '\\0' a | "$NODE" "$HOOK" PreToolUse`, envFor(home));
    expect(preToolUseEffect(r.stdout, r.code ?? -1).kind).toBe('deny');
    expect(r.stdout).toContain('input_too_large');
  });
});

describe('the hook reads its call from a socket pair (as Node child processes get stdin)', () => {
  /** Start the hook with stdin a socket pair; `feed` writes to it. Bounded. */
  function hookWithSocketStdin(env: NodeJS.ProcessEnv, feed: (stdin: import('node:stream').Writable) => void): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [requireBuiltHook(), 'PreToolUse'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
      child.stderr.resume();
      child.stdin.on('error', () => { /* the hook may have answered already */ });
      const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('the hook did not finish in time')); }, 30_000);
      child.on('close', (code) => { clearTimeout(guard); child.stdin.destroy(); resolve({ code, stdout }); });
      feed(child.stdin);
    });
  }

  it('a call written in two parts, the second after a pause, is read whole', async () => {
    const home = tempHome();
    const input = JSON.stringify(bashInput('ls -la src', { cwd: home }));
    const r = await hookWithSocketStdin(envFor(home), (stdin) => {
      stdin.write(input.slice(0, 40));
      setTimeout(() => stdin.end(input.slice(40)), 400);
    });
    expect(preToolUseEffect(r.stdout, r.code ?? -1)).toEqual({ kind: 'allow' });
  });

  it('a socket that is never closed gets a fail-closed deny at the deadline', async () => {
    const home = tempHome();
    const r = await hookWithSocketStdin({ ...envFor(home), VAIBOT_HOOK_DEADLINE_MS: '1000' }, (stdin) => { stdin.write('{"session_id":'); });
    expect(preToolUseEffect(r.stdout, r.code ?? -1).kind).toBe('deny');
    expect(r.stdout).toContain('deadline_exceeded');
  });
});
