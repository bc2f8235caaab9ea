import type { CliCommand } from '../command.js';
import { parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { listApprovals } from '../../governance/humanApprovals.js';

/** `vaibot pending [--json] [--all]`: actions waiting for a human (or every approval record with --all). */
const pending: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, [], ['json', 'all']);
  const { home } = loadSettings(io.env);
  const now = Date.now();
  const listings = listApprovals(home);
  type Row =
    | { hash: string; state: 'unreadable'; error: string }
    | { hash: string; state: string; tool: string; reason: string; sessionId: string; requestedAt: string; expiresAt: string; decidedBy: unknown; scope: unknown };
  const rows = listings.flatMap((l): Row[] => {
    if (!l.ok) return [{ hash: l.hash, state: 'unreadable', error: l.error }];
    const a = l.approval;
    const waiting = (a.value === 'pending' || a.value === 'blocked_until_approved') && a.context.expiresAt > now;
    if (!waiting && !args.options.has('all')) return [];
    return [{
      hash: a.context.hash, state: a.value, tool: a.context.tool, reason: a.context.reason, sessionId: a.context.sessionId,
      requestedAt: new Date(a.context.requestedAt).toISOString(), expiresAt: new Date(a.context.expiresAt).toISOString(),
      decidedBy: a.context.decidedBy, scope: a.context.scope,
    }];
  });
  if (args.options.has('json')) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout('No actions are waiting for approval.\n');
    return 0;
  }
  for (const r of rows) {
    if ('error' in r) { io.stdout(`${r.hash}  UNREADABLE: ${r.error}\n`); continue; }
    io.stdout(`${r.hash}\n  ${r.state} — ${r.tool}: ${r.reason}\n  requested ${r.requestedAt}, expires ${r.expiresAt}\n  approve: vaibot approve ${r.hash}    deny: vaibot deny ${r.hash}\n`);
  }
  return 0;
};
export default pending;
