import type { CliCommand } from '../command.js';
import { parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { statusReport } from '../../governance/statusReport.js';
import { codexHome } from '../../state/paths.js';
import { PLUGIN_NAME } from './install.js';

/** Problems that mean the plugin is installed but Codex will silently not run its hooks. */
const SILENT_OFF = new Set(['disabled', 'hooks_feature_off', 'no_hooks', 'no_pre_tool_use', 'hooks_untrusted', 'hooks_modified', 'config_invalid']);

/** Codex's view of the plugin: whether governance is really active (skipped with --no-codex). */
async function codexView(env: NodeJS.ProcessEnv) {
  const { inspectPluginStatus } = await import('../../codexctl/pluginStatus.js');
  try {
    const s = await inspectPluginStatus(PLUGIN_NAME, { codexHome: codexHome(env), env, timeoutMs: 15_000, installCommand: 'vaibot install' });
    const unknown = s.problems.some((p) => p.code === 'codex_unavailable');
    const installed = !unknown && !s.problems.some((p) => p.code === 'not_installed');
    return { active: s.active, installed, unknown, pluginId: s.pluginId ?? null, installedPath: s.installedPath ?? null, problems: s.problems, silentlyOff: installed && s.problems.some((p) => SILENT_OFF.has(p.code)) };
  } catch (err) {
    return { active: false, installed: false, unknown: true, pluginId: null, installedPath: null, problems: [{ code: 'codex_unavailable', message: err instanceof Error ? err.message : String(err), fix: 'run `vaibot doctor`' }], silentlyOff: false };
  }
}

/**
 * `vaibot status [--json] [--no-codex]`: breaker, pending approvals, mode, receipts, and whether Codex
 * really runs the plugin's hooks. Reads only; creates nothing.
 */
const status: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, [], ['json', 'no-codex']);
  const settings = loadSettings(io.env);
  const report = statusReport(settings);
  const codex = args.options.has('no-codex') ? null : await codexView(io.env);
  if (args.options.has('json')) {
    io.stdout(`${JSON.stringify({ ...report, codex }, null, 2)}\n`);
  } else {
    io.stdout([
      `VAIBot ${report.version} — mode ${report.mode}, ${report.governance.kind === 'remote' ? `remote ${report.governance.url}` : 'embedded governance'}`,
      `home: ${report.home}${report.installId ? ` (install ${report.installId})` : ' (no identity yet: created at the first Codex session)'}`,
      `breaker: ${report.breaker ? report.breaker.state : 'unreadable'}`,
      `pending approvals: ${report.pending.length}${report.pending.length ? ' — see `vaibot pending`' : ''}`,
      `receipts: ${report.receipts ?? 'unreadable'}`,
      codex === null ? 'codex: not checked (--no-codex)'
        : codex.active ? `codex: governance active (${codex.pluginId}, hooks trusted)`
          : codex.unknown ? 'codex: could not be checked'
            : codex.installed ? 'codex: GOVERNANCE OFF: Codex will run tools without VAIBot' : 'codex: the plugin is not installed (run `vaibot install`)',
      ...(codex && !codex.active ? codex.problems.map((p) => `  ${p.message} — fix: ${p.fix}`) : []),
      ...report.problems.map((p) => `problem: ${p}`),
      '',
    ].join('\n'));
  }
  // Non-zero when state is unreadable, or when the plugin is installed but its hooks silently do not run.
  return report.problems.length > 0 || codex?.silentlyOff ? 1 : 0;
};
export default status;
