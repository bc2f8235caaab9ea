import { userInfo } from 'node:os';
import type { Approver } from '../../machines/approval.types.js';

/** The person at this machine's Codex, answering an MCP elicitation (OS user, plus VAIBOT_APPROVER if set). */
export function elicitationApprover(env: NodeJS.ProcessEnv): Approver {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry
  }
  const named = env.VAIBOT_APPROVER?.trim();
  return { id: named ? `${named} (${user})` : user, via: 'mcp-elicitation' };
}

/** The agent itself, approving on the user's standing permission (VAIBOT_AGENT_APPROVALS=1). */
export function agentApprover(sessionId: string | null): Approver {
  return { id: sessionId ? `codex agent (session ${sessionId})` : 'codex agent', via: 'agent-mediated' };
}
