import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HookInfo } from '../../src/codexctl/hooks.js';
import { checkHookState } from '../../src/mcp/hookState/checkHookState.js';
import { hookStateFingerprint, readCachedHookState, writeCachedHookState } from '../../src/mcp/hookState/hookStateCache.js';
import { parentCodex, type ParentCodex } from '../../src/mcp/hookState/parentCodex.js';
import { pluginLocation } from '../../src/mcp/hookState/pluginLocation.js';
import { instructionsHeadline } from '../../src/mcp/serverInstructions.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A Codex home with the plugin installed at plugins/cache/market/vaibot/0.1.0 and the given config.toml. */
function codexHome(config: string): { home: string; installed: string } {
  const root = mkdtempSync(join(tmpdir(), 'vaibot-hookstate-'));
  roots.push(root);
  const home = join(root, '.codex');
  const installed = join(home, 'plugins', 'cache', 'market', 'vaibot', '0.1.0');
  mkdirSync(join(installed, 'dist'), { recursive: true });
  writeFileSync(join(installed, 'dist', 'hook.mjs'), '// hook\n');
  writeFileSync(join(home, 'config.toml'), config);
  return { home, installed };
}

const hook = (trustStatus: HookInfo['trustStatus'], event = 'preToolUse', pluginId = 'vaibot@market'): HookInfo => ({
  key: `${pluginId}:hooks/hooks.json:${event}:0:0`, event, source: 'plugin', pluginId, trustStatus, currentHash: 'sha256:a/sha256:b',
  command: 'node hook.mjs', matcher: '*', timeoutSec: 30, sourcePath: '/x/hooks.json', enabled: true,
});
const codexParent = (over: Partial<ParentCodex> = {}): ParentCodex => ({ pid: 1, executable: null, args: [], hooksDisabled: false, bypassHookTrust: false, ...over });

describe('where the server runs from', () => {
  it('recognises an installed plugin copy in a Codex plugin cache', () => {
    expect(pluginLocation('/h/.codex/plugins/cache/vaibot-local/vaibot/0.1.0')).toMatchObject({
      codexHome: '/h/.codex', market: 'vaibot-local', plugin: 'vaibot', version: '0.1.0', pluginId: 'vaibot@vaibot-local',
    });
  });

  it('is not an installed copy anywhere else', () => {
    expect(pluginLocation('/work/main/plugin')).toBeNull();
    expect(pluginLocation('/h/.codex/plugins/other/m/vaibot/0.1.0')).toBeNull();
  });
});

describe('the parent codex command line', () => {
  function fakeProc(args: string[], exe = '/usr/lib/codex/bin/codex'): string {
    const proc = mkdtempSync(join(tmpdir(), 'vaibot-proc-'));
    roots.push(proc);
    mkdirSync(join(proc, '42'));
    writeFileSync(join(proc, '42', 'cmdline'), `${args.join('\0')}\0`);
    return proc;
  }

  it('sees --disable hooks, -c features.hooks=false and the trust bypass', () => {
    expect(parentCodex(42, fakeProc(['codex', 'exec', '--disable', 'hooks', 'go']))).toMatchObject({ hooksDisabled: true, bypassHookTrust: false });
    expect(parentCodex(42, fakeProc(['codex', '-c', 'features.hooks=false', 'exec']))?.hooksDisabled).toBe(true);
    expect(parentCodex(42, fakeProc(['codex', '--disable=codex_hooks']))?.hooksDisabled).toBe(true);
    expect(parentCodex(42, fakeProc(['codex', 'exec', '--dangerously-bypass-hook-trust', 'go']))).toMatchObject({ hooksDisabled: false, bypassHookTrust: true });
    expect(parentCodex(42, fakeProc(['codex', 'exec', '--disable', 'web_search', 'go']))?.hooksDisabled).toBe(false);
  });

  it('is none when the parent is not codex, or cannot be read', () => {
    expect(parentCodex(42, fakeProc(['bash', '-c', 'x']))).toBeNull();
    expect(parentCodex(424242, '/nonexistent-proc')).toBeNull();
  });
});

