// node bench/hook.bench.mjs [--quick]
// Hook wall time per event (PreToolUse allow / deny, PostToolUse, Stop), embedded enforce mode, as
// Codex runs it (a fresh `node plugin/dist/hook.cjs <event>` per call, stdin piped): through the warm
// daemon (the default) and in-process (VAIBOT_DAEMON=0), each beside `node -e 0` measured in the same
// run, interleaved. Stdin is a real pipe, written and closed before the process starts, as Codex
// (Rust's Command) hands it over; one extra row gives it a socket pair instead, as Node's spawn does. Writes bench/hook-results.json (with every sample, for the charts).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const N = quick ? 10 : 150;
const hook = join(root, 'plugin', 'dist', 'hook.cjs');
if (!existsSync(hook)) {
  console.error('plugin/dist/hook.cjs is missing: run `npm run build` first');
  process.exit(1);
}

/** p50/p95/p99 of samples (ms). */
export function percentiles(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const home = mkdtempSync(join(tmpdir(), 'vaibot-bench-'));
const fifo = join(home, 'stdin.fifo');
execFileSync('mkfifo', ['-m', '600', fifo]);

/**
 * A blocking read end of a pipe holding `input`, its writer closed (so the reader sees end of file):
 * a FIFO opened through a read-write keeper, so that no open blocks and no end is non-blocking.
 */
function pipeHolding(input) {
  const keeper = openSync(fifo, constants.O_RDWR);
  const r = openSync(fifo, constants.O_RDONLY);
  const w = openSync(fifo, constants.O_WRONLY);
  closeSync(keeper);
  if (input.length > 0) writeSync(w, input);
  closeSync(w);
  return r;
}

function time(args, input, env, { socketStdin = false } = {}) {
  const fd = socketStdin ? undefined : pipeHolding(input);
  const t0 = process.hrtime.bigint();
  const r = socketStdin
    ? spawnSync(process.execPath, args, { input, env, encoding: 'utf8' })
    : spawnSync(process.execPath, args, { stdio: [fd, 'pipe', 'pipe'], env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (fd !== undefined) closeSync(fd);
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const workspace = join(home, 'ws');
const base = { session_id: 'bench', turn_id: 't', cwd: workspace, hook_event_name: 'PreToolUse', model: 'gpt-5.5', permission_mode: 'bypassPermissions' };
const pre = (cmd, id) => JSON.stringify({ ...base, tool_name: 'Bash', tool_input: { command: cmd }, tool_use_id: id });
const post = (cmd, id) => JSON.stringify({ ...base, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: cmd }, tool_use_id: id, tool_response: 'ok\n' });
const stop = JSON.stringify({ ...base, hook_event_name: 'Stop', stop_hook_active: false });

const modes = {
  daemon: { ...process.env, VAIBOT_HOME: join(home, 'd'), HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON_IDLE_MS: '120000' },
  inprocess: { ...process.env, VAIBOT_HOME: join(home, 'p'), HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON: '0' },
};
// warm up: create the databases and identities, start the daemon
for (const env of Object.values(modes)) {
  time([hook, 'SessionStart'], JSON.stringify({ ...base, hook_event_name: 'SessionStart', source: 'startup' }), env);
  time([hook, 'PreToolUse'], pre('ls', 'warm'), env);
}
spawnSync('sleep', ['1']);
time([hook, 'PreToolUse'], pre('ls', 'warm2'), modes.daemon);

const samples = { baseline: [] };
for (const m of Object.keys(modes)) for (const e of ['pre_allow', 'pre_deny', 'post', 'stop']) samples[`${m}.${e}`] = [];
samples['daemon.pre_allow_socket_stdin'] = [];
for (let i = 0; i < N; i++) {
  samples.baseline.push(time(['-e', '0'], '', process.env).ms);
  for (const [m, env] of Object.entries(modes)) {
    const allow = time([hook, 'PreToolUse'], pre(`git status && ls -la src/${i}`, `${m}a${i}`), env);
    if (allow.stdout !== '') throw new Error(`harmless command was not allowed: ${allow.stdout}`);
    samples[`${m}.pre_allow`].push(allow.ms);
    const deny = time([hook, 'PreToolUse'], pre(`rm -rf ~/ # ${i}`, `${m}d${i}`), env);
    if (!deny.stdout.includes('"deny"')) throw new Error(`dangerous command was not denied: ${deny.stdout}`);
    samples[`${m}.pre_deny`].push(deny.ms);
    samples[`${m}.post`].push(time([hook, 'PostToolUse'], post(`git status && ls -la src/${i}`, `${m}a${i}`), env).ms);
    samples[`${m}.stop`].push(time([hook, 'Stop'], stop, env).ms);
  }
  samples['daemon.pre_allow_socket_stdin'].push(time([hook, 'PreToolUse'], pre(`git status && ls -la src/${i}`, `sa${i}`), modes.daemon, { socketStdin: true }).ms);
}
rmSync(home, { recursive: true, force: true });

const baseline = percentiles(samples.baseline);
const rows = Object.fromEntries(Object.entries(samples).filter(([k]) => k !== 'baseline').map(([k, v]) => {
  const p = percentiles(v);
  return [k, { ...p, p50_ratio: p.p50 / baseline.p50, p95_ratio: p.p95 / baseline.p95, p99_ratio: p.p99 / baseline.p99 }];
}));
const result = { quick, runs: N, mode: 'embedded enforce', baseline: { name: 'node -e 0', ...baseline }, events: rows, samples };
writeFileSync(join(root, 'bench', 'hook-results.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`hook: baseline node -e 0 p50 ${baseline.p50.toFixed(1)} ms`);
for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(20)} p50 ${v.p50.toFixed(1)} ms (${v.p50_ratio.toFixed(2)}x)  p95 ${v.p95.toFixed(1)} (${v.p95_ratio.toFixed(2)}x)  p99 ${v.p99.toFixed(1)}`);
