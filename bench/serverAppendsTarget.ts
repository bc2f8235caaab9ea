// Bundled by bench/serverAppends.bench.mjs: receipts appended per second through the server's store
// (SQLite, FULL sync, group commit, 64 concurrent writers) while its log schedule folds them into the
// tree and signs checkpoints every 100 receipts (checked every 2 s, as `vaibot serve` does); beside bare better-sqlite3 inserts of the same bytes
// (one durable commit per row, and all rows in one commit), measured in the same run.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openServerStore } from '../src/serverStore/openServerStore.js';
import { serverLog } from '../src/server/serverLog.js';
import { ensureLogKey } from '../src/receipts/logKey.js';
import type { Receipt } from '../src/receipts/receipt.js';

const require = createRequire(import.meta.url);
const [dir, nRaw] = process.argv.slice(2) as [string, string];
const N = Number(nRaw);
const CONNS = 64;

function receipt(i: number): Receipt {
  return {
    v: 1, id: `r-${i}-${Math.random().toString(36).slice(2)}`, kind: 'decision', content_hash: `sha256:${i.toString(16).padStart(64, '0')}`, tool: 'Bash', cwd: '/work',
    intent: { kind: 'shell', command: `ls -la src/dir${i % 100}` }, risk: { level: 'none', rule_ids: [], reason: 'no rule matched' }, decision: 'allow', mode: 'enforce',
    shadow_decision: 'allow', basis: 'policy', approval_state: null, session_id: 'bench', turn_id: 't', tool_use_id: `c${i}`, event: 'PreToolUse',
    agent: { name: 'codex', model: 'gpt', install_id: 'bench' }, at: new Date(1_700_000_000_000 + i).toISOString(), follows: null,
  };
}

// ours: the server store + its log schedule
const store = await openServerStore({ dialect: 'sqlite', file: join(dir, 'server.db') }, { sqliteSync: 'FULL' });
await store.createAccount({ id: 'acct', label: 'bench', fingerprintHash: null, at: Date.now() });
const log = serverLog({ store, log: store.log, key: ensureLogKey(join(dir, 'key')).key, policy: { every: 100, intervalMs: 0 } });
const stop = log.start(2_000); // the schedule of `vaibot serve` (runServer: every 2 s)
let next = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: CONNS }, async () => {
  while (next < N) { const i = next++; await store.withAccount('acct', (tx) => tx.appendReceipt(receipt(i))); }
}));
const appendMs = performance.now() - t0;
await stop();
// the tail: fold what the schedule had not yet reached into the tree and sign a checkpoint over all
// of it; the headline figure counts this time too (every receipt appended AND covered by a signature)
const { scopedSigner } = await import('../src/receipts/kyselyLog.js');
await store.log.issueCheckpoint('acct', scopedSigner(ensureLogKey(join(dir, 'key')).key, 'acct'), new Date());
const oursMs = performance.now() - t0;
const cp = await store.log.latestCheckpoint('acct');
const checkpoints = (await store.log.checkpoints('acct')).length;
await store.close();

// baselines: the same bytes, bare better-sqlite3, same pragmas
const Database = require('better-sqlite3') as typeof BetterSqlite3;
function bare(file: string): BetterSqlite3.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE r (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, body TEXT)');
  return db;
}
const perRowN = Math.min(N, 2_000);
const a = bare(join(dir, 'bare1.db'));
const insA = a.prepare('INSERT INTO r (id, body) VALUES (?, ?)');
let t = performance.now();
for (let i = 0; i < perRowN; i++) { const r = receipt(i); insA.run(r.id, JSON.stringify(r)); }
const perRowMs = performance.now() - t;
a.close();
const b = bare(join(dir, 'bare2.db'));
const insB = b.prepare('INSERT INTO r (id, body) VALUES (?, ?)');
t = performance.now();
b.transaction(() => { for (let i = 0; i < N; i++) { const r = receipt(i); insB.run(r.id, JSON.stringify(r)); } })();
const oneTxMs = performance.now() - t;
b.close();

process.stdout.write(`${JSON.stringify({
  receipts: N, writers: CONNS, appends_per_s: N / oursMs * 1000, appends_only_per_s: N / appendMs * 1000, checkpoints, checkpoint_tree_size: cp?.treeSize ?? 0,
  bare_durable_per_row_per_s: perRowN / perRowMs * 1000, bare_one_commit_per_s: N / oneTxMs * 1000,
})}\n`);
