import type { CliCommand } from '../command.js';
import { parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { statusReport } from '../../governance/statusReport.js';

/** `vaibot status [--json]`: breaker, pending approvals, mode, receipts. Reads only; creates nothing. */
const status: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, [], ['json']);
  const settings = loadSettings(io.env);
  const report = statusReport(settings);
  if (args.options.has('json')) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout([
      `VAIBot ${report.version} — mode ${report.mode}, ${report.governance.kind === 'remote' ? `remote ${report.governance.url}` : 'embedded governance'}`,
      `home: ${report.home}${report.installId ? ` (install ${report.installId})` : ' (no identity yet: created at the first Codex session)'}`,
      `breaker: ${report.breaker ? report.breaker.state : 'unreadable'}`,
      `pending approvals: ${report.pending.length}${report.pending.length ? ' — see `vaibot pending`' : ''}`,
      `receipts: ${report.receipts ?? 'unreadable'}`,
      ...report.problems.map((p) => `problem: ${p}`),
      '',
    ].join('\n'));
  }
  return report.problems.length > 0 ? 1 : 0;
};
export default status;
