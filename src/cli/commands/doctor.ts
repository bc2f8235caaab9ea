import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../command.js';
import { parseArgs } from '../args.js';
import { VERSION } from '../../util/version.js';
import {
  inspectPluginStatus,
  installedHookCommands,
  pluginDataDir,
  preToolUseVerdict,
  resolveCodexBin,
  resolveCodexHome,
  runCodex,
  runHookCommand,
  type PluginProblemCode,
  type PluginStatus,
  type PreToolUseVerdict,
} from '../../codexctl/index.js';
import { PLUGIN_NAME } from './install.js';

/** The outcome of one doctor check. */
export interface DoctorCheck {
  id: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  /** What was found. */
  detail: string;
  /** What to do about it (warn/fail). */
  fix?: string;
}

/** Everything `vaibot doctor` found. */
export interface DoctorReport {
  codexHome: string;
  /** True when governance is active: every check ok or warn. */
  active: boolean;
  checks: DoctorCheck[];
}

const MIN_NODE: readonly [number, number] = [20, 19];
const HARMLESS = 'ls';
const DANGEROUS = 'rm -rf ~';

const HELP = `Usage: vaibot doctor [--json]

Checks that VAIBot governance is really active in Codex ($CODEX_HOME, default ~/.codex): Node version,
plugin installed and enabled, Codex's hooks feature on, the plugin's hooks trusted for the installed
files, and the installed PreToolUse hook run on a harmless (\`${HARMLESS}\`) and a dangerous
(\`${DANGEROUS}\`, never executed) sample in enforce mode. Exits 1 when governance is not active.
`;

function nodeCheck(): DoctorCheck {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? { id: 'node', status: 'ok', detail: `Node ${process.versions.node}` }
    : {
        id: 'node',
        status: 'fail',
        detail: `Node ${process.versions.node} is older than ${MIN_NODE.join('.')}; the hook cannot run`,
        fix: `install Node ${MIN_NODE.join('.')} or newer (the hook runs with the \`node\` on Codex's PATH)`,
      };
}

const LABEL: Record<string, string> = {
  config: 'config.toml',
  installed: 'plugin installed',
  enabled: 'plugin enabled',
  hooks_feature: 'hooks feature',
  trusted: 'hooks trusted',
  sample_allow: 'harmless sample',
  sample_deny: 'dangerous sample',
};

const PROBLEM_CHECK: Record<PluginProblemCode, string> = {
  codex_unavailable: 'codex',
  config_invalid: 'config',
  not_installed: 'installed',
  disabled: 'enabled',
  hooks_feature_off: 'hooks_feature',
  no_hooks: 'trusted',
  no_pre_tool_use: 'trusted',
  hooks_untrusted: 'trusted',
  hooks_modified: 'trusted',
};

function statusChecks(status: PluginStatus): DoctorCheck[] {
  const failed = new Map<string, DoctorCheck>();
  for (const problem of status.problems) {
    const id = PROBLEM_CHECK[problem.code];
    const prior = failed.get(id);
    failed.set(id, {
      id,
      status: 'fail',
      detail: prior ? `${prior.detail}; ${problem.message}` : problem.message,
      fix: prior?.fix ?? problem.fix,
    });
  }
  const order: Array<[string, () => string | undefined]> = [
    ['config', () => (status.config ? `config ${status.config.configPath}${status.config.configExists ? ' reads' : ' absent (Codex defaults)'}` : undefined)],
    ['installed', () => (status.entry ? `plugin ${status.entry.pluginId} ${status.entry.version ?? ''} installed at ${status.installedPath ?? '?'}` : undefined)],
    ['enabled', () => (status.entry?.enabled ? `plugin ${status.entry.pluginId} enabled` : undefined)],
    ['hooks_feature', () => (status.entry ? 'Codex hooks feature on' : undefined)],
    ['trusted', () => (status.active ? `${status.hooks.length} hook(s) trusted for the installed files: ${status.hooks.map((h) => h.event).join(', ')}` : undefined)],
  ];
  const checks: DoctorCheck[] = [];
  let blocked: string | undefined;
  for (const [id, okDetail] of order) {
    const fail = failed.get(id);
    if (fail) {
      checks.push(fail);
      blocked ??= id;
      continue;
    }
    const detail = okDetail();
    checks.push(
      detail !== undefined ? { id, status: 'ok', detail } : { id, status: 'skip', detail: `${LABEL[id]}: not checked (${LABEL[blocked ?? ''] ?? 'an earlier check'} failed)` },
    );
  }
  if (failed.has('codex')) checks.unshift(failed.get('codex')!);
  return checks;
}

