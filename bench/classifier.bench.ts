/**
 * Classifier benchmark over the labelled corpus: commands classified per second, p50/p99 per
 * command after the parser is loaded, and the parser's load time in a fresh process.
 *
 * Run it with `node bench/classifier.bench.mjs` (bundles this file with esbuild, then runs it).
 * Modes: `load` prints one JSON line with the first-load time of the native parser (run in a fresh
 * process per sample); `run` (default) measures classification.
 */
import { bashParserLoadMs, loadBashParser } from '../src/risk/bashParser.js';
import { classify } from '../src/risk/classify.js';
import { DEFAULT_POLICY } from '../src/policy/defaultPolicy.js';
import { evaluate } from '../src/policy/evaluate.js';
import { CORPUS } from '../test/corpus/corpus.js';
import { CORPUS_HOME } from '../test/corpus/corpusCase.js';
import { intentOf } from '../test/corpus/runCase.js';

const mode = process.argv[2] ?? 'run';

if (mode === 'load') {
  const t0 = performance.now();
  loadBashParser();
  const total = performance.now() - t0;
  process.stdout.write(JSON.stringify({ loadMs: bashParserLoadMs(), totalMs: total }) + '\n');
} else {
  const rounds = Number(process.argv[3] ?? 20);
  const cases = Object.values(CORPUS).flat();
  const inputs = cases.map((c) => ({
    intent: intentOf(c),
    ctx: {
      home: CORPUS_HOME,
      vaibotHome: `${CORPUS_HOME}/.vaibot`,
      codexHome: `${CORPUS_HOME}/.codex`,
      ...(c.sessionWrites ? { sessionWrites: new Map(Object.entries(c.sessionWrites)) } : {}),
    },
  }));
  const t0 = performance.now();
  loadBashParser();
  const loadMs = performance.now() - t0;
  const one = (i: number) => {
    const { intent, ctx } = inputs[i]!;
    const a = classify(intent, ctx);
    return evaluate(intent, a, DEFAULT_POLICY);
  };
  // warm-up: one full pass (JIT), not measured
  for (let i = 0; i < inputs.length; i++) one(i);
  const samples: number[] = [];
  const perCase = new Map<number, number>();
  const perCaseAll = new Map<number, number[]>();
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < inputs.length; i++) {
      const s = performance.now();
      one(i);
      const d = performance.now() - s;
      samples.push(d);
      perCase.set(i, Math.max(perCase.get(i) ?? 0, d));
      const list = perCaseAll.get(i) ?? [];
      list.push(d);
      perCaseAll.set(i, list);
    }
  }
  const elapsed = performance.now() - start;
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!;
  // Per-case median over the rounds: robust to a busy machine preempting single samples.
  const medians = [...perCaseAll.values()].map((l) => [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)]!).sort((a, b) => a - b);
  const atMed = (p: number) => medians[Math.min(medians.length - 1, Math.floor((p / 100) * medians.length))]!;
  const slowest = [...perCase.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([i, ms]) => {
    const c = cases[i]!;
    return { ms: Number(ms.toFixed(3)), case: (c.command ?? JSON.stringify(c.patch ?? c.mcp ?? c.unknownTool)).slice(0, 80) };
  });
  process.stdout.write(
    JSON.stringify({
      cases: inputs.length,
      rounds,
      classified: samples.length,
      commandsPerSecond: Math.round(samples.length / (elapsed / 1000)),
      p50Ms: Number(at(50).toFixed(4)),
      p99Ms: Number(at(99).toFixed(4)),
      perCaseMedianP50Ms: Number(atMed(50).toFixed(4)),
      perCaseMedianP99Ms: Number(atMed(99).toFixed(4)),
      perCaseMedianMaxMs: Number(medians[medians.length - 1]!.toFixed(4)),
      maxMs: Number(samples[samples.length - 1]!.toFixed(4)),
      parserLoadInProcessMs: Number(loadMs.toFixed(2)),
      slowest,
    }) + '\n',
  );
}