describe('checking whether the hooks govern the session', () => {
  it('is on when the plugin hooks, a PreToolUse among them, are all trusted', async () => {
    const { installed } = codexHome('[plugins."vaibot@market"]\nenabled = true\n');
    const s = await checkHookState({ cwd: installed, env: {}, parent: codexParent(), listHooks: async () => [hook('trusted'), hook('trusted', 'stop')] });
    expect(s).toMatchObject({ state: 'on', problems: [], checks: ['command-line', 'config', 'app-server'] });
  });

  it('is off, naming the fix, when the hooks are modified (every upgrade) or untrusted', async () => {
    const { installed } = codexHome('');
    const modified = await checkHookState({ cwd: installed, env: {}, parent: null, listHooks: async () => [hook('modified')] });
    expect(modified.state).toBe('off');
    expect(modified.problems.map((p) => p.code)).toEqual(['hooks_modified']);
    expect(modified.problems[0]!.fix).toContain('vaibot install');
    const untrusted = await checkHookState({ cwd: installed, env: {}, parent: null, listHooks: async () => [hook('untrusted')] });
    expect(untrusted.problems.map((p) => p.code)).toEqual(['hooks_untrusted']);
  });

  it('does not count untrusted hooks as off when the session bypasses hook trust', async () => {
    const { installed } = codexHome('');
    const s = await checkHookState({ cwd: installed, env: {}, parent: codexParent({ bypassHookTrust: true }), listHooks: async () => [hook('modified')] });
    expect(s.state).toBe('on');
    expect(s.note).toContain('--dangerously-bypass-hook-trust');
  });

  it('is off without asking the app-server when config.toml turns hooks off or disables the plugin', async () => {
    let asked = false;
    const listHooks = async (): Promise<HookInfo[]> => {
      asked = true;
      return [];
    };
    const off = codexHome('[features]\nhooks = false\n');
    expect((await checkHookState({ cwd: off.installed, env: {}, parent: null, listHooks })).problems.map((p) => p.code)).toEqual(['hooks_feature_off']);
    const disabled = codexHome('[plugins."vaibot@market"]\nenabled = false\n');
    expect((await checkHookState({ cwd: disabled.installed, env: {}, parent: null, listHooks })).problems.map((p) => p.code)).toEqual(['disabled']);
    const session = codexHome('');
    expect((await checkHookState({ cwd: session.installed, env: {}, parent: codexParent({ hooksDisabled: true }), listHooks })).problems.map((p) => p.code)).toEqual(['session_hooks_disabled']);
    expect(asked).toBe(false);
  });

  it('is off when Codex lists no hooks, or no PreToolUse hook, of the plugin', async () => {
    const { installed } = codexHome('');
    expect((await checkHookState({ cwd: installed, env: {}, parent: null, listHooks: async () => [hook('trusted', 'preToolUse', 'other@market')] })).problems[0]?.code).toBe('no_hooks');
    expect((await checkHookState({ cwd: installed, env: {}, parent: null, listHooks: async () => [hook('trusted', 'stop')] })).problems[0]?.code).toBe('no_pre_tool_use');
  });

  it('is unknown, saying why, when the app-server cannot be asked', async () => {
    const { installed } = codexHome('');
    const s = await checkHookState({ cwd: installed, env: {}, parent: null, listHooks: async () => { throw new Error('codex not found'); } });
    expect(s.state).toBe('unknown');
    expect(s.note).toContain('codex not found');
  });
});

describe('the cached full check', () => {
  it('is used only while config.toml and every installed file are unchanged', async () => {
    const { home, installed } = codexHome('[plugins."vaibot@market"]\nenabled = true\n');
    const loc = pluginLocation(installed)!;
    const state = await checkHookState({ cwd: installed, env: {}, parent: null, listHooks: async () => [hook('trusted')] });
    const fp = hookStateFingerprint(loc, null)!;
    writeCachedHookState(loc, fp, state);
    expect(readCachedHookState(loc, hookStateFingerprint(loc, null)!)?.state).toBe('on');
    writeFileSync(join(installed, 'dist', 'hook.mjs'), '// hook, edited\n');
    expect(readCachedHookState(loc, hookStateFingerprint(loc, null)!)).toBeNull();
    const fp2 = hookStateFingerprint(loc, null)!;
    writeCachedHookState(loc, fp2, state);
    writeFileSync(join(home, 'config.toml'), '[plugins."vaibot@market"]\nenabled = false\n');
    expect(readCachedHookState(loc, hookStateFingerprint(loc, null)!)).toBeNull();
  });
});

describe("the instructions' first line (all Codex shows the model)", () => {
  it('says governance is OFF and why, in one line', async () => {
    const { installed } = codexHome('');
    const s = await checkHookState({ cwd: installed, env: {}, parent: null, listHooks: async () => [hook('modified')] });
    const line = instructionsHeadline(s);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^WARNING: VAIBot governance is OFF for this session \(its hooks changed since they were trusted/);
  });
});
