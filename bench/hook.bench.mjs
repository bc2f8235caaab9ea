// npm run bench [-- --quick]: every figure beside a baseline measured in the same run.
// Writes bench/results.json and bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const N = quick ? 25 : 100;
const hook = join(root, 'plugin', 'dist', 'hook.mjs');
if (!existsSync(hook)) {
  console.error('plugin/dist/hook.mjs is missing: run `npm run build` first');
  process.exit(1);
}

function percentiles(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function time(cmd, args, input, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const home = mkdtempSync(join(tmpdir(), 'vaibot-bench-'));
const env = { ...process.env, VAIBOT_HOME: home, VAIBOT_MODE: 'enforce', HOME: home };
const base = { session_id: 'bench', turn_id: 't', cwd: home, hook_event_name: 'PreToolUse', model: 'gpt-5.5', permission_mode: 'bypassPermissions' };
const pre = (cmd, i) => JSON.stringify({ ...base, tool_name: 'Bash', tool_input: { command: cmd }, tool_use_id: `call_${i}` });
const post = (cmd, i) => JSON.stringify({ ...base, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: cmd }, tool_use_id: `call_${i}`, tool_response: 'Exit code: 0\nWall time: 0.01 seconds\nOutput:\nok\n' });
const stop = JSON.stringify({ ...base, hook_event_name: 'Stop', stop_hook_active: false });

// warm the OS caches and create the database and identity once
time(process.execPath, [hook, 'SessionStart'], JSON.stringify({ ...base, hook_event_name: 'SessionStart', source: 'startup' }), env);
time(process.execPath, [hook, 'PreToolUse'], pre('ls', -1), env);

const samples = { node: [], pre: [], preDanger: [], post: [], stop: [] };
for (let i = 0; i < N; i++) {
  // interleave so load on the machine affects baseline and subject alike
  samples.node.push(time(process.execPath, ['-e', '0'], '', env).ms);
  const r = time(process.execPath, [hook, 'PreToolUse'], pre(`git status && ls -la src/${i}`, i), env);
  if (r.stdout !== '') throw new Error(`harmless command was not allowed: ${r.stdout}`);
  samples.pre.push(r.ms);
  const d = time(process.execPath, [hook, 'PreToolUse'], pre(`rm -rf ~/ # ${i}`, `d${i}`), env);
  if (!d.stdout.includes('"deny"')) throw new Error(`dangerous command was not denied: ${d.stdout}`);
  samples.preDanger.push(d.ms);
  samples.post.push(time(process.execPath, [hook, 'PostToolUse'], post(`git status && ls -la src/${i}`, i), env).ms);
  samples.stop.push(time(process.execPath, [hook, 'Stop'], stop, env).ms);
}
rmSync(home, { recursive: true, force: true });

const baseline = percentiles(samples.node);
const rows = {
  'PreToolUse (harmless, allow)': percentiles(samples.pre),
  'PreToolUse (dangerous, deny)': percentiles(samples.preDanger),
  PostToolUse: percentiles(samples.post),
  Stop: percentiles(samples.stop),
};
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick,
  hook: {
    mode: 'embedded enforce',
    baseline: { name: 'node -e 0', ...baseline },
    events: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, { ...v, p50_ratio: v.p50 / baseline.p50, p95_ratio: v.p95 / baseline.p95 }])),
  },
};
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const f = (x) => x.toFixed(1);
const md = [
  '# Benchmark results',
  '',
  `${results.date} · Node ${results.node} · ${results.cores} cores (${results.cpu})${quick ? ' · quick mode' : ''}`,
  '',
  `## Hook wall time per event (embedded enforce, ${N} runs each, interleaved with the baseline)`,
  '',
  '| event | p50 ms | p95 ms | p99 ms | p50 ÷ `node -e 0` | p95 ÷ `node -e 0` |',
  '|---|---|---|---|---|---|',
  `| baseline: \`node -e 0\` | ${f(baseline.p50)} | ${f(baseline.p95)} | ${f(baseline.p99)} | 1.00 | 1.00 |`,
  ...Object.entries(results.hook.events).map(([k, v]) => `| ${k} | ${f(v.p50)} | ${f(v.p95)} | ${f(v.p99)} | ${v.p50_ratio.toFixed(2)} | ${v.p95_ratio.toFixed(2)} |`),
  '',
];
writeFileSync(join(root, 'bench', 'RESULTS.md'), md.join('\n'));
console.log(md.join('\n'));
