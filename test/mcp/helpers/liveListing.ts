import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createVaibotMcpServer } from '../../../src/mcp/createVaibotMcpServer.js';
import type { HookState } from '../../../src/mcp/hookState/hookState.js';
import type { McpContext } from '../../../src/mcp/mcpContext.js';

/** The SDK server's own raw answers to `initialize` (for `state`) and `tools/list`: what the start-up front must reproduce. */
export async function liveHandshake(state: HookState, protocolVersion = '2025-06-18'): Promise<{ initialize: unknown; tools: unknown }> {
  const server = createVaibotMcpServer({} as McpContext, state, 'live'); // listing never touches the context
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const answers = new Map<unknown, unknown>();
  clientSide.onmessage = (m: JSONRPCMessage) => {
    if ('id' in m && 'result' in m) answers.set(m.id, m.result);
  };
  await clientSide.start();
  await clientSide.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 't', version: '0' } } });
  await clientSide.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await clientSide.send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
  for (let i = 0; i < 100 && answers.size < 2; i++) await new Promise((r) => setTimeout(r, 10));
  await server.close();
  return { initialize: answers.get(1), tools: (answers.get(2) as { tools: unknown }).tools };
}
