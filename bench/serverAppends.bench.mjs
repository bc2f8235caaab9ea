// node bench/serverAppends.bench.mjs [--quick]: receipts appended per second on the server's SQLite
// store (group commit, FULL sync) with checkpoints signed on the schedule every 100 receipts, beside
// bare better-sqlite3 inserts of the same bytes measured in the same run. Writes bench/server-appends-results.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const work = mkdtempSync(join(tmpdir(), 'vaibot-server-appends-'));
const out = join(work, 'target.mjs');
await build({
  entryPoints: [join(root, 'bench', 'serverAppendsTarget.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
  external: ['better-sqlite3', 'pg', 'pg-native'], logLevel: 'error',
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" }, nodePaths: [join(root, 'node_modules')],
});
const r = spawnSync(process.execPath, [out, work, String(quick ? 5_000 : 20_000)], { env: { ...process.env, NODE_PATH: join(root, 'node_modules') }, encoding: 'utf8', timeout: 10 * 60_000 });
rmSync(work, { recursive: true, force: true });
if (r.status !== 0) { process.stderr.write(r.stderr); process.exit(1); }
const m = JSON.parse(r.stdout.trim().split('\n').pop());
const results = { date: new Date().toISOString(), node: process.version, cores: cpus().length, quick, ...m, vs_bare_durable_per_row: m.appends_per_s / m.bare_durable_per_row_per_s, vs_bare_one_commit: m.appends_per_s / m.bare_one_commit_per_s };
writeFileSync(join(root, 'bench', 'server-appends-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`server appends, each receipt stored and covered by a signed checkpoint: ${m.appends_per_s.toFixed(0)}/s (appending alone ${m.appends_only_per_s.toFixed(0)}/s; ${m.receipts} receipts, ${m.writers} writers, ${m.checkpoints} checkpoints signed, newest covers ${m.checkpoint_tree_size}); bare durable insert per row ${m.bare_durable_per_row_per_s.toFixed(0)}/s (x${results.vs_bare_durable_per_row.toFixed(2)}), bare single commit ${m.bare_one_commit_per_s.toFixed(0)}/s (x${results.vs_bare_one_commit.toFixed(2)})`);
