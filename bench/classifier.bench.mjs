// node bench/classifier.bench.mjs [--rounds N] [--loads N]
// Bundles bench/classifier.bench.ts with esbuild (tree-sitter stays external, resolved from
// node_modules), then: parser load time over N fresh processes, and classification throughput
// and latency over the corpus. Prints a summary and writes bench/classifier-results.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const rounds = arg('--rounds', 20);
const loads = arg('--loads', 15);
const outDir = join(root, 'node_modules', '.cache', 'vaibot-bench');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, 'classifier.bench.mjs');
buildSync({
  entryPoints: [join(root, 'bench', 'classifier.bench.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: out,
  external: ['tree-sitter', 'tree-sitter-bash'],
  logLevel: 'error',
});

const runNode = (args) => {
  const r = spawnSync(process.execPath, [out, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};

runNode(['load']); // warm the OS file cache
const loadSamples = [];
for (let i = 0; i < loads; i++) loadSamples.push(runNode(['load']).loadMs);
loadSamples.sort((a, b) => a - b);
const pct = (s, p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
const run = runNode(['run', String(rounds)]);

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  parserLoadMs: { n: loadSamples.length, min: +loadSamples[0].toFixed(2), p50: +pct(loadSamples, 50).toFixed(2), p95: +pct(loadSamples, 95).toFixed(2), max: +loadSamples[loadSamples.length - 1].toFixed(2) },
  loadAverage: loadavg(),
  classify: run,
};
writeFileSync(join(root, 'bench', 'classifier-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`machine load average: ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
console.log(`parser load (fresh process, n=${loadSamples.length}): min ${results.parserLoadMs.min} ms, p50 ${results.parserLoadMs.p50} ms, p95 ${results.parserLoadMs.p95} ms`);
console.log(`classify + evaluate over ${run.cases} corpus cases x ${run.rounds}: ${run.commandsPerSecond} commands/s`);
console.log(`  every sample:          p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, max ${run.maxMs} ms`);
console.log(`  per-case median:       p50 ${run.perCaseMedianP50Ms} ms, p99 ${run.perCaseMedianP99Ms} ms, max ${run.perCaseMedianMaxMs} ms`);
console.log('slowest:', run.slowest.map((s) => `${s.ms} ms ${JSON.stringify(s.case)}`).join('\n         '));
