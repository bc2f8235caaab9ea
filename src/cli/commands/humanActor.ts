import { userInfo } from 'node:os';
import type { Approver } from '../../../machines/approval.types.js';

/** The human acting through the CLI: the OS user (and VAIBOT_APPROVER if set, e.g. a name). */
export function cliApprover(env: NodeJS.ProcessEnv): Approver {
  let user = 'unknown';
  try { user = userInfo().username; } catch { /* no passwd entry */ }
  const named = env.VAIBOT_APPROVER?.trim();
  return { id: named ? `${named} (${user})` : user, via: 'cli' };
}
