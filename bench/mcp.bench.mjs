// node bench/mcp.bench.mjs [--quick]
// The MCP server, every figure beside a baseline measured in the same run (interleaved):
//  - start -> first tools/list answer (spawn `node ./dist/mcp.mjs` with cwd = the plugin dir, as Codex
//    does from plugin/.mcp.json; initialize, initialized, tools/list), from the source tree and from an
//    installed-looking copy in a Codex plugin cache (hook-state fingerprint + cache + config read, and
//    the background app-server check competing for the CPU), beside `node -e 0` (spawn to exit) and a
//    minimal hand-written stdio MCP server answering the same three messages;
//  - per-call latency of each read-only tool and of approve (no elicitation: the needs_human path),
//    beside `ping` on the same connection.
// Also: start -> the first tools/call answer (the SDK server is loaded on the first call).
// Target: start -> first listTools <= 300 ms. Writes bench/mcp-results.json and prints a Markdown table.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const STARTS = quick ? 10 : 40;
const CALLS = quick ? 50 : 300;
const require = createRequire(join(root, 'package.json'));
const pkg = JSON.parse((await import('node:fs')).readFileSync(join(root, 'package.json'), 'utf8'));

// Bundle exactly as scripts/build.mjs does, under node_modules/.cache so better-sqlite3 resolves.
const work = join(root, 'node_modules', '.cache', 'vaibot-bench-mcp');
rmSync(work, { recursive: true, force: true });
const pluginDir = join(work, 'plugin');
mkdirSync(join(pluginDir, 'dist'), { recursive: true });
copyFileSync(join(root, 'plugin', '.mcp.json'), join(pluginDir, '.mcp.json'));
await build({
  entryPoints: [join(root, 'src/mcp/main.ts')], outfile: join(pluginDir, 'dist', 'mcp.mjs'), bundle: true, platform: 'node', format: 'esm',
  target: 'node20', minify: true, legalComments: 'none', external: ['better-sqlite3', 'tree-sitter', 'tree-sitter-bash'],
  define: { __VAIBOT_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import{createRequire as __vaibotCreateRequire}from'node:module';const require=__vaibotCreateRequire(import.meta.url);" },
  logLevel: 'error',
});
writeFileSync(join(pluginDir, 'dist', 'package.json'), '{"type":"module","private":true}\n');
const MINIMAL = join(work, 'minimal.mjs');
writeFileSync(MINIMAL, `import { createInterface } from 'node:readline';
const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\\n');
createInterface({ input: process.stdin }).on('line', (line) => { const m = JSON.parse(line); if (m.id === undefined) return;
  if (m.method === 'initialize') send({ id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'min', version: '0' } } });
  else if (m.method === 'tools/list') send({ id: m.id, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } });
  else send({ id: m.id, result: {} }); });
`);

// An installed-looking copy: <tmp>/home/.codex/plugins/cache/bench/vaibot/<version>/ with the native
// packages copied in (as the plugin ships them), a config.toml, and the real codex for the app-server check.
const tmp = mkdtempSync(join(tmpdir(), 'vaibot-mcp-bench-'));
const home = join(tmp, 'home');
const codexHome = join(home, '.codex');
const installed = join(codexHome, 'plugins', 'cache', 'bench', 'vaibot', pkg.version);
mkdirSync(join(installed, 'dist', 'node_modules'), { recursive: true });
cpSync(join(pluginDir, '.mcp.json'), join(installed, '.mcp.json'));
cpSync(join(pluginDir, 'dist', 'mcp.mjs'), join(installed, 'dist', 'mcp.mjs'));
cpSync(join(pluginDir, 'dist', 'package.json'), join(installed, 'dist', 'package.json'));
for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
  cpSync(dirname(require.resolve(`${name}/package.json`)), join(installed, 'dist', 'node_modules', name), { recursive: true, dereference: true });
}
writeFileSync(join(codexHome, 'config.toml'), '[plugins."vaibot@bench"]\nenabled = true\n');
const codexLauncher = join(dirname(require.resolve('@openai/codex/package.json')), 'bin', 'codex.js');

const baseEnv = { HOME: home, PATH: process.env.PATH ?? '', LANG: process.env.LANG ?? 'C.UTF-8', VAIBOT_HOME: join(home, '.vaibot'), VAIBOT_CODEX_BIN: codexLauncher };
const hr = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const stats = (xs) => ({ n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), max: Math.max(...xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length });

