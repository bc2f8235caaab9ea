import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bundle a TypeScript fixture into a runnable .mjs (so tests can start it as a real process). */
export function bundleFixture(entry: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'vaibot-fixture-')), 'fixture.mjs');
  buildSync({
    entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    external: ['better-sqlite3', 'tree-sitter', 'tree-sitter-bash'], logLevel: 'error',
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    nodePaths: [join(process.cwd(), 'node_modules')],
  });
  return out;
}
