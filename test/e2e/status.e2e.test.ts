import { existsSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempLayout, repoRoot, type TempLayout } from './harness/index.js';
import install from '../../src/cli/commands/install.js';
import { runCli } from '../../src/cli/runCli.js';

// `vaibot status` reports what Codex will really do with the plugin's hooks, and exits non-zero when
// an installed plugin's hooks are silently skipped (here: its files changed after they were trusted).
const built = existsSync(join(repoRoot, 'plugin', 'dist', 'hook.cjs'));

describe.skipIf(!built)('vaibot status and governance being silently off', () => {
  let dirs: TempLayout;
  beforeAll(async () => { dirs = await makeTempLayout('vaibot-status-'); });
  afterAll(async () => { await dirs?.cleanup(); });
  const io = () => {
    const c = { out: '', stdout: (t: string) => void (c.out += t), stderr: () => {}, env: { ...process.env, HOME: dirs.home, CODEX_HOME: dirs.codexHome, VAIBOT_HOME: dirs.vaibotHome } };
    return c;
  };

  it('is active after install, and off with a non-zero exit once the installed files change', async () => {
    expect(await install([], io())).toBe(0);
    const ok = io();
    expect(await runCli(['status', '--json'], ok)).toBe(0);
    const first = JSON.parse(ok.out);
    expect(first.codex).toMatchObject({ active: true, installed: true });
    expect(first.breaker.state).toBe('closed');
    appendFileSync(join(first.codex.installedPath, 'hooks', 'hooks.json'), '\n');
    const off = io();
    expect(await runCli(['status', '--json'], off)).toBe(1);
    const second = JSON.parse(off.out);
    expect(second.codex.active).toBe(false);
    expect(second.codex.problems.map((p: { code: string }) => p.code)).toContain('hooks_modified');
  });
});
