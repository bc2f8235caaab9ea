import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { denyIntent } from '../../governance/humanApprovals.js';
import { isContentHash } from '../../state/approvalStore.js';
import { cliApprover } from './humanActor.js';

/** `vaibot deny <hash> [--reason TEXT]`: a human denies one exact action, for good. */
const deny: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['reason']);
  const hash = args.positional[0];
  if (hash === undefined || args.positional.length !== 1 || !isContentHash(hash)) {
    io.stderr('usage: vaibot deny sha256:<64 hex> [--reason TEXT]\n');
    return 2;
  }
  const { home } = loadSettings(io.env);
  const result = denyIntent(home, hash, cliApprover(io.env), opt(args, 'reason'));
  if (result.kind === 'unchanged') {
    io.stderr(`Not changed: ${result.why}.\n`);
    return result.approval.value === 'denied' ? 0 : 1;
  }
  io.stdout(`Denied ${hash} (${result.approval.context.tool}: ${result.approval.context.reason}). Retries of this exact action stay denied.\n`);
  return 0;
};
export default deny;
