import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { approveIntent } from '../../governance/humanApprovals.js';
import { isContentHash } from '../../state/approvalStore.js';
import type { ApprovalScope } from '../../../machines/approval.types.js';
import { VaibotError } from '../../util/vaibotError.js';
import { cliApprover } from './humanActor.js';
import { grantLapsed } from '../../../machines/approval.machine.js';

/** Parse `--scope once | session | until=<ISO time or 30m/2h/1d>`. */
export function parseScope(raw: string | undefined, sessionId: string | undefined, now: number): ApprovalScope | 'session-of-request' {
  if (raw === undefined || raw === 'once') return { kind: 'once' };
  if (raw === 'session') return sessionId ? { kind: 'session', sessionId } : 'session-of-request';
  const m = /^until=(.+)$/.exec(raw);
  if (m) {
    const v = (m[1] as string).trim();
    const rel = /^(\d+)\s*(m|h|d)$/.exec(v);
    const until = rel ? now + Number(rel[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'm' | 'h' | 'd'] : Date.parse(v);
    if (!Number.isFinite(until) || until <= now) throw new VaibotError('input_invalid', `--scope until=… needs a future time (ISO 8601, or 30m / 2h / 1d), got ${JSON.stringify(v)}`);
    return { kind: 'until', until };
  }
  throw new VaibotError('input_invalid', `--scope must be once, session or until=<time>, got ${JSON.stringify(raw)}`);
}

/** `vaibot approve <hash> [--scope …] [--session ID]`: a human approves one exact action. */
const approve: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['scope', 'session']);
  const hash = args.positional[0];
  if (hash === undefined || args.positional.length !== 1 || !isContentHash(hash)) {
    io.stderr('usage: vaibot approve sha256:<64 hex> [--scope once|session|until=<time>] [--session ID]\n');
    return 2;
  }
  const { home } = loadSettings(io.env);
  const now = Date.now();
  let scope = parseScope(opt(args, 'scope'), opt(args, 'session'), now);
  if (scope === 'session-of-request') {
    const { loadApproval } = await import('../../state/approvalStore.js');
    const cur = loadApproval(home, hash);
    if (!cur) throw new VaibotError('not_found', `no approval request for ${hash}: check the hash with \`vaibot pending\``);
    scope = { kind: 'session', sessionId: cur.context.sessionId };
  }
  const result = approveIntent(home, hash, cliApprover(io.env), scope, now);
  if (result.kind === 'unchanged') {
    io.stderr(`Not approved: ${result.why}.\n`);
    // already approved and still usable: nothing to do; lapsed, expired, used or denied: not approved
    return result.approval.value === 'approved' && !grantLapsed(result.approval.context, now) ? 0 : 1;
  }
  const c = result.approval.context;
  const scopeText = scope.kind === 'once' ? 'once' : scope.kind === 'session' ? `for session ${scope.sessionId}` : `until ${new Date(scope.until).toISOString()}`;
  io.stdout(`Approved ${hash} (${c.tool}: ${c.reason}) ${scopeText}.\nAsk the agent to retry the same action; it will be allowed.\n`);
  return 0;
};
export default approve;
