// PostToolUse secret scanning: time to scan tool outputs of 10 KB, 100 KB and 1 MB (typical build and
// test logs, with and without a secret), beside a baseline measured in the same run: one pass of a
// single simple regular expression over the same text. Run through bench/run.mjs (bundled).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { scanSecrets } from '../src/secrets/scanSecrets.js';

const root = resolve(process.argv[2] ?? '.');
const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 30;

function logText(bytes: number, withSecret: boolean): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = i % 7 === 0
      ? `  ✓ test/module${i}.test.ts (12 tests) ${i % 300}ms  sha=${createHash('sha1').update(String(i)).digest('hex')}`
      : `[${new Date(1_700_000_000_000 + i * 1000).toISOString()}] INFO build step ${i}: compiled src/file${i}.ts -> dist/file${i}.js (${i * 13 % 9999} bytes)`;
    lines.push(line);
    size += line.length + 1;
  }
  if (withSecret) lines.splice(Math.floor(lines.length / 2), 0, `export API_TOKEN="${createHash('sha256').update('s').digest('base64')}"`);
  return lines.join('\n');
}

function median(fn: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < rounds; i++) { const t0 = performance.now(); fn(); t.push(performance.now() - t0); }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)] as number;
}

const rows = [];
for (const bytes of [10_000, 100_000, 1_000_000]) {
  for (const withSecret of [false, true]) {
    const text = logText(bytes, withSecret);
    const found = scanSecrets(text).findings.length;
    const scanMs = median(() => scanSecrets(text));
    const baselineMs = median(() => { /\bERROR\b/.test(text); [...text.matchAll(/\d+ms/g)].length; });
    rows.push({ bytes, withSecret, found, scan_ms: scanMs, baseline_ms: baselineMs, ratio: scanMs / Math.max(baselineMs, 1e-6) });
    console.log(`secrets scan ${String(bytes).padStart(8)} B ${withSecret ? 'with a secret   ' : 'without secrets '} ${scanMs.toFixed(2)} ms (baseline ${baselineMs.toFixed(2)} ms), found ${found}`);
  }
}
writeFileSync(join(root, 'bench', 'secrets-results.json'), `${JSON.stringify({ rounds, rows }, null, 2)}\n`);
