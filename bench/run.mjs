// npm run bench [-- --quick]: runs every benchmark (each measures its own baseline in the same run),
// then writes bench/results.json and bench/RESULTS.md with SVG charts under bench/charts/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { cdfChart, growthChart } from './charts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const q = quick ? ['--quick'] : [];
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');

function run(name, args, timeoutMs, env = process.env) {
  if (only && !only.includes(name)) return { name, skipped: true };
  const t0 = Date.now();
  process.stderr.write(`\n== bench ${name}\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], timeout: timeoutMs });
  return { name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000, ...(r.status !== 0 ? { error: r.error?.message ?? `exit ${r.status}` } : {}) };
}

function bundle(entry) {
  const out = join(mkdtempSync(join(tmpdir(), 'vaibot-bench-')), 'bench.mjs');
  buildSync({
    entryPoints: [join(root, entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    external: ['better-sqlite3', 'tree-sitter', 'tree-sitter-bash'], logLevel: 'error', nodePaths: [join(root, 'node_modules')],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  });
  return out;
}

// Quick mode (under two minutes on two cores) keeps the per-call figures and leaves out the long
// sweeps (receipt-log growth to 10^6, server load at 1/16/64 connections): their last full results stay.
const runs = [
  run('hook', ['bench/hook.bench.mjs', ...q], 20 * 60_000),
  run('classifier', ['bench/classifier.bench.mjs', ...(quick ? ['--rounds', '2', '--loads', '5'] : [])], 10 * 60_000),
  quick ? { name: 'receipts', skipped: true } : run('receipts', ['bench/receipts.bench.mjs'], 30 * 60_000),
  run('mcp', ['bench/mcp.bench.mjs', ...q], 10 * 60_000),
  quick ? { name: 'server', skipped: true } : run('server', ['bench/server.bench.mjs'], 10 * 60_000),
  quick ? { name: 'server-appends', skipped: true } : run('server-appends', ['bench/serverAppends.bench.mjs'], 10 * 60_000),
  run('secrets', [bundle('bench/secrets.bench.ts'), root, ...q], 5 * 60_000),
  run('codex-session', [bundle('bench/codexSession.bench.ts'), root, ...q], 20 * 60_000, { ...process.env, VAIBOT_CODEX_BIN: process.env.VAIBOT_CODEX_BIN ?? join(root, 'node_modules', '@openai', 'codex', 'bin', 'codex.js') }),
];

const read = (f) => (existsSync(join(root, 'bench', f)) ? JSON.parse(readFileSync(join(root, 'bench', f), 'utf8')) : null);
const hook = read('hook-results.json');
const classifier = read('classifier-results.json');
const receipts = read('receipts-results.json');
const mcp = read('mcp-results.json');
const server = read('server-results.json');
const serverAppends = read('server-appends-results.json');
const session = read('codex-session-results.json');
const secrets = read('secrets-results.json');

const results = {
  date: new Date().toISOString(), node: process.version, cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', quick, runs,
  hook: hook && { ...hook, samples: undefined }, classifier, receipts, mcp, server, server_appends: serverAppends, codex_session: session, secrets,
};
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

mkdirSync(join(root, 'bench', 'charts'), { recursive: true });
const charts = [];
if (hook?.samples) {
  writeFileSync(join(root, 'bench', 'charts', 'hook-latency.svg'), cdfChart('PreToolUse wall time (allow), embedded enforce', {
    'node -e 0 (baseline)': hook.samples.baseline,
    'hook, warm daemon': hook.samples['daemon.pre_allow'],
    'hook, in-process': hook.samples['inprocess.pre_allow'],
  }));
  charts.push('![hook latency](charts/hook-latency.svg)');
}
if (receipts?.sizes?.length) {
  writeFileSync(join(root, 'bench', 'charts', 'receipts-growth.svg'), growthChart('Receipt log growth', 'receipts in the log', 'ms', {
    'append p50 (ms)': receipts.sizes.map((s) => [s.receipts, s.append_p50_ms]),
    'bare insert p50 (ms)': receipts.sizes.map((s) => [s.receipts, s.baseline_p50_ms]),
    'inclusion proof mean (ms)': receipts.sizes.map((s) => [s.receipts, s.proof_mean_ms]),
  }));
  charts.push('![receipts growth](charts/receipts-growth.svg)');
}

const f = (x, d = 1) => (typeof x === 'number' ? x.toFixed(d) : '–');
const md = ['# Benchmark results', '', `${results.date} · Node ${results.node} · ${results.cores} cores (${results.cpu})${quick ? ' · quick mode' : ''}`, '',
  'Every figure is beside a baseline measured in the same run. The machine is shared (load varies), so ratios matter more than absolute times.', ''];
if (hook) {
  md.push(`## Hook wall time per event (${hook.mode}, ${hook.runs} runs each, interleaved with the baseline)`, '',
    '| event | p50 ms | p95 ms | p99 ms | p50 ÷ `node -e 0` | p95 ÷ `node -e 0` |', '|---|---|---|---|---|---|',
    `| baseline: \`node -e 0\` | ${f(hook.baseline.p50)} | ${f(hook.baseline.p95)} | ${f(hook.baseline.p99)} | 1.00 | 1.00 |`,
    ...Object.entries(hook.events).map(([k, v]) => `| ${k} | ${f(v.p50)} | ${f(v.p95)} | ${f(v.p99)} | ${f(v.p50_ratio, 2)} | ${f(v.p95_ratio, 2)} |`), '',
    '`daemon.*`: the default (the engine stays warm in a per-home daemon started on first use). `inprocess.*`: VAIBOT_DAEMON=0, and the first call of a session. Stdin is a real pipe, as Codex gives it; `daemon.pre_allow_socket_stdin` gives it a socket pair instead (as Node\'s spawn does), which the hook reads asynchronously instead of in one non-blocking read.', '');
}
if (session) md.push('## A real `codex exec` with 20 scripted commands', '', `| | median ms |`, '|---|---|', `| without the plugin (baseline) | ${f(session.median_ms_without, 0)} |`, `| with the plugin (enforce) | ${f(session.median_ms_with, 0)} |`, `| ratio | ${f(session.ratio, 2)} |`, '');
if (secrets) md.push('## PostToolUse secret scan', '', '| output | scan ms | baseline ms (one simple regex pass) | secrets found |', '|---|---|---|---|', ...secrets.rows.map((r) => `| ${r.bytes} B ${r.withSecret ? 'with a secret' : 'without'} | ${f(r.scan_ms, 2)} | ${f(r.baseline_ms, 2)} | ${r.found} |`), '');
if (classifier) md.push('## Classifier', '', `${classifier.classify.cases} corpus cases × ${classifier.classify.rounds} rounds: ${classifier.classify.commandsPerSecond} commands/s, p50 ${f(classifier.classify.p50Ms, 3)} ms, p99 ${f(classifier.classify.p99Ms, 3)} ms (per-case median p99 ${f(classifier.classify.perCaseMedianP99Ms, 3)} ms); parser load p50 ${f(classifier.parserLoadMs.p50)} ms in a fresh process.`, '');
if (receipts?.sizes) {
  md.push('## Receipt log', '', '| receipts | appends/s | bare insert/s | append p99 ms | proof mean ms | PK select mean ms | bytes/receipt |', '|---|---|---|---|---|---|---|',
    ...receipts.sizes.map((s) => `| ${s.receipts} | ${f(s.appends_per_s, 0)} | ${f(s.baseline_inserts_per_s, 0)} | ${f(s.append_p99_ms, 2)} | ${f(s.proof_mean_ms, 3)} | ${f(s.baseline_select_mean_ms, 3)} | ${f(s.db_bytes_per_receipt, 0)} |`), '');
}
if (mcp) {
  md.push('## MCP server: start to first tools/list answer', '', '| | p50 ms | p95 ms |', '|---|---|---|', ...Object.entries(mcp.start_to_first_list_ms).map(([k, v]) => `| ${k} | ${f(v.p50)} | ${f(v.p95)} |`), '');
}
if (server?.results) {
  md.push(`## Governance server (${server.db}, ${server.engine} engine)`, '', '| connections | decide/s | decide p99 ms | bare Hono/s | bare p99 ms | ratio |', '|---|---|---|---|---|---|',
    ...server.results.map((r) => `| ${r.connections} | ${r.decide.rps} | ${r.decide.p99_ms} | ${r.bare.rps} | ${r.bare.p99_ms} | ${f(r.ratio, 2)} |`), '');
}
if (serverAppends) {
  md.push('## Server receipt log: appends with checkpoints on the served schedule', '',
    `${serverAppends.receipts} receipts from ${serverAppends.writers} concurrent writers into one account (SQLite, FULL sync, group commit), the log folding them into its tree and signing every 100 receipts (checked every 2 s), timed until every receipt is covered by a signed checkpoint:`, '',
    '| | per second | ratio |', '|---|---|---|',
    `| ours: stored + in the tree + signed | ${f(serverAppends.appends_per_s, 0)} | 1.00 |`,
    `| baseline: bare insert, one durable commit per row | ${f(serverAppends.bare_durable_per_row_per_s, 0)} | ${f(serverAppends.vs_bare_durable_per_row, 2)}x of it |`,
    `| ceiling: bare insert, all rows in one commit | ${f(serverAppends.bare_one_commit_per_s, 0)} | ${f(serverAppends.vs_bare_one_commit, 2)}x of it |`, '');
}
md.push('## Charts', '', ...charts, '', '## Runs', '', ...runs.map((r) => `- ${r.name}: ${r.skipped ? 'skipped' : r.ok ? `ok (${f(r.seconds, 0)} s)` : `FAILED (${r.error})`}`), '');
writeFileSync(join(root, 'bench', 'RESULTS.md'), md.join('\n'));
console.log(md.join('\n'));
process.exitCode = runs.some((r) => r.ok === false) ? 1 : 0;
