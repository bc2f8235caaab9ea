import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LATEST_PROTOCOL_VERSION as SDK_LATEST, SUPPORTED_PROTOCOL_VERSIONS as SDK_SUPPORTED } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { quickHookState } from '../../src/mcp/hookState/quickHookState.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '../../src/mcp/protocolVersions.js';
import { serveStdioFront } from '../../src/mcp/stdioFront.js';
import { TOOL_LISTING } from '../../src/mcp/toolListing.js';
import { liveHandshake } from './helpers/liveListing.js';
import { REPO } from './helpers/mcpPluginDir.js';

// The start-up front answers initialize / tools/list / ping without loading the SDK. What it says must be
// exactly what the SDK server would say: these tests keep the copies equal.
// Regenerate the listing after changing a tool: VAIBOT_UPDATE_TOOL_LISTING=1 npx vitest run test/mcp/startupFront.test.ts

describe('the start-up front says what the SDK server says', () => {
  it('its tool listing is the SDK server\'s tools/list answer', async () => {
    const state = await quickHookState({ cwd: REPO, parent: null });
    const { tools } = await liveHandshake(state);
    if (process.env.VAIBOT_UPDATE_TOOL_LISTING === '1') {
      writeFileSync(
        join(REPO, 'src', 'mcp', 'toolListing.ts'),
        `/**\n * The tools/list answer of the SDK server (src/mcp/createVaibotMcpServer.ts), generated so the start-up\n * front can answer without loading the SDK. Do not edit: regenerate with\n * \`VAIBOT_UPDATE_TOOL_LISTING=1 npx vitest run test/mcp/startupFront.test.ts\` (a test fails while it differs).\n */\nexport const TOOL_LISTING: ReadonlyArray<Record<string, unknown>> = ${JSON.stringify(tools, null, 2)};\n`,
      );
      return;
    }
    expect(TOOL_LISTING).toEqual(tools);
  });

  it('it speaks the protocol versions of the pinned SDK', () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual(SDK_SUPPORTED);
    expect(LATEST_PROTOCOL_VERSION).toBe(SDK_LATEST);
  });

  it('its initialize answer equals the SDK server\'s, for a supported and an unknown protocol version', async () => {
    const state = await quickHookState({ cwd: REPO, parent: null });
    for (const version of ['2025-06-18', '1999-01-01']) {
      const live = await liveHandshake(state, version);
      const front = await talk([{ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 't', version: '0' } } }]);
      expect(front[0]).toEqual({ jsonrpc: '2.0', id: 1, result: live.initialize });
    }
  });
});

describe('the start-up front', () => {
  it('answers a ping, reports malformed lines, and hands everything else to the SDK server', async () => {
    const out = await talk(
      [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'ping' },
        'not json',
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'policy', arguments: {} } },
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'approve', arguments: { hash: 'nope' } } },
        { jsonrpc: '2.0', id: 5, method: 'resources/list' },
      ],
      { VAIBOT_HOME: join(REPO, 'node_modules', '.cache', 'vaibot-front-test-home') },
    );
    const byId = new Map(out.map((m) => [m.id, m]));
    expect(byId.get(2)).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    expect(out.find((m) => m.id === null)?.error?.code).toBe(-32700);
    expect(byId.get(3)?.result?.structuredContent?.source).toBe('builtin');
    expect(byId.get(4)?.result?.isError).toBe(true);
    expect(byId.get(5)?.error?.code).toBe(-32601);
    expect(out.filter((m) => m.id === 1)).toHaveLength(1); // the replayed initialize is not answered twice
    expect(out.map((m) => m.id).filter((id) => typeof id === 'number').sort()).toEqual([1, 2, 3, 4, 5]); // one answer each (in completion order)
  });
});

type Out = { id?: unknown; result?: any; error?: { code: number } };

/** Feed messages to an in-process front, end stdin, and collect every line it wrote. */
async function talk(messages: Array<object | string>, env: Record<string, string> = {}): Promise<Out[]> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  const done = serveStdioFront({ env: { HOME: REPO, ...env }, cwd: REPO, stdin, stdout, log: () => undefined, parent: null });
  for (const m of messages) stdin.write(`${typeof m === 'string' ? m : JSON.stringify(m)}\n`);
  // let the SDK server answer before stdin ends
  for (let i = 0; i < 200; i++) {
    const ids = text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Out).id);
    const wanted = messages.filter((m): m is { id: unknown } => typeof m === 'object' && 'id' in m).map((m) => m.id);
    if (wanted.every((id) => ids.includes(id))) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  stdin.end();
  await done;
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Out);
}
