import { VERSION } from '../util/version.js';

/** The name Codex registers the server under (so its tools are `mcp__vaibot__*`, which the hook skips). */
export const MCP_SERVER_NAME = 'vaibot';

/** What the server says about itself at `initialize`. */
export const SERVER_INFO = { name: MCP_SERVER_NAME, title: 'VAIBot Governance', version: VERSION } as const;

/** The capabilities announced at `initialize` (what the SDK's McpServer announces for a tools-only server). */
export const SERVER_CAPABILITIES = { tools: { listChanged: true } } as const;
