import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Options of {@link createStandinRepo}. */
export interface StandinOptions {
  /** Marketplace name (default `standin`). */
  market?: string;
  /** Plugin name (default `vaibot`, like the real one). */
  plugin?: string;
  version?: string;
  /**
   * JavaScript regular-expression source: a PreToolUse call whose `tool_input` JSON matches it is
   * denied with the exact deny JSON (default: `DENYME` or `rm -rf`).
   */
  denyPattern?: string;
  /** Also ship a tiny MCP stdio server named `standin` with an `echo` tool (default true). */
  mcp?: boolean;
}

/** The deny reason the stand-in gives (the model then sees `Command blocked by PreToolUse hook: <this>. Command: …`). */
export const STANDIN_DENY_REASON = 'stand-in policy denies this call';

const HOOK_SCRIPT = String.raw`// Stand-in PreToolUse hook: denies calls matching DENY_PATTERN, allows the rest (exit 0, empty stdout).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
const DENY = new RegExp(process.env.STANDIN_DENY_PATTERN || __PATTERN__);
let raw = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { raw += chunk; });
process.stdin.on('end', () => {
  let input = {};
  try { input = JSON.parse(raw); } catch { input = {}; }
  const denied = DENY.test(JSON.stringify(input.tool_input ?? null));
  if (process.env.VAIBOT_HOME) {
    try {
      mkdirSync(process.env.VAIBOT_HOME, { recursive: true });
      appendFileSync(join(process.env.VAIBOT_HOME, 'standin-hook.jsonl'),
        JSON.stringify({ event: process.argv[2] ?? '', denied, input, pluginRoot: process.env.PLUGIN_ROOT ?? null, mode: process.env.VAIBOT_MODE ?? null }) + '\n');
    } catch {}
  }
  if (denied) {
    process.stdout.write(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: __REASON__ } }));
  }
});
`;

const MCP_SCRIPT = String.raw`// Stand-in MCP stdio server "standin": one tool, echo.
import { createInterface } from 'node:readline';
const send = (msg) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  let msg; try { msg = JSON.parse(line); } catch { return; }
  if (msg.id === undefined) return;
  if (msg.method === 'initialize') {
    send({ id: msg.id, result: { protocolVersion: msg.params?.protocolVersion ?? '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'standin', version: '0.0.1' } } });
  } else if (msg.method === 'tools/list') {
    send({ id: msg.id, result: { tools: [{ name: 'echo', description: 'Echo the text back.', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }] } });
  } else if (msg.method === 'tools/call') {
    send({ id: msg.id, result: { content: [{ type: 'text', text: 'echo: ' + String(msg.params?.arguments?.text ?? '') }] } });
  } else {
    send({ id: msg.id, error: { code: -32601, message: 'method not found' } });
  }
});
`;

/**
 * Writes a marketplace at `dir` with a stand-in for our plugin: a PreToolUse hook (a tiny node script)
 * that denies what matches `denyPattern` with the exact deny JSON, logs each call to
 * `$VAIBOT_HOME/standin-hook.jsonl`, and allows the rest; optionally an MCP server `standin`. Used for
 * the harness's self-tests and for install/doctor tests before the real hook bundle exists.
 * Returns `dir` (the marketplace root).
 */
export async function createStandinRepo(dir: string, options: StandinOptions = {}): Promise<string> {
  const market = options.market ?? 'standin';
  const plugin = options.plugin ?? 'vaibot';
  const pluginDir = join(dir, 'plugin');
  await mkdir(join(dir, '.agents', 'plugins'), { recursive: true });
  await mkdir(join(pluginDir, '.codex-plugin'), { recursive: true });
  await mkdir(join(pluginDir, 'hooks'), { recursive: true });
  await mkdir(join(pluginDir, 'dist'), { recursive: true });
  await writeFile(
    join(dir, '.agents', 'plugins', 'marketplace.json'),
    JSON.stringify({ name: market, interface: { displayName: 'Stand-in' }, plugins: [{ name: plugin, source: { source: 'local', path: './plugin' } }] }, null, 2),
  );
  const manifest: Record<string, unknown> = { name: plugin, version: options.version ?? '0.0.1', description: 'Stand-in for the VAIBot plugin (tests)' };
  if (options.mcp !== false) manifest.mcpServers = './.mcp.json';
  await writeFile(join(pluginDir, '.codex-plugin', 'plugin.json'), JSON.stringify(manifest, null, 2));
  await writeFile(
    join(pluginDir, 'hooks', 'hooks.json'),
    JSON.stringify(
      { hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'node "${PLUGIN_ROOT}/dist/hook.mjs" PreToolUse', timeout: 30 }] }] } },
      null,
      2,
    ),
  );
  const pattern = options.denyPattern ?? 'DENYME|rm -rf';
  await writeFile(
    join(pluginDir, 'dist', 'hook.mjs'),
    HOOK_SCRIPT.replace('__PATTERN__', JSON.stringify(pattern)).replace('__REASON__', JSON.stringify(STANDIN_DENY_REASON)),
  );
  if (options.mcp !== false) {
    await writeFile(join(pluginDir, 'dist', 'mcp.mjs'), MCP_SCRIPT);
    await writeFile(
      join(pluginDir, '.mcp.json'),
      JSON.stringify({ mcpServers: { standin: { command: 'node', args: ['./dist/mcp.mjs'], cwd: '.' } } }, null, 2),
    );
  }
  return dir;
}