function describeVerdict(verdict: PreToolUseVerdict): string {
  switch (verdict.kind) {
    case 'allow':
      return 'allowed (exit 0, empty stdout)';
    case 'deny':
      return `denied: ${JSON.stringify(verdict.reason.split('\n')[0])}`;
    case 'deny_exit2':
      return `blocked by exit 2: ${JSON.stringify(verdict.reason.split('\n')[0])}`;
    case 'rewrite':
      return 'allowed with a rewritten input';
    case 'fail_open':
      return `an output Codex ignores (${verdict.why}), so Codex would run the command`;
  }
}

async function sampleChecks(status: PluginStatus, io: CliIO): Promise<DoctorCheck[]> {
  const ids = ['sample_allow', 'sample_deny'] as const;
  if (status.installedPath === undefined || status.entry === undefined) {
    return ids.map((id) => ({ id, status: 'skip', detail: `${LABEL[id]}: not checked (plugin not installed)` }));
  }
  const pluginRoot = status.installedPath;
  let commands;
  try {
    commands = await installedHookCommands(pluginRoot, 'PreToolUse', 'Bash');
  } catch (error) {
    return ids.map((id) => ({ id, status: 'fail', detail: (error as Error).message, fix: 'reinstall: `vaibot install`' }));
  }
  if (commands.length === 0) {
    return ids.map((id) => ({ id, status: 'fail', detail: `no PreToolUse command hook for Bash in ${pluginRoot}`, fix: 'reinstall: `vaibot install`' }));
  }
  const cwd = await mkdtemp(join(tmpdir(), 'vaibot-doctor-'));
  const env: NodeJS.ProcessEnv = {
    ...io.env,
    PLUGIN_ROOT: pluginRoot,
    CLAUDE_PLUGIN_ROOT: pluginRoot,
    PLUGIN_DATA: pluginDataDir(status.codexHome, status.entry.marketplaceName, status.entry.name),
    CODEX_HOME: status.codexHome,
    VAIBOT_MODE: 'enforce',
  };
  const session = `vaibot-doctor-${Date.now()}`;
  const run = async (command: string, n: number): Promise<{ verdict: PreToolUseVerdict; ms: number }> => {
    const input = {
      session_id: session,
      turn_id: `${session}-turn`,
      transcript_path: null,
      cwd,
      hook_event_name: 'PreToolUse',
      model: 'vaibot-doctor',
      permission_mode: 'bypassPermissions',
      tool_name: 'Bash',
      tool_input: { command },
      tool_use_id: `${session}-call-${n}`,
    };
    // Every matching hook runs (concurrently in Codex); any deny blocks, any non-allow breaks "allow".
    let verdict: PreToolUseVerdict = { kind: 'allow' };
    let ms = 0;
    for (const hook of commands) {
      const result = await runHookCommand(hook.command, input, { cwd, env, timeoutMs: Math.min(hook.timeoutSec, 60) * 1000 });
      ms += result.durationMs;
      const v = preToolUseVerdict(result);
      if (v.kind === 'deny' || v.kind === 'deny_exit2') verdict = v;
      else if (v.kind !== 'allow' && verdict.kind === 'allow') verdict = v;
    }
    return { verdict, ms };
  };
  try {
    const harmless = await run(HARMLESS, 1);
    const dangerous = await run(DANGEROUS, 2);
    const allowCheck: DoctorCheck =
      harmless.verdict.kind === 'allow'
        ? { id: 'sample_allow', status: 'ok', detail: `installed PreToolUse hook allows \`${HARMLESS}\` (${harmless.ms} ms)` }
        : {
            id: 'sample_allow',
            status: 'fail',
            detail: `installed PreToolUse hook on \`${HARMLESS}\`: ${describeVerdict(harmless.verdict)}`,
            fix: 'check `vaibot policy` and `vaibot status`; reinstall with `vaibot install` if the hook is broken',
          };
    const denyCheck: DoctorCheck =
      dangerous.verdict.kind === 'deny'
        ? { id: 'sample_deny', status: 'ok', detail: `installed PreToolUse hook denies \`${DANGEROUS}\` (${dangerous.ms} ms): ${describeVerdict(dangerous.verdict)}` }
        : dangerous.verdict.kind === 'deny_exit2'
          ? {
              id: 'sample_deny',
              status: 'warn',
              detail: `installed PreToolUse hook blocks \`${DANGEROUS}\` by exit 2 instead of the deny JSON`,
              fix: 'reinstall with `vaibot install`',
            }
          : {
              id: 'sample_deny',
              status: 'fail',
              detail: `installed PreToolUse hook on \`${DANGEROUS}\` (enforce mode): ${describeVerdict(dangerous.verdict)}${dangerous.verdict.kind === 'fail_open' ? '' : ', so Codex would run it'}`,
              fix: 'check `vaibot policy` (dangerous commands must be denied) and reinstall with `vaibot install`',
            };
    return [allowCheck, denyCheck];
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

function versionCheck(status: PluginStatus): DoctorCheck | undefined {
  const installed = status.entry?.version;
  if (installed === undefined || installed === null || VERSION === 'dev') return undefined;
  return installed === VERSION
    ? { id: 'version', status: 'ok', detail: `installed plugin ${installed} matches this CLI` }
    : {
        id: 'version',
        status: 'warn',
        detail: `installed plugin is ${installed}, this CLI is ${VERSION}`,
        fix: 'run `vaibot install` with this CLI to install its plugin version (and trust it)',
      };
}

/** Runs every doctor check against `io.env` ($CODEX_HOME, PATH, VAIBOT_*). */
export async function runDoctor(io: CliIO): Promise<DoctorReport> {
  const codexHome = resolveCodexHome(io.env);
  const checks: DoctorCheck[] = [nodeCheck()];
  const bin = resolveCodexBin(io.env);
  try {
    const version = await runCodex(['--version'], { codexHome, env: io.env, timeoutMs: 15_000 });
    checks.push(
      version.exitCode === 0
        ? { id: 'codex', status: 'ok', detail: `${version.stdout.trim()} (${bin.source === 'path' ? 'codex on PATH' : bin.prefixArgs[0] ?? bin.command})` }
        : { id: 'codex', status: 'fail', detail: `codex --version failed: ${version.stderr.trim().split('\n').pop() ?? ''}`, fix: 'reinstall Codex: `npm install -g @openai/codex`' },
    );
  } catch (error) {
    checks.push({ id: 'codex', status: 'fail', detail: (error as Error).message, fix: 'install Codex: `npm install -g @openai/codex`' });
    return { codexHome, active: false, checks };
  }
  const status = await inspectPluginStatus(PLUGIN_NAME, { codexHome, env: io.env, installCommand: 'vaibot install' });
  checks.push(...statusChecks(status));
  const version = versionCheck(status);
  if (version) checks.push(version);
  checks.push(...(await sampleChecks(status, io)));
  return { codexHome, active: checks.every((check) => check.status === 'ok' || check.status === 'warn'), checks };
}

const MARK: Record<DoctorCheck['status'], string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

/** `vaibot doctor`: print each check (with its fix) and exit non-zero when governance is not active. */
export default async function doctor(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [], ['json', 'help']);
  if (args.options.has('help')) {
    io.stdout(HELP);
    return 0;
  }
  const report = await runDoctor(io);
  if (args.options.has('json')) {
    io.stdout(JSON.stringify(report, null, 2) + '\n');
  } else {
    io.stdout(`vaibot doctor (CODEX_HOME=${report.codexHome})\n`);
    for (const check of report.checks) {
      io.stdout(`${MARK[check.status]} ${check.detail}\n`);
      if (check.fix && (check.status === 'fail' || check.status === 'warn')) io.stdout(`    fix: ${check.fix}\n`);
    }
    io.stdout(
      report.active
        ? 'Governance is ACTIVE: Codex will run the VAIBot hooks on every tool call.\n'
        : 'Governance is NOT active: Codex will run tool calls without VAIBot. Apply the fixes above.\n',
    );
  }
  return report.active ? 0 : 1;
}
