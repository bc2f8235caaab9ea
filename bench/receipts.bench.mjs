// node bench/receipts.bench.mjs [--quick] [--max N]
// The receipts log, every figure beside a baseline measured in the same run:
//  - appends/s through the real store + checkpointer (checkpoint every 100) vs a bare SQLite insert
//    of the same bytes with the same pragmas, at log sizes 10^3 .. 10^6;
//  - inclusion-proof time from stored subtrees vs a single primary-key SELECT, at the same sizes;
//  - bytes stored per receipt (receipts table vs the tree and checkpoints);
//  - the checkpoint step on the hook path (not due / due) vs the append it follows;
//  - hook latency (real hook process) with an empty log vs the largest log.
// Writes bench/receipts-results.json and prints a Markdown table.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const maxArg = process.argv.indexOf('--max');
const MAX = maxArg > 0 ? Number(process.argv[maxArg + 1]) : quick ? 10_000 : 1_000_000;
const SIZES = [1_000, 10_000, 100_000, 1_000_000].filter((n) => n <= MAX);
const WINDOW_MAX = quick ? 500 : 2_000; // appends timed at each size (at most half the size)
const PROOFS = quick ? 200 : 1_000;

// Bundle the TypeScript modules once; the output sits under node_modules so better-sqlite3 resolves.
const cache = join(root, 'node_modules', '.cache', 'vaibot-bench');
mkdirSync(cache, { recursive: true });
const entry = join(cache, 'entry.ts');
writeFileSync(entry, [
  `export { openSqliteStore, receiptLeafHash } from '${root}/src/store/sqliteStore.ts';`,
  `export { openSqliteLog } from '${root}/src/receipts/sqliteLog.ts';`,
  `export { withCheckpoints } from '${root}/src/receipts/checkpointingStore.ts';`,
  `export { maybeCheckpoint } from '${root}/src/receipts/checkpointer.ts';`,
  `export { ensureLogKey } from '${root}/src/receipts/logKey.ts';`,
  `export { verifyInclusion } from '${root}/src/receipts/merkle.ts';`,
  `export { databaseFile } from '${root}/src/state/paths.ts';`,
].join('\n'));
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['better-sqlite3'], logLevel: 'error',
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" } };
await build({ ...common, entryPoints: [entry], outfile: join(cache, 'receipts.mjs') });
const hookExternal = ['better-sqlite3', 'tree-sitter', 'tree-sitter-bash'];
await build({ ...common, entryPoints: [join(root, 'src/hook/main.ts')], outfile: join(cache, 'hook.mjs'), external: hookExternal });
// The same hook with the checkpointer wired in as docs/receipts.md proposes (every store the hook opens
// wrapped with withCheckpoints), applied at bundle time only: nothing in src/ is touched.
const OPEN = /openSqliteStore\(((?:[^()]|\([^()]*\))*)\)/g;
let wiredHook = null;
await build({
  ...common, entryPoints: [join(root, 'src/hook/main.ts')], outfile: join(cache, 'hook-wired.mjs'), external: hookExternal,
  plugins: [{
    name: 'wire-checkpointer',
    setup(b) {
      b.onLoad({ filter: /src\/hook\/buildHookEnv\.ts$/ }, async (args) => {
        const src = (await import('node:fs')).readFileSync(args.path, 'utf8');
        const calls = src.replace(/^import .*$/gm, '').match(OPEN);
        if (!calls) return undefined;
        wiredHook = join(cache, 'hook-wired.mjs');
        const wired = src.replace(/^(?!import )(.*)$/gm, (line) => line.replace(OPEN, (_m, file) =>
          `__withCheckpoints(openSqliteStore(${file}), { home: __dirname(${file}), dbFile: ${file}, policy: __loadLogSettings(process.env).checkpoint, onError: (err) => process.stderr.write(\`VAIBot: no checkpoint signed this time (\${String(err)})\\n\`) })`));
        return {
          contents: `import { withCheckpoints as __withCheckpoints } from '../receipts/checkpointingStore.js';\nimport { loadLogSettings as __loadLogSettings } from '../receipts/logSettings.js';\nimport { dirname as __dirname } from 'node:path';\n${wired}`,
          loader: 'ts', resolveDir: dirname(args.path),
        };
      });
    },
  }],
});
const m = await import(join(cache, 'receipts.mjs'));
const Database = createRequire(join(cache, 'x.js'))('better-sqlite3');

