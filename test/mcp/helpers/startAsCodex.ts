import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';

/** The server entry of plugin/.mcp.json. */
export interface McpJsonServer {
  command: string;
  args: string[];
  cwd: string;
  env_vars?: string[];
}

/** Reads `<pluginDir>/.mcp.json` and returns the `vaibot` server entry. */
export function readMcpJson(pluginDir: string): McpJsonServer {
  const doc = JSON.parse(readFileSync(resolve(pluginDir, '.mcp.json'), 'utf8')) as { mcpServers: Record<string, McpJsonServer> };
  const entry = doc.mcpServers.vaibot;
  if (!entry) throw new Error(`no vaibot server in ${pluginDir}/.mcp.json`);
  return entry;
}

/** The variables Codex 0.169 passes to every stdio MCP server (observed), before `env_vars`. */
const CODEX_BASE_VARS = ['HOME', 'LANG', 'PATH', 'SHELL', 'TERM', 'TMPDIR'];

/** How the test client answers elicitations: a function, or none (capability not announced). */
export type ElicitationAnswer = ((req: ElicitRequest['params']) => ElicitResult | Promise<ElicitResult>) | undefined;

/** A started server and its SDK client. */
export interface StartedServer {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Elicitation requests the server sent. */
  elicitations: Array<ElicitRequest['params']>;
  close(): Promise<void>;
}

/**
 * Starts the server exactly as Codex does from `<pluginDir>/.mcp.json`: `command` + `args`, cwd resolved
 * against the plugin dir, an environment of Codex's base variables plus those named in `env_vars`,
 * taken from `env`. Connects an SDK client (announcing form elicitation only when `answer` is given).
 */
export async function startAsCodex(pluginDir: string, env: NodeJS.ProcessEnv, answer?: ElicitationAnswer): Promise<StartedServer> {
  const entry = readMcpJson(pluginDir);
  const childEnv: Record<string, string> = {};
  for (const name of [...CODEX_BASE_VARS, ...(entry.env_vars ?? [])]) {
    const value = env[name];
    if (value !== undefined) childEnv[name] = value;
  }
  const transport = new StdioClientTransport({ command: entry.command === 'node' ? process.execPath : entry.command, args: entry.args, cwd: resolve(pluginDir, entry.cwd), env: childEnv, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const client = new Client({ name: 'vaibot-test', version: '0.0.0' }, { capabilities: answer ? { elicitation: { form: {} } } : {} });
  const elicitations: Array<ElicitRequest['params']> = [];
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      elicitations.push(req.params);
      return answer(req.params);
    });
  }
  await client.connect(transport);
  return {
    client,
    stderr: () => err,
    elicitations,
    close: () => client.close(),
  };
}
