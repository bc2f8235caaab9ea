import type { Approver } from '../../machines/approval.types.js';
import type { Settings } from '../config/settings.js';
import type { HookState } from './hookState/hookState.js';
import type { PolicyViewer } from './policyView.js';
import type { ReceiptVerifier } from './receiptVerification.js';

/** Everything the tools need from the world, built once by the entry point (and by tests). */
export interface McpContext {
  /** Parse VAIBOT_* now (per call, so a fixed variable needs no restart of the check); throws `config_invalid`. */
  settings(): Settings;
  now(): number;
  /** One line to stderr (Codex keeps MCP servers' stderr in its log). Never stdout: that is the protocol. */
  log(line: string): void;
  /** The hook state: the latest result of the start-up check (waits for it, bounded). */
  hookState(): Promise<HookState>;
  /** The human answering an elicitation on this machine. */
  human(via: 'mcp-elicitation'): Approver;
  /** The agent, when agent-mediated approvals are enabled (VAIBOT_AGENT_APPROVALS=1). */
  agent(sessionId: string | null): Approver;
  policy: PolicyViewer;
  verifier: ReceiptVerifier;
}
