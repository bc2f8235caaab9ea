import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { loadSettings } from '../config/settings.js';
import { agentApprover, elicitationApprover } from './approvers.js';
import { createVaibotMcpServer } from './createVaibotMcpServer.js';
import { HandoverTransport } from './handoverTransport.js';
import type { HookState } from './hookState/hookState.js';
import type { McpContext } from './mcpContext.js';
import { policyEngineViewer } from './policyEngineViewer.js';
import type { PolicyViewer } from './policyView.js';
import type { ReceiptVerifier } from './receiptVerification.js';
import { bundleVerifier } from './bundleVerifier.js';

/** What the front hands the full server. */
export interface FullServerOptions {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** The hook state the instructions were built from, and where it came from. */
  initial: HookState;
  basis: 'live' | 'cached';
  /** The latest hook state (waits for the full check, bounded). */
  hookState: () => Promise<HookState>;
  write: (message: JSONRPCMessage) => void;
  /** The `initialize` request the front already answered, and whether `initialized` followed. */
  initialize: JSONRPCMessage & { id: string | number };
  initialized: boolean;
  policy?: PolicyViewer;
  verifier?: ReceiptVerifier;
}

/**
 * Start the SDK server behind the front (loaded only when a request needs it): build the tool context,
 * connect the server to a {@link HandoverTransport}, and replay the handshake the front answered.
 * Returns the function that delivers each further message.
 */
export async function startFullServer(o: FullServerOptions): Promise<(message: JSONRPCMessage) => void> {
  const ctx: McpContext = {
    settings: () => loadSettings(o.env),
    now: () => Date.now(),
    log: o.log,
    hookState: o.hookState,
    human: () => elicitationApprover(o.env),
    agent: (sessionId) => agentApprover(sessionId),
    policy: o.policy ?? policyEngineViewer(o.env),
    verifier: o.verifier ?? bundleVerifier,
  };
  const server = createVaibotMcpServer(ctx, o.initial, o.basis);
  const transport = new HandoverTransport(o.write);
  server.server.onerror = (err) => o.log(`vaibot mcp: protocol error: ${err.message}`);
  await server.connect(transport);
  transport.replay(o.initialize);
  if (o.initialized) transport.deliver({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return (message) => transport.deliver(message);
}
