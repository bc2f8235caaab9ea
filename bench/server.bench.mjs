// node bench/server.bench.mjs [--quick] [--db postgres://…] [--engine real|stub] [--sync FULL|NORMAL]
// Decisions per second and p99 at 1, 16 and 64 connections (autocannon, loopback only), beside a
// bare Hono JSON endpoint measured in the same run. Writes bench/server-results.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : def; };
const quick = process.argv.includes('--quick');
const duration = quick ? 3 : 8;
const engine = arg('engine', 'real');
const sync = arg('sync', 'FULL');
const work = mkdtempSync(join(tmpdir(), 'vaibot-server-bench-'));
const db = arg('db', join(work, 'server.db'));

const out = join(work, 'target.mjs');
await build({
  entryPoints: [join(root, 'bench', 'serverBenchTarget.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
  external: ['better-sqlite3', 'tree-sitter', 'tree-sitter-bash', 'pg', 'pg-native', 'web-tree-sitter'], logLevel: 'error',
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  nodePaths: [join(root, 'node_modules')],
});
const child = spawn(process.execPath, [out, work, db, engine, sync], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_PATH: join(root, 'node_modules') } });
const urls = await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error('bench target did not start within 30 s')), 30_000);
  createInterface({ input: child.stdout }).once('line', (l) => { clearTimeout(t); resolve(JSON.parse(l)); });
  child.once('exit', (c) => reject(new Error(`bench target exited ${c}`)));
});

async function post(url, body, headers = {}) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return r.json();
}
const boot = await post(`${urls.server}/v2/bootstrap`, { fingerprint: `v2:bench:${crypto.randomUUID()}`, agent: 'bench' });
const key = boot.api_key;
const decideBody = JSON.stringify({ session_id: 'bench', agent_id: 'codex', tool: 'Bash', workspace_dir: work, intent: { command: 'ls -la src', cwd: work }, mode: 'enforce' });

function run(url, body, connections, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, connections, duration, pipelining: 1 }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

const results = [];
await run(`${urls.bare}/bare`, '{}', 16, {}); // warm-up
await run(`${urls.server}/v2/governance/decide`, decideBody, 16, { authorization: `Bearer ${key}` });
for (const c of [1, 16, 64]) {
  const bare = await run(`${urls.bare}/bare`, '{}', c, {});
  const dec = await run(`${urls.server}/v2/governance/decide`, decideBody, c, { authorization: `Bearer ${key}` });
  const row = {
    connections: c,
    decide: { rps: Math.round(dec.requests.average), p50_ms: dec.latency.p50, p99_ms: dec.latency.p99, non2xx: dec.non2xx, errors: dec.errors },
    bare: { rps: Math.round(bare.requests.average), p50_ms: bare.latency.p50, p99_ms: bare.latency.p99 },
  };
  row.ratio = Math.round((row.decide.rps / row.bare.rps) * 100) / 100;
  results.push(row);
  console.log(`${String(c).padStart(2)} conns  decide ${String(row.decide.rps).padStart(6)}/s p99 ${row.decide.p99_ms} ms   bare ${String(row.bare.rps).padStart(6)}/s p99 ${row.bare.p99_ms} ms   ratio ${row.ratio}${row.decide.non2xx ? `  (${row.decide.non2xx} non-2xx!)` : ''}`);
}
const summary = { at: new Date().toISOString(), engine, db: db.startsWith('postgres') ? 'postgres' : `sqlite (${sync})`, duration_s: duration, results };
writeFileSync(join(root, 'bench', 'server-results.json'), `${JSON.stringify(summary, null, 2)}\n`);
child.kill('SIGTERM');
await new Promise((r) => { child.once('exit', r); setTimeout(r, 5000); });
if (!db.startsWith('postgres')) rmSync(work, { recursive: true, force: true });