const hr = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function receipt(i) {
  return {
    v: 1, id: `r-${i}-${Math.random().toString(36).slice(2)}`, kind: 'decision', content_hash: `sha256:${i.toString(16).padStart(64, '0')}`,
    tool: 'Bash', cwd: '/work/project', intent: { kind: 'shell', command: `git status && ls -la src/${i}`, cwd: '/work/project' },
    risk: { level: 'low', rule_ids: ['shell.read_only'], reason: 'reads files' }, decision: 'allow', mode: 'enforce', shadow_decision: 'allow',
    basis: 'policy', approval_state: null, session_id: 'bench', turn_id: 't', tool_use_id: `call_${i}`, event: 'PreToolUse',
    agent: { name: 'codex', model: 'gpt-5.5', install_id: 'bench' }, at: new Date(1_764_115_200_000 + i * 1000).toISOString(), follows: null,
  };
}

/** Grow the receipts table to n rows fast (one transaction per 10k, same columns the store writes). */
function prefill(dbFile, from, to) {
  const db = new Database(dbFile);
  const ins = db.prepare('INSERT INTO receipts (id, content_hash, kind, session_id, tool_use_id, at, leaf_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (let s = from; s < to; s += 10_000) {
    db.transaction(() => {
      for (let i = s; i < Math.min(to, s + 10_000); i++) {
        const r = receipt(i);
        ins.run(r.id, r.content_hash, r.kind, r.session_id, r.tool_use_id, r.at, m.receiptLeafHash(r), JSON.stringify(r));
      }
    })();
  }
  db.close();
}

function bareTable(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS t (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)');
  return db;
}

const dir = mkdtempSync(join(tmpdir(), 'vaibot-receipts-bench-'));
const home = join(dir, 'home');
const dbFile = m.databaseFile(home);
m.openSqliteStore(dbFile).close();
m.ensureLogKey(home);
const bare = bareTable(join(dir, 'bare.db'));
const bareIns = bare.prepare('INSERT INTO t (id, body) VALUES (?, ?)');
const bareSel = bare.prepare('SELECT body FROM t WHERE seq = ?');

