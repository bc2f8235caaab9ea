import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDIN_DENY_REASON, addFilePatch, createCodexHarness, createStandinRepo, exec, mcp } from './harness/index.js';
import type { CodexHarness } from './harness/index.js';

// Harness self-tests: the real Codex CLI (pinned @openai/codex) against the stand-in plugin, whose
// PreToolUse hook denies calls containing DENYME (or `rm -rf`) with the exact deny JSON.

let repo: string;
let h: CodexHarness;

beforeAll(async () => {
  repo = await createStandinRepo(await mkdtemp(join(tmpdir(), 'vaibot-standin-')));
  h = await createCodexHarness({ root: repo, env: { VAIBOT_MODE: 'enforce' } });
}, 60_000);

afterAll(async () => {
  await h?.close();
  if (repo) await rm(repo, { recursive: true, force: true });
});

describe('a codex exec run through the installed, trusted stand-in plugin', () => {
  it('tells the model a denied command was blocked, and runs the harmless one', async () => {
    const run = await h.exec([{ calls: [exec('touch blocked.txt DENYME', 'deny-1'), exec('echo harmless-ran', 'ok-1')] }]);
    expect(run.exitCode).toBe(0);
    expect(run.output('deny-1')).toBe(`Command blocked by PreToolUse hook: ${STANDIN_DENY_REASON}. Command: touch blocked.txt DENYME`);
    expect(existsSync(join(h.dirs.workspace, 'blocked.txt'))).toBe(false);
    expect(run.output('ok-1')).toContain('harmless-ran');
    expect(run.output('ok-1')).toContain('Process exited with code 0');
  }, 120_000);

  it('hands the hook the call as Codex describes it (tool name, raw command, call id, plugin env)', async () => {
    await h.exec([{ calls: [exec('echo logged-call', 'log-1')] }]);
    const lines = (await readFile(join(h.dirs.vaibotHome, 'standin-hook.jsonl'), 'utf8')).trim().split('\n');
    const entry = lines.map((line) => JSON.parse(line)).find((e) => e.input.tool_use_id === 'log-1');
    expect(entry.input).toMatchObject({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'echo logged-call' } });
    expect(entry.pluginRoot).toBe(h.install.installedPath);
    expect(entry.mode).toBe('enforce');
  }, 120_000);

  it('routes apply_patch through the hook and reports the patch result to the model', async () => {
    const run = await h.exec([
      { calls: [addFilePatch('fine.txt', 'hello', 'patch-ok'), addFilePatch('DENYME.txt', 'nope', 'patch-deny')] },
    ]);
    expect(run.output('patch-ok')).toContain('Success');
    expect(await readFile(join(h.dirs.workspace, 'fine.txt'), 'utf8')).toBe('hello\n');
    expect(run.output('patch-deny')).toContain(`blocked by PreToolUse hook: ${STANDIN_DENY_REASON}`);
    expect(existsSync(join(h.dirs.workspace, 'DENYME.txt'))).toBe(false);
  }, 120_000);

  it('routes MCP calls (namespace mcp__<server>) through the hook', async () => {
    const run = await h.exec([{ calls: [mcp('standin', 'echo', { text: 'hi' }, 'mcp-ok'), mcp('standin', 'echo', { text: 'DENYME' }, 'mcp-deny')] }]);
    expect(run.output('mcp-ok')).toContain('echo: hi');
    expect(run.output('mcp-deny')).toBe(`Tool call blocked by PreToolUse hook: ${STANDIN_DENY_REASON}. Tool: mcp__standin__echo`);
  }, 120_000);

  it('restarts the script for every new session, so a retry replays the same call', async () => {
    const script = [{ calls: [exec('echo first-step', 'step-1')] }, { calls: [exec('echo second-step', 'step-2')] }];
    const one = await h.exec(script);
    const two = await h.exec(script);
    for (const run of [one, two]) {
      expect(run.output('step-1')).toContain('first-step');
      expect(run.output('step-2')).toContain('second-step');
      expect(run.requests).toHaveLength(3); // two tool steps, then the closing message
    }
    expect(one.requests[0]!.session).not.toBe(two.requests[0]!.session);
  }, 120_000);
});

describe('hook trust, observed on the real binary', () => {
  it('installs the plugin with all its hooks trusted', async () => {
    const hooks = (await h.hooks()).filter((hook) => hook.pluginId === h.pluginId);
    expect(hooks.map((hook) => [hook.event, hook.trustStatus])).toEqual([['preToolUse', 'trusted']]);
  }, 60_000);

  it('an untrusted plugin hook is skipped silently: the denied command runs', async () => {
    const untrusted = await createCodexHarness({ root: repo, trust: false });
    try {
      expect((await untrusted.hooks()).map((hook) => hook.trustStatus)).toEqual(['untrusted']);
      const run = await untrusted.exec([{ calls: [exec('echo ran-anyway DENYME', 'u-1')] }]);
      expect(run.output('u-1')).toContain('ran-anyway DENYME');
    } finally {
      await untrusted.close();
    }
  }, 120_000);

  it('a change to the installed plugin files marks the hooks modified and skips them until re-trusted', async () => {
    const other = await createCodexHarness({ root: repo });
    try {
      await appendFile(join(other.install.installedPath, 'dist', 'hook.mjs'), '\n// changed after trust\n');
      expect((await other.hooks()).map((hook) => hook.trustStatus)).toEqual(['modified']);
      const skipped = await other.exec([{ calls: [exec('echo modified-ran DENYME', 'm-1')] }]);
      expect(skipped.output('m-1')).toContain('modified-ran DENYME');

      const again = await other.retrust();
      expect(again.newlyTrusted).toHaveLength(1);
      const blocked = await other.exec([{ calls: [exec('echo modified-ran DENYME', 'm-2')] }]);
      expect(blocked.output('m-2')).toContain('blocked by PreToolUse hook');
    } finally {
      await other.close();
    }
  }, 180_000);

  it('`--disable hooks` turns the trusted hook off for that run', async () => {
    const run = await h.exec([{ calls: [exec('echo hooks-off DENYME', 'off-1')] }], { extraArgs: ['--disable', 'hooks'] });
    expect(run.output('off-1')).toContain('hooks-off DENYME');
  }, 120_000);
});