/** A JSON-RPC connection over a child's stdio, every wait bounded. */
function connect(cmd, args, cwd, env) {
  const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let buf = '';
  const waiting = new Map();
  child.stdout.on('data', (d) => {
    buf += d.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let m;
      try { m = JSON.parse(line); } catch { continue; }
      const w = waiting.get(m.id);
      if (w) { waiting.delete(m.id); clearTimeout(w.timer); w.resolve(m); }
    }
  });
  child.stderr.on('data', () => {});
  let next = 0;
  return {
    child,
    request(method, params) {
      const id = next++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { waiting.delete(id); reject(new Error(`${method}: no answer within 10 s`)); }, 10_000);
        waiting.set(id, { resolve, timer });
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    },
    notify(method) { child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`); },
    close() { child.stdin.end(); const t = setTimeout(() => child.kill('SIGKILL'), 3000); t.unref(); return new Promise((r) => child.once('exit', r)); },
  };
}

async function startToList(cmd, args, cwd, env, firstCall) {
  const t0 = hr();
  const c = connect(cmd, args, cwd, env);
  await c.request('initialize', { protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'bench', version: '0' } });
  c.notify('notifications/initialized');
  const list = await c.request('tools/list', {});
  const ms = hr() - t0;
  if (!list.result?.tools?.length) throw new Error(`no tools: ${JSON.stringify(list)}`);
  if (firstCall) {
    const r = await c.request('tools/call', { name: 'policy', arguments: {} });
    if (r.error || r.result?.isError) throw new Error(`first call failed: ${JSON.stringify(r).slice(0, 300)}`);
    firstCall.push(hr() - t0);
  }
  await c.close();
  return ms;
}

function nodeE0() {
  const t0 = hr();
  const r = spawnSync(process.execPath, ['-e', '0']);
  if (r.status !== 0) throw new Error('node -e 0 failed');
  return hr() - t0;
}

// Warm the OS caches (and the hook-state cache of the installed copy).
await startToList(process.execPath, ['./dist/mcp.mjs'], pluginDir, baseEnv);
await startToList(process.execPath, ['./dist/mcp.mjs'], installed, baseEnv);
await new Promise((r) => setTimeout(r, 2000)); // let the first background app-server check finish and write its cache

const start = { node: [], minimal: [], source: [], installed: [], firstCall: [] };
for (let i = 0; i < STARTS; i++) {
  start.node.push(nodeE0());
  start.minimal.push(await startToList(process.execPath, [MINIMAL], work, baseEnv));
  start.source.push(await startToList(process.execPath, ['./dist/mcp.mjs'], pluginDir, baseEnv, start.firstCall));
  start.installed.push(await startToList(process.execPath, ['./dist/mcp.mjs'], installed, baseEnv));
}

// Per-call latency on one connection, with a blocked action seeded through the approval store.
const seedEntry = join(work, 'seed.ts');
writeFileSync(seedEntry, `export { approvalGate, markBlockDelivered } from '${root}/src/governance/approvalGate.ts';\n`);
await build({ entryPoints: [seedEntry], outfile: join(work, 'seed.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
const seed = await import(join(work, 'seed.mjs'));
const hash = `sha256:${'ab'.repeat(32)}`;
seed.approvalGate({ home: baseEnv.VAIBOT_HOME, hash, tool: 'Bash', sessionId: 'bench', at: Date.now(), ttlMs: 3_600_000, reason: 'bench' });
seed.markBlockDelivered(baseEnv.VAIBOT_HOME, hash, Date.now());

const c = connect(process.execPath, ['./dist/mcp.mjs'], pluginDir, baseEnv);
await c.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } });
c.notify('notifications/initialized');
const calls = { ping: [], status: [], pending: [], recent: [], policy: [], verify: [], approve: [] };
const args = { status: {}, pending: {}, recent: {}, policy: {}, verify: { hash }, approve: { hash } };
for (let i = 0; i < CALLS; i++) {
  let t0 = hr();
  await c.request('ping', {});
  calls.ping.push(hr() - t0);
  for (const [name, a] of Object.entries(args)) {
    t0 = hr();
    const r = await c.request('tools/call', { name, arguments: a });
    calls[name].push(hr() - t0);
    if (r.error || r.result?.isError) throw new Error(`${name} failed: ${JSON.stringify(r).slice(0, 300)}`);
  }
}
await c.close();
rmSync(tmp, { recursive: true, force: true });

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick,
  target_start_to_list_ms: 300,
  start_to_first_list_ms: {
    'node -e 0 (spawn to exit)': stats(start.node),
    'minimal stdio MCP server (no SDK)': stats(start.minimal),
    'vaibot MCP, source tree (no hook check)': stats(start.source),
    'vaibot MCP, installed copy (fingerprint + cached hook state)': stats(start.installed),
  },
  start_to_first_tool_call_ms: { 'vaibot MCP, source tree: first tools/call (loads the SDK server)': stats(start.firstCall) },
  per_call_ms: Object.fromEntries(Object.entries(calls).map(([k, v]) => [k === 'ping' ? 'ping (baseline)' : k === 'approve' ? 'approve (needs_human)' : k, stats(v)])),
};
writeFileSync(join(root, 'bench', 'mcp-results.json'), `${JSON.stringify(results, null, 2)}\n`);
const f = (x) => x.toFixed(1);
console.log(`MCP server (${results.cpu}, ${results.cores} cores, ${results.node}${quick ? ', quick' : ''})\n`);
console.log('| start -> first tools/list | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|');
for (const [k, s] of Object.entries({ ...results.start_to_first_list_ms, ...results.start_to_first_tool_call_ms })) console.log(`| ${k} | ${s.n} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.max)} |`);
console.log('\n| per call | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|');
for (const [k, s] of Object.entries(results.per_call_ms)) console.log(`| ${k} | ${s.n} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.max)} |`);
