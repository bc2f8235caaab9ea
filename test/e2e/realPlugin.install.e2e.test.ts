import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import install from '../../src/cli/commands/install.js';
import doctor, { type DoctorReport } from '../../src/cli/commands/doctor.js';
import type { CliIO } from '../../src/cli/command.js';
import { createCodexHarness, exec, makeTempLayout, repoRoot, type CodexHarness, type TempLayout } from './harness/index.js';

// The real plugin from this repo (needs `npm run build`: plugin/dist/hook.cjs), installed the way a user
// does it, checked by doctor, and one enforce-mode session through the harness.
const built = existsSync(join(repoRoot, 'plugin', 'dist', 'hook.cjs'));

describe.skipIf(!built)('the real plugin: vaibot install + doctor, then a governed session', () => {
  let dirs: TempLayout;
  beforeAll(async () => {
    dirs = await makeTempLayout('vaibot-real-');
  });
  afterAll(async () => {
    await dirs?.cleanup();
  });

  function io(): CliIO & { out: string; err: string } {
    const c = {
      out: '',
      err: '',
      stdout: (t: string) => void (c.out += t),
      stderr: (t: string) => void (c.err += t),
      env: { ...process.env, HOME: dirs.home, CODEX_HOME: dirs.codexHome, VAIBOT_HOME: dirs.vaibotHome },
    };
    return c;
  }

  it('install (from this package, no --root) trusts every hook; doctor finds governance active', async () => {
    const cli = io();
    expect(await install([], cli)).toBe(0);
    expect(cli.out).toMatch(/trusted 5 hook\(s\) of vaibot@/);
    const report = io();
    const code = await doctor(['--json'], report);
    const parsed = JSON.parse(report.out) as DoctorReport;
    expect(parsed.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
  });

  describe('an enforce-mode codex exec session', () => {
    let h: CodexHarness;
    beforeAll(async () => {
      h = await createCodexHarness({ root: repoRoot, env: { VAIBOT_MODE: 'enforce' } });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('runs a harmless command and blocks a dangerous one Codex itself would let through', async () => {
      const run = await h.exec([{ calls: [exec('echo real-plugin-ok', 'ok'), exec('find ~ -name victim -exec rm -rf {} +', 'danger')] }]);
      expect(run.output('ok')).toContain('real-plugin-ok');
      expect(run.output('danger')).toMatch(/^Command blocked by PreToolUse hook: /);
    });
  });
});
