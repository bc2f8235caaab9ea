// Bundles one file per entry into plugin/dist and ships the native runtime packages beside them,
// so the plugin directory Codex copies into its cache is self-contained.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'plugin', 'dist');
const require = createRequire(join(root, 'package.json'));

/** Native packages loaded at run time with require(); copied, not bundled. */
const NATIVE = ['better-sqlite3', 'tree-sitter', 'tree-sitter-bash'];
/** Pure-JS packages the hook loads lazily from dist/node_modules. */
const LAZY = ['yaml'];

const entries = [
  ['cli', 'src/cli/main.ts'],
  ['mcp', 'src/mcp/main.ts'],
].filter(([, src]) => existsSync(join(root, src)));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const buildId = createHash('sha256');
for (const dir of ['src', 'machines']) {
  for (const f of readdirSync(join(root, dir), { recursive: true }).map(String).sort()) {
    if (f.endsWith('.ts')) buildId.update(f).update(readFileSync(join(root, dir, f)));
  }
}
const BUILD_ID = buildId.digest('hex').slice(0, 16);
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  define: { __VAIBOT_VERSION__: JSON.stringify(pkg.version), __VAIBOT_BUILD_ID__: JSON.stringify(BUILD_ID) },
  banner: { js: "import{createRequire as __vaibotCreateRequire}from'node:module';const require=__vaibotCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};

// The hook runs once per tool call. Its entry (hook.cjs) is a thin client: it forwards the call to a
// warm daemon (hookd.mjs) and only loads the engine itself (hook-core.mjs) when no daemon answers.
// Each is one self-contained file (the ESM loader pays per module). Paths only some calls take stay
// out of them: remote mode is its own file, and the YAML parser (needed only when a policy file
// exists) is loaded from dist/node_modules.
const hookDefine = common.define;
const apart = (from, spec, to) => ({
  name: `apart:${spec}`,
  setup(b) {
    b.onResolve({ filter: /\.js$/ }, (args) => (args.path === spec && args.importer.endsWith(from) ? { path: to, external: true } : undefined));
  },
});
const remoteApart = apart(join('src', 'hook', 'buildHookEnv.ts'), '../governance/remoteGovernance.js', './hook-remote.mjs');
const coreApart = apart(join('src', 'hook', 'main.ts'), './hookCore.js', './hook-core.mjs');
// The thin client is CommonJS: Node starts a .cjs file measurably faster than an ES module (no ESM
// loader), and this file runs once per tool call. It loads the engine with import(), which stays.
await build({
  ...common,
  format: 'cjs',
  banner: undefined,
  define: hookDefine,
  entryPoints: { hook: join(root, 'src/hook/main.ts') },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  splitting: false,
  plugins: [coreApart],
});
chmodSync(join(dist, 'hook.cjs'), 0o755);
for (const [name, src, plugins] of [
  ['hook-core', 'src/hook/hookCore.ts', [remoteApart]],
  ['hookd', 'src/hook/daemonMain.ts', [remoteApart]],
  ['hook-remote', 'src/governance/remoteGovernance.ts', []],
]) {
  await build({
    ...common,
    define: hookDefine,
    entryPoints: { [name]: join(root, src) },
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    splitting: false,
    external: [...NATIVE, 'yaml'],
    plugins,
  });
}

// The CLI and the MCP server share chunks and load their verbs lazily.
await build({
  ...common,
  entryPoints: Object.fromEntries(entries.map(([name, src]) => [name, join(root, src)])),
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: NATIVE,
});
for (const [name] of entries) chmodSync(join(dist, `${name}.mjs`), 0o755);

// Copy a package (and its runtime dependencies) into dist/node_modules, leaving out sources and tests.
const copied = new Set();
function copyPackage(name) {
  if (copied.has(name)) return;
  copied.add(name);
  const pkgJson = require.resolve(`${name}/package.json`);
  const from = dirname(pkgJson);
  const to = join(dist, 'node_modules', name);
  cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(from.length).replace(/\\/g, '/');
      if (rel === '' || rel === '/src') return true;
      if (rel.startsWith('/src/')) return rel === '/src/node-types.json';
      if (/^\/(deps|test|tests|docs|queries|vendor|node-addon-api|bindings\/(?!node))/.test(rel)) return false;
      if (/\/(obj\.target|\.deps)(\/|$)/.test(rel)) return false;
      if (/\.(c|cc|cpp|h|hpp|a|o|mk|gyp|gypi|map|md|ts|wasm)$/.test(rel)) return false;
      if (/\/prebuilds\//.test(rel) && !rel.includes(`/prebuilds/${process.platform}-${process.arch}`)) return false;
      return true;
    },
  });
  const deps = JSON.parse(readFileSync(pkgJson, 'utf8')).dependencies ?? {};
  for (const dep of Object.keys(deps)) {
    if (dep === 'node-addon-api' || dep === 'prebuild-install') continue; // build-time only
    copyPackage(dep);
  }
}
for (const name of [...NATIVE, ...LAZY]) copyPackage(name);
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
console.error(`built hook.cjs, ${entries.map(([n]) => `${n}.mjs`).join(', ')} and ${copied.size} runtime packages into plugin/dist`);
