import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (tests run from it). */
export const REPO = resolve(import.meta.dirname, '..', '..', '..');

/** A plugin directory laid out like plugin/ (its .mcp.json and a fresh dist/mcp.mjs), for starting the server as Codex does. */
export interface McpPluginDir {
  dir: string;
  /** The bundled server. */
  bundle: string;
  cleanup(): void;
}

/**
 * Bundle src/mcp/main.ts exactly as scripts/build.mjs does (ESM, node20, minified, native modules
 * external) into `<tmp>/plugin/dist/mcp.mjs`, next to a copy of plugin/.mcp.json, and link the repo's
 * node_modules for the native packages. Tests then start it from .mcp.json like Codex would.
 */
export async function makeMcpPluginDir(): Promise<McpPluginDir> {
  const root = mkdtempSync(join(tmpdir(), 'vaibot-mcp-plugin-'));
  const dir = join(root, 'plugin');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  copyFileSync(join(REPO, 'plugin', '.mcp.json'), join(dir, '.mcp.json'));
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  const bundle = join(dir, 'dist', 'mcp.mjs');
  await build({
    entryPoints: [join(REPO, 'src', 'mcp', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    external: ['better-sqlite3', 'tree-sitter', 'tree-sitter-bash'],
    define: { __VAIBOT_VERSION__: JSON.stringify(pkg.version) },
    banner: { js: "import{createRequire as __vaibotCreateRequire}from'node:module';const require=__vaibotCreateRequire(import.meta.url);" },
    logLevel: 'error',
  });
  writeFileSync(join(dir, 'dist', 'package.json'), '{"type":"module","private":true}\n');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'dist', 'node_modules'), 'dir');
  return { dir, bundle, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
