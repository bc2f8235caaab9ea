import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedHookCommands, matcherSelects, preToolUseVerdict, runHookCommand } from '../../src/codexctl/index.js';
import type { HookRun } from '../../src/codexctl/index.js';

const run = (partial: Partial<HookRun>): HookRun => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, ...partial });
const deny = (reason: unknown) => JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } });

describe('how Codex acts on a PreToolUse hook result', () => {
  it.each<[string, Partial<HookRun>, string]>([
    ['exit 0, empty stdout', {}, 'allow'],
    ['exit 0, whitespace stdout', { stdout: '\n' }, 'allow'],
    ['the deny JSON', { stdout: deny('no') }, 'deny'],
    ['exit 2 with a reason on stderr', { exitCode: 2, stderr: 'no' }, 'deny_exit2'],
    ['exit 2 with empty stderr', { exitCode: 2 }, 'fail_open'],
    ['exit 1', { exitCode: 1, stdout: deny('no') }, 'fail_open'],
    ['a timeout', { timedOut: true, exitCode: null }, 'fail_open'],
    ['plain text', { stdout: 'denied!' }, 'fail_open'],
    ['deny with an empty reason', { stdout: deny('  ') }, 'fail_open'],
    ['"ask"', { stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask' } }) }, 'fail_open'],
    ['{"continue":false}', { stdout: '{"continue":false}' }, 'fail_open'],
    ['the wrong event name', { stdout: deny('x').replace('PreToolUse', 'PostToolUse') }, 'fail_open'],
    ['allow with updatedInput', { stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', updatedInput: { command: 'ls' } } }) }, 'rewrite'],
  ])('%s -> %s', (_name, partial, kind) => {
    expect(preToolUseVerdict(run(partial)).kind).toBe(kind);
  });
});

describe('matchers', () => {
  it.each<[string, string, boolean]>([
    ['', 'Bash', true],
    ['*', 'mcp__s__t', true],
    ['Bash', 'Bash', true],
    ['Bash|apply_patch', 'apply_patch', true],
    ['Bash', 'BashX', false],
    ['mcp__.*', 'mcp__s__t', true],
    ['(', 'Bash', false],
  ])('%j selects %s: %s', (matcher, tool, selected) => {
    expect(matcherSelects(matcher, tool)).toBe(selected);
  });
});

describe('running an installed hook', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'installed-'));
    await mkdir(join(root, '.codex-plugin'), { recursive: true });
    await mkdir(join(root, 'custom'), { recursive: true });
    await writeFile(join(root, '.codex-plugin', 'plugin.json'), JSON.stringify({ name: 'p', version: '1', hooks: 'custom/h.json' }));
    await writeFile(
      join(root, 'custom', 'h.json'),
      JSON.stringify({
        hooks: {
          PreToolUse: [
            { matcher: 'Bash', hooks: [{ type: 'command', command: 'node "${PLUGIN_ROOT}/hook.mjs"', timeout: 5 }] },
            { matcher: 'apply_patch', hooks: [{ type: 'command', command: 'echo patch' }] },
          ],
        },
      }),
    );
    await writeFile(join(root, 'hook.mjs'), "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{process.stdout.write(JSON.parse(s).tool_input.command.includes('rm')?" + JSON.stringify(deny('no rm')) + ":'');});\n");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads the manifest\'s hooks file, selects by matcher and substitutes PLUGIN_ROOT', async () => {
    const commands = await installedHookCommands(root, 'PreToolUse', 'Bash');
    expect(commands).toEqual([{ event: 'PreToolUse', matcher: 'Bash', command: `node "${root}/hook.mjs"`, timeoutSec: 5 }]);
    expect((await installedHookCommands(root, 'PreToolUse', 'apply_patch'))[0]!.timeoutSec).toBe(600);
  });

  it('runs a hook through the shell with the input on stdin', async () => {
    const [hook] = await installedHookCommands(root, 'PreToolUse', 'Bash');
    const input = (command: string) => ({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });
    const opts = { cwd: root, env: process.env, timeoutMs: 5_000 };
    expect(preToolUseVerdict(await runHookCommand(hook!.command, input('ls'), opts))).toEqual({ kind: 'allow' });
    expect(preToolUseVerdict(await runHookCommand(hook!.command, input('rm -rf ~'), opts))).toEqual({ kind: 'deny', reason: 'no rm' });
  });

  it('kills a hook past its deadline', async () => {
    const result = await runHookCommand('sleep 30', {}, { cwd: root, env: process.env, timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(5_000);
  });
});
