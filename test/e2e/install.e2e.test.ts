import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import install from '../../src/cli/commands/install.js';
import uninstall from '../../src/cli/commands/uninstall.js';
import doctor, { type DoctorReport } from '../../src/cli/commands/doctor.js';
import type { CliIO } from '../../src/cli/command.js';
import { listHooks, listPlugins, readHooksFeature, runCodex } from '../../src/codexctl/index.js';
import { createStandinRepo, makeTempLayout, type TempLayout } from './harness/index.js';

// `vaibot install` / `doctor` / `uninstall` against the real Codex CLI, with the stand-in plugin
// (its PreToolUse hook denies `rm -rf` and DENYME with the exact deny JSON).

let dirs: TempLayout;
let repo: string;

function io(extra: Record<string, string> = {}): CliIO & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout: (text: string) => {
      captured.out += text;
    },
    stderr: (text: string) => {
      captured.err += text;
    },
    env: { ...process.env, HOME: dirs.home, CODEX_HOME: dirs.codexHome, VAIBOT_HOME: dirs.vaibotHome, ...extra },
  };
  return captured;
}

async function doctorReport(): Promise<{ code: number; report: DoctorReport; failed: string[] }> {
  const cli = io();
  const code = await doctor(['--json'], cli);
  const report = JSON.parse(cli.out) as DoctorReport;
  return { code, report, failed: report.checks.filter((c) => c.status === 'fail').map((c) => c.id) };
}

const ctx = () => ({ codexHome: dirs.codexHome, home: dirs.home, env: { ...process.env, HOME: dirs.home, CODEX_HOME: dirs.codexHome } });

beforeAll(async () => {
  dirs = await makeTempLayout('vaibot-install-');
  repo = await createStandinRepo(join(dirs.root, 'repo'));
});

afterAll(async () => {
  await dirs?.cleanup();
});