const rows = [];
let size = 0;
let bareSize = 0;
let catchUp = null;
for (const target of SIZES) {
  const WINDOW = Math.min(WINDOW_MAX, target / 2);
  // grow both tables to `target`, then fold the new receipts into the tree (timed: catch-up rate)
  prefill(dbFile, size, target - WINDOW > size ? target - WINDOW : size);
  const b = bare;
  b.transaction(() => { for (let i = bareSize; i < target - WINDOW; i++) { const r = receipt(i); bareIns.run(r.id, JSON.stringify(r)); } })();
  bareSize = Math.max(bareSize, target - WINDOW);
  size = Math.max(size, target - WINDOW);
  const log = m.openSqliteLog(dbFile);
  const t0 = hr();
  const before = log.treeSize();
  log.sync();
  const synced = log.treeSize() - before;
  const syncMs = hr() - t0;
  if (synced > 0) catchUp = { leaves: synced, ms: syncMs, per_s: synced / (syncMs / 1000) };
  log.issueCheckpoint(m.ensureLogKey(home).key.signer, new Date());
  mkdirSync(join(home, 'log'), { recursive: true });
  writeFileSync(join(home, 'log', 'last-checkpoint.json'), JSON.stringify({ size: log.treeSize(), atMs: Date.now() }));
  log.close();

  // appends: interleave the bare insert and the real append so machine noise hits both alike
  const store = m.withCheckpoints(m.openSqliteStore(dbFile), { home, dbFile, policy: { every: 100, intervalMs: 60_000 }, onError: (e) => { throw e; } });
  const tBare = [];
  const tReal = [];
  for (let i = 0; i < WINDOW; i++) {
    const r = receipt(size + i);
    const body = JSON.stringify(r);
    let s = hr(); bareIns.run(r.id, body); tBare.push(hr() - s);
    s = hr(); store.append(r); tReal.push(hr() - s);
  }
  store.close();
  size += WINDOW;
  bareSize += WINDOW;

  // proofs: random leaves, from stored subtrees; baseline = one primary-key SELECT
  const log2 = m.openSqliteLog(dbFile);
  log2.sync();
  const n = log2.treeSize();
  const pTimes = [];
  const sTimes = [];
  const vTimes = [];
  const rootHash = log2.root(n);
  for (let i = 0; i < PROOFS; i++) {
    const idx = Math.floor(Math.random() * n);
    let s = hr(); bareSel.get(1 + Math.floor(Math.random() * bareSize)); sTimes.push(hr() - s);
    s = hr(); const proof = log2.inclusionProof(idx, n); pTimes.push(hr() - s);
    const leaf = log2.storedNode(0, idx);
    s = hr(); const ok = m.verifyInclusion(leaf, idx, n, proof, rootHash); vTimes.push(hr() - s);
    if (!ok.ok) throw new Error(`proof ${idx}/${n} failed: ${ok.reason}`);
  }
  log2.close();
  const dbBytes = statSync(dbFile).size + (() => { try { return statSync(`${dbFile}-wal`).size; } catch { return 0; } })();
  const pageBytes = (() => {
    const d = new Database(dbFile, { readonly: true });
    try {
      const stat = d.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name IN ('receipts', 'tlog_nodes', 'tlog_checkpoints', 'receipts_hash', 'receipts_session', 'sqlite_autoindex_receipts_1') GROUP BY name").all();
      return Object.fromEntries(stat.map((x) => [x.name, x.bytes]));
    } catch { return null; } finally { d.close(); }
  })();
  const row = {
    receipts: n,
    appends_per_s: 1000 / mean(tReal), append_p50_ms: pct(tReal, 50), append_p99_ms: pct(tReal, 99),
    baseline_inserts_per_s: 1000 / mean(tBare), baseline_p50_ms: pct(tBare, 50),
    proof_mean_ms: mean(pTimes), proof_p99_ms: pct(pTimes, 99), verify_mean_ms: mean(vTimes), baseline_select_mean_ms: mean(sTimes),
    db_bytes_per_receipt: dbBytes / n,
    tree_bytes_per_receipt: pageBytes ? (pageBytes.tlog_nodes ?? 0) / n : null,
    receipts_table_bytes_per_receipt: pageBytes ? ((pageBytes.receipts ?? 0) + (pageBytes.receipts_hash ?? 0) + (pageBytes.receipts_session ?? 0) + (pageBytes.sqlite_autoindex_receipts_1 ?? 0)) / n : null,
  };
  rows.push(row);
  console.error(`${n}: ${row.appends_per_s.toFixed(0)} appends/s (bare ${row.baseline_inserts_per_s.toFixed(0)}/s), proof ${row.proof_mean_ms.toFixed(3)} ms (select ${row.baseline_select_mean_ms.toFixed(3)} ms)`);
}

// Appends with fsync taken out of the picture (database on tmpfs when /dev/shm exists): the log's own
// CPU cost per receipt (JCS + hashes + insert + checkpointer), beside the bare insert on the same disk.
let cpuBound = null;
if (statSync('/dev/shm', { throwIfNoEntry: false })?.isDirectory()) {
  const shm = mkdtempSync('/dev/shm/vaibot-bench-');
  try {
    const h2 = join(shm, 'home');
    const f2 = m.databaseFile(h2);
    m.openSqliteStore(f2).close();
    m.ensureLogKey(h2);
    const b2 = bareTable(join(shm, 'bare.db'));
    const ins2 = b2.prepare('INSERT INTO t (id, body) VALUES (?, ?)');
    const st2 = m.withCheckpoints(m.openSqliteStore(f2), { home: h2, dbFile: f2, policy: { every: 100, intervalMs: 60_000 }, onError: (e) => { throw e; } });
    const h3 = join(shm, 'plain');
    const f3 = m.databaseFile(h3);
    const st3 = m.openSqliteStore(f3);
    const N2 = quick ? 2_000 : 20_000;
    const tb = [];
    const tr = [];
    const tp = [];
    for (let i = 0; i < N2; i++) {
      const r = receipt(i);
      let s = hr(); ins2.run(r.id, JSON.stringify(r)); tb.push(hr() - s);
      s = hr(); st3.append({ ...r, id: `${r.id}-p` }); tp.push(hr() - s);
      s = hr(); st2.append(r); tr.push(hr() - s);
    }
    st2.close();
    st3.close();
    b2.close();
    cpuBound = {
      receipts: N2, appends_per_s: 1000 / mean(tr), store_alone_per_s: 1000 / mean(tp), baseline_inserts_per_s: 1000 / mean(tb),
      checkpointer_overhead_ms: mean(tr) - mean(tp), append_p99_ms: pct(tr, 99),
    };
  } finally { rmSync(shm, { recursive: true, force: true }); }
}

