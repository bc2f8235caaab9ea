import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_DOC } from '../../src/config/settings.js';
import { REPO } from './helpers/mcpPluginDir.js';
import { readMcpJson, startAsCodex } from './helpers/startAsCodex.js';

describe('the plugin registers the MCP server the way Codex can start it', () => {
  it('names it vaibot, runs node ./dist/mcp.mjs with cwd "." (Codex does not expand ${PLUGIN_ROOT} for MCP servers)', () => {
    const entry = readMcpJson(join(REPO, 'plugin'));
    expect(entry).toMatchObject({ command: 'node', args: ['./dist/mcp.mjs'], cwd: '.' });
    expect(JSON.stringify(entry)).not.toContain('PLUGIN_ROOT');
  });

  it('forwards every VAIBOT_* setting (Codex passes MCP servers only HOME, PATH and a few others)', () => {
    const forwarded = readMcpJson(join(REPO, 'plugin')).env_vars ?? [];
    for (const { name } of SETTINGS_DOC) expect(forwarded, name).toContain(name);
    expect(forwarded).toContain('CODEX_HOME');
  });

  it('is listed in the plugin manifest', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'plugin', '.codex-plugin', 'plugin.json'), 'utf8')) as { mcpServers?: string };
    expect(manifest.mcpServers).toBe('./.mcp.json');
  });
});

const built = existsSync(join(REPO, 'plugin', 'dist', 'mcp.mjs'));

describe.skipIf(!built)('the built plugin (npm run build)', () => {
  it('starts from plugin/.mcp.json and lists every tool, the six seed tools among them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vaibot-built-'));
    const s = await startAsCodex(join(REPO, 'plugin'), { HOME: home, PATH: process.env.PATH ?? '', VAIBOT_HOME: join(home, '.vaibot') });
    try {
      const names = (await s.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['status', 'pending', 'approve', 'deny', 'recent', 'policy', 'verify']));
      const status = await s.client.callTool({ name: 'status', arguments: {} });
      expect(status.isError).toBeFalsy();
      expect(status.structuredContent).toMatchObject({ mode: 'observe', governance: { kind: 'embedded' } });
    } finally {
      await s.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