describe('vaibot install, doctor and uninstall on the real Codex CLI', () => {
  it('doctor before install: not active, says to run vaibot install', async () => {
    const { code, report, failed } = await doctorReport();
    expect(code).toBe(1);
    expect(report.active).toBe(false);
    expect(failed).toContain('installed');
    expect(report.checks.find((c) => c.id === 'installed')?.fix).toContain('vaibot install');
  });

  it('install registers the marketplace, adds the plugin and trusts its hooks, saying so', async () => {
    const cli = io();
    const code = await install(['--root', repo], cli);
    expect(cli.err).toBe('');
    expect(code).toBe(0);
    expect(cli.out).toMatch(/marketplace standin registered/);
    expect(cli.out).toMatch(/plugin vaibot@standin 0\.0\.1 installed/);
    expect(cli.out).toMatch(/trusted 1 hook\(s\) of vaibot@standin through codex app-server/);
    const plugins = await listPlugins(ctx());
    expect(plugins.installed.map((p) => [p.pluginId, p.enabled])).toEqual([['vaibot@standin', true]]);
    expect((await listHooks(ctx())).map((h) => h.trustStatus)).toEqual(['trusted']);
  });

  it('install again is idempotent', async () => {
    const cli = io();
    expect(await install(['--root', repo], cli)).toBe(0);
    expect(cli.out).toMatch(/already registered/);
    expect(cli.out).toMatch(/already trusted/);
  });

  it('doctor after install: every check passes, the installed hook allows ls and denies rm -rf ~', async () => {
    const { code, report } = await doctorReport();
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.map((c) => c.id)).toEqual(['node', 'codex', 'config', 'installed', 'enabled', 'hooks_feature', 'trusted', 'sample_allow', 'sample_deny']);
    expect(report.checks.find((c) => c.id === 'sample_deny')?.detail).toContain('stand-in policy denies this call');
    const cli = io();
    expect(await doctor([], cli)).toBe(0);
    expect(cli.out).toContain('Governance is ACTIVE');
  });

  it('doctor: a change to the installed files (an upgrade) makes the hooks modified; install re-trusts', async () => {
    const installed = join(dirs.codexHome, 'plugins', 'cache', 'standin', 'vaibot', '0.0.1', 'dist', 'hook.mjs');
    await appendFile(installed, '\n// edited after trust\n');
    const { code, report, failed } = await doctorReport();
    expect(code).toBe(1);
    expect(failed).toEqual(['trusted']);
    expect(report.checks.find((c) => c.id === 'trusted')?.detail).toMatch(/changed since they were trusted/);
    expect(await install(['--root', repo], io())).toBe(0); // re-copies from the source and trusts
    expect((await doctorReport()).code).toBe(0);
  });

  it('doctor: hooks turned off with `codex features disable hooks` is governance off', async () => {
    await runCodex(['features', 'disable', 'hooks'], { ...ctx(), timeoutMs: 15_000 });
    try {
      expect((await readHooksFeature(dirs.codexHome)).hooksDisabled).toBe(true);
      const { code, failed, report } = await doctorReport();
      expect(code).toBe(1);
      expect(failed).toEqual(['hooks_feature']);
      expect(report.checks.find((c) => c.id === 'hooks_feature')?.fix).toMatch(/features/);
      const cli = io();
      expect(await install(['--root', repo], cli)).toBe(1);
      expect(cli.err).toMatch(/hooks are turned off/);
    } finally {
      await runCodex(['features', 'enable', 'hooks'], { ...ctx(), timeoutMs: 15_000 });
    }
    expect((await doctorReport()).code).toBe(0);
  });

  it('doctor: a disabled plugin is governance off', async () => {
    const path = join(dirs.codexHome, 'config.toml');
    const original = await readFile(path, 'utf8');
    await writeFile(path, original.replace(/(\[plugins\."vaibot@standin"\]\nenabled = )true/, '$1false'));
    try {
      const { code, failed } = await doctorReport();
      expect(code).toBe(1);
      expect(failed).toEqual(['enabled']);
    } finally {
      await writeFile(path, original);
    }
  });

  it('doctor: an installed hook that lets the dangerous sample through fails the deny check', async () => {
    const weak = await createStandinRepo(join(dirs.root, 'weak-repo'), { denyPattern: 'NEVER-MATCHES-ANYTHING' });
    expect(await install(['--root', weak], io())).toBe(0); // same marketplace name: switches source
    const { code, failed, report } = await doctorReport();
    expect(code).toBe(1);
    expect(failed).toEqual(['sample_deny']);
    expect(report.checks.find((c) => c.id === 'sample_deny')?.detail).toMatch(/allowed .*so Codex would run it/);
    expect(await install(['--root', repo], io())).toBe(0);
  });

  it('install refuses an unbuilt plugin (its hook bundle missing)', async () => {
    const unbuilt = await createStandinRepo(join(dirs.root, 'unbuilt-repo'));
    await rm(join(unbuilt, 'plugin', 'dist', 'hook.mjs'));
    const cli = io();
    expect(await install(['--root', unbuilt], cli)).toBe(1);
    expect(cli.err).toMatch(/not built/);
  });

  it('uninstall removes the plugin, its trust entries and its marketplace', async () => {
    const cli = io();
    expect(await uninstall([], cli)).toBe(0);
    expect(cli.out).toMatch(/removed plugin vaibot@standin/);
    expect(cli.out).toMatch(/unregistered marketplace standin/);
    const plugins = await listPlugins(ctx());
    expect(plugins.installed).toEqual([]);
    expect(plugins.available).toEqual([]);
    const config = await readHooksFeature(dirs.codexHome);
    expect(Object.keys(config.hookState)).toEqual([]);
    expect(config.plugins).toEqual({});
    expect(existsSync(join(dirs.codexHome, 'plugins', 'cache', 'standin', 'vaibot'))).toBe(false);
    const again = io();
    expect(await uninstall([], again)).toBe(0);
    expect(again.out).toMatch(/not installed/);
    expect((await doctorReport()).failed).toContain('installed');
  });
});