// The checkpoint step on the hook path, in-process: not due (hint read) and due (fold 100 leaves + sign)
const stepNotDue = [];
const stepDue = [];
const appendMs = [];
{
  const store = m.openSqliteStore(dbFile);
  for (let k = 0; k < (quick ? 5 : 20); k++) {
    let last;
    for (let i = 0; i < 100; i++) {
      const s = hr(); last = store.append(receipt(size++)); appendMs.push(hr() - s);
      if (i < 99) {
        const t = hr(); const st = m.maybeCheckpoint({ home, dbFile, size: last.seq, nowMs: Date.now(), policy: { every: 100, intervalMs: 3_600_000 } }); stepNotDue.push(hr() - t);
        if (st.checked) throw new Error('unexpectedly due');
      }
    }
    const t = hr();
    const st = m.maybeCheckpoint({ home, dbFile, size: last.seq, nowMs: Date.now(), policy: { every: 100, intervalMs: 3_600_000 } });
    stepDue.push(hr() - t);
    if (!st.issued) throw new Error('checkpoint was not issued');
  }
  store.close();
}

// Hook latency: the real hook process, empty log vs the large log (interleaved)
const emptyHome = join(dir, 'empty');
const hookRuns = quick ? 10 : 30;
const hookMs = { node: [], empty: [], large: [], wiredEmpty: [], wiredLarge: [] };
const input = (i) => JSON.stringify({ session_id: 'bench', turn_id: 't', transcript_path: null, cwd: dir, hook_event_name: 'PreToolUse', model: 'gpt-5.5',
  permission_mode: 'bypassPermissions', tool_name: 'Bash', tool_input: { command: `git status && ls -la src/${i}` }, tool_use_id: `call_h${i}` });
const runHook = (h, i, bin = join(cache, 'hook.mjs')) => {
  const s = hr();
  const r = spawnSync(process.execPath, [bin, 'PreToolUse'], { input: input(i), encoding: 'utf8', env: { PATH: process.env.PATH, VAIBOT_HOME: h, HOME: h, VAIBOT_MODE: 'enforce', VAIBOT_CHECKPOINT_EVERY: '10' } });
  if (r.status !== 0 || r.stdout !== '') throw new Error(`hook: ${r.status} ${r.stdout} ${r.stderr}`);
  return hr() - s;
};
runHook(emptyHome, -1); runHook(home, -1);
const countCheckpoints = () => { const d = new Database(dbFile, { readonly: true }); try { return d.prepare('SELECT count(*) FROM tlog_checkpoints').pluck().get(); } finally { d.close(); } };
const checkpointsBefore = countCheckpoints();
rmSync(m.databaseFile(emptyHome), { force: true }); // the empty log is empty again before each call below
for (let i = 0; i < hookRuns; i++) {
  let s = hr(); spawnSync(process.execPath, ['-e', '0']); hookMs.node.push(hr() - s);
  for (const f of ['', '-wal', '-shm']) rmSync(`${m.databaseFile(emptyHome)}${f}`, { force: true });
  hookMs.empty.push(runHook(emptyHome, i));
  hookMs.large.push(runHook(home, i));
  if (wiredHook) {
    for (const f of ['', '-wal', '-shm']) rmSync(`${m.databaseFile(emptyHome)}${f}`, { force: true });
    rmSync(join(emptyHome, 'log'), { recursive: true, force: true });
    hookMs.wiredEmpty.push(runHook(emptyHome, `w${i}`, wiredHook));
    hookMs.wiredLarge.push(runHook(home, `w${i}`, wiredHook));
  }
}

