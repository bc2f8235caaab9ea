import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { HookState } from './hookState/hookState.js';
import type { McpContext } from './mcpContext.js';
import { serverInstructions } from './serverInstructions.js';
import { SERVER_INFO } from './serverIdentity.js';
import { registerApproveTool } from './tools/approveTool.js';
import { registerDenyTool } from './tools/denyTool.js';
import { registerPendingTool } from './tools/pendingTool.js';
import { registerPolicyTool } from './tools/policyTool.js';
import { registerRecentTool } from './tools/recentTool.js';
import { registerStatusTool } from './tools/statusTool.js';
import { registerVerifyTool } from './tools/verifyTool.js';

/** The tools this server offers, in listing order. */
export const MCP_TOOL_NAMES = ['status', 'pending', 'approve', 'deny', 'recent', 'policy', 'verify'] as const;

/**
 * Build the VAIBot MCP server (not yet connected): every tool registered against `ctx`, and the
 * `instructions` sent at initialize reflecting `hooks` (what is known of the hook state at start).
 */
export function createVaibotMcpServer(ctx: McpContext, hooks: HookState, basis: 'live' | 'cached'): McpServer {
  const server = new McpServer(
    { ...SERVER_INFO },
    { capabilities: { tools: {} }, instructions: serverInstructions(hooks, basis) },
  );
  registerStatusTool(server, ctx);
  registerPendingTool(server, ctx);
  registerApproveTool(server, ctx);
  registerDenyTool(server, ctx);
  registerRecentTool(server, ctx);
  registerPolicyTool(server, ctx);
  registerVerifyTool(server, ctx);
  return server;
}
