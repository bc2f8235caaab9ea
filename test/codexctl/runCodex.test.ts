import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMarketplace, addPlugin, codexErrorText, isCodexCtlError, resolveCodexBin, runCodex, runCodexJson } from '../../src/codexctl/index.js';
import { createStandinRepo } from '../e2e/harness/standinPlugin.js';
import * as z from 'zod/mini';

let dir: string;
let codexHome: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runcodex-'));
  codexHome = join(dir, 'codex');
  await writeFile(join(dir, 'sleeper.mjs'), 'setTimeout(() => {}, 60_000);\n');
  await writeFile(join(dir, 'echo.mjs'), 'process.stdout.write(JSON.stringify({ args: process.argv.slice(2), codexHome: process.env.CODEX_HOME, home: process.env.HOME }));\n');
  await writeFile(join(dir, 'fail.mjs'), 'process.stderr.write("WARNING: proceeding, even though we could not create PATH aliases: x\\nError: plugin `x` was not found\\n\\nStack backtrace:\\n   0: <unknown>\\n"); process.exit(1);\n');
  await mkdir(codexHome);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolving and running codex', () => {
  it('uses the pinned @openai/codex launcher by default, and VAIBOT_CODEX_BIN when set', () => {
    const bin = resolveCodexBin({});
    expect(bin.source).toBe('package');
    expect(bin.prefixArgs[0]).toMatch(/@openai\/codex\/bin\/codex\.js$/);
    expect(resolveCodexBin({ VAIBOT_CODEX_BIN: '/opt/codex' })).toEqual({ command: '/opt/codex', prefixArgs: [], source: 'env' });
    expect(resolveCodexBin({ VAIBOT_CODEX_BIN: '/x/launcher.js' })).toMatchObject({ command: process.execPath, prefixArgs: ['/x/launcher.js'] });
  });

  it('runs the real codex and captures its output', async () => {
    const result = await runCodex(['--version'], { codexHome, timeoutMs: 15_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^codex-cli 0\.169\.0/);
  });

  it('sets CODEX_HOME and HOME for the command', async () => {
    const result = await runCodex(['a', 'b'], { codexHome, home: dir, env: { ...process.env, VAIBOT_CODEX_BIN: join(dir, 'echo.mjs') }, timeoutMs: 10_000 });
    expect(JSON.parse(result.stdout)).toEqual({ args: ['a', 'b'], codexHome, home: dir });
  });

  it('kills a command past its deadline and says so', async () => {
    const started = Date.now();
    const error = await runCodex([], { codexHome, env: { ...process.env, VAIBOT_CODEX_BIN: join(dir, 'sleeper.mjs') }, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'codex_timeout')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a codex that cannot be started', async () => {
    const error = await runCodex([], { codexHome, env: { ...process.env, VAIBOT_CODEX_BIN: join(dir, 'no-such-binary') }, timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'codex_not_found')).toBe(true);
  });

  it('turns a failing JSON command into codex_failed with codex\'s own error text', async () => {
    const error = await runCodexJson(['x'], z.unknown(), { codexHome, env: { ...process.env, VAIBOT_CODEX_BIN: join(dir, 'fail.mjs') } }).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'codex_failed')).toBe(true);
    expect((error as Error).message).toBe('codex x failed: Error: plugin `x` was not found');
  });

  it('checks JSON output against its schema', async () => {
    const error = await runCodexJson(['x'], z.object({ nope: z.string() }), { codexHome, env: { ...process.env, VAIBOT_CODEX_BIN: join(dir, 'echo.mjs') } }).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'bad_output')).toBe(true);
  });

  it('keeps only the explanation from codex stderr', () => {
    expect(codexErrorText('WARNING: proceeding, even though we could not create PATH aliases: y\nError: boom\n\nCaused by:\n    deeper\n\nStack backtrace:\n   0: x\n')).toBe(
      'Error: boom Caused by: deeper',
    );
  });
});

describe('codex plugin commands (real binary)', () => {
  it('a plugin missing from the marketplace is codex_failed with the reason', async () => {
    const root = join(dir, 'market');
    await createStandinRepo(root, { market: 'mk' });
    expect(await addMarketplace(root, { codexHome })).toMatchObject({ marketplaceName: 'mk', alreadyAdded: false });
    expect(await addMarketplace(root, { codexHome })).toMatchObject({ marketplaceName: 'mk', alreadyAdded: true });
    const error = await addPlugin('nope@mk', { codexHome }).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'codex_failed')).toBe(true);
    expect((error as Error).message).toContain('plugin `nope` was not found in marketplace `mk`');
  });
});