const results = {
  date: new Date().toISOString(), node: process.version, cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', quick,
  sizes: rows,
  tmpfs_appends: cpuBound,
  catch_up: catchUp,
  checkpoint_step: {
    not_due_mean_ms: mean(stepNotDue), not_due_p99_ms: pct(stepNotDue, 99),
    due_mean_ms: mean(stepDue), due_p99_ms: pct(stepDue, 99),
    baseline_append_mean_ms: mean(appendMs),
    amortized_per_append_ms: (mean(stepNotDue) * 99 + mean(stepDue)) / 100,
  },
  hook: {
    runs: hookRuns, log_size: size, baseline_node_p50_ms: pct(hookMs.node, 50),
    empty_p50_ms: pct(hookMs.empty, 50), large_p50_ms: pct(hookMs.large, 50), large_vs_empty: pct(hookMs.large, 50) / pct(hookMs.empty, 50),
    wired: wiredHook ? {
      checkpoint_every: 10, checkpoints_signed_by_hooks: countCheckpoints() - checkpointsBefore,
      empty_p50_ms: pct(hookMs.wiredEmpty, 50), large_p50_ms: pct(hookMs.wiredLarge, 50),
      large_mean_ms: mean(hookMs.wiredLarge), unwired_large_mean_ms: mean(hookMs.large),
      large_p50_vs_unwired: pct(hookMs.wiredLarge, 50) / pct(hookMs.large, 50),
    } : null,
  },
};
writeFileSync(join(root, 'bench', 'receipts-results.json'), `${JSON.stringify(results, null, 2)}\n`);
const f = (x, d = 2) => (x === null || x === undefined ? 'n/a' : x.toFixed(d));
console.log('| receipts | appends/s (store + checkpointer) | bare insert/s | proof mean (p99) ms | verify ms | PK select ms | bytes/receipt (db / tree) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.receipts} | ${f(r.appends_per_s, 0)} | ${f(r.baseline_inserts_per_s, 0)} | ${f(r.proof_mean_ms, 3)} (${f(r.proof_p99_ms, 3)}) | ${f(r.verify_mean_ms, 3)} | ${f(r.baseline_select_mean_ms, 4)} | ${f(r.db_bytes_per_receipt, 0)} / ${f(r.tree_bytes_per_receipt, 0)} |`);
if (cpuBound) console.log(`\nappends on tmpfs (no fsync cost): ${f(cpuBound.appends_per_s, 0)}/s through store + checkpointer, ${f(cpuBound.store_alone_per_s, 0)}/s store alone, bare insert ${f(cpuBound.baseline_inserts_per_s, 0)}/s (${cpuBound.receipts} receipts; checkpointer adds ${f(cpuBound.checkpointer_overhead_ms, 3)} ms per append)`);
console.log(`\ncatch-up (fold stored receipts into the tree): ${catchUp ? `${f(catchUp.per_s, 0)} leaves/s over ${catchUp.leaves}` : 'n/a'}`);
const c = results.checkpoint_step;
console.log(`checkpoint step: not due ${f(c.not_due_mean_ms, 3)} ms, due ${f(c.due_mean_ms, 2)} ms (p99 ${f(c.due_p99_ms, 2)}), amortized ${f(c.amortized_per_append_ms, 3)} ms per append; the append itself ${f(c.baseline_append_mean_ms, 3)} ms`);
const h = results.hook;
console.log(`hook PreToolUse p50: empty log ${f(h.empty_p50_ms, 1)} ms, ${h.log_size}-receipt log ${f(h.large_p50_ms, 1)} ms (x${f(h.large_vs_empty, 3)}); node -e 0: ${f(h.baseline_node_p50_ms, 1)} ms`);
if (h.wired) console.log(`hook with the checkpointer wired (checkpoint every 10: ${h.wired.checkpoints_signed_by_hooks} signed by ${h.runs} hook calls on the large log): empty ${f(h.wired.empty_p50_ms, 1)} ms, large p50 ${f(h.wired.large_p50_ms, 1)} ms (x${f(h.wired.large_p50_vs_unwired, 3)} of unwired), mean ${f(h.wired.large_mean_ms, 1)} vs ${f(h.wired.unwired_large_mean_ms, 1)} ms`);
else console.log('hook with the checkpointer wired: not measured (src/hook/buildHookEnv.ts no longer calls openSqliteStore)');
rmSync(dir, { recursive: true, force: true });
