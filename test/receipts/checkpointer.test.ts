import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { databaseFile } from '../../src/state/paths.js';
import { withCheckpoints } from '../../src/receipts/checkpointingStore.js';
import { isCheckpointDue, readCheckpointMark, type CheckpointStep } from '../../src/receipts/checkpointer.js';
import { openSqliteLog } from '../../src/receipts/sqliteLog.js';
import { ensureLogKey, logKeyInfoFile } from '../../src/receipts/logKey.js';
import { auditLog } from '../../src/receipts/auditLog.js';
import { parseVerifierKey } from '../../src/receipts/verifierKey.js';
import { loadLogSettings } from '../../src/receipts/logSettings.js';
import { bundleFixture } from '../helpers/bundleFixture.js';
import { tempHome } from '../helpers/tempHome.js';
import { sampleReceipt } from './logFixture.js';

describe('the checkpointer', () => {
  it('is due after N waiting receipts or T ms with receipts waiting, never with none waiting', () => {
    const p = { every: 10, intervalMs: 1000 };
    expect(isCheckpointDue(null, 0, 5000, p)).toBe(false);
    expect(isCheckpointDue(null, 1, 5000, p)).toBe(true); // never signed: the interval has long passed
    expect(isCheckpointDue({ size: 5, atMs: 4500 }, 9, 5000, p)).toBe(false);
    expect(isCheckpointDue({ size: 5, atMs: 4500 }, 15, 5000, p)).toBe(true);
    expect(isCheckpointDue({ size: 5, atMs: 4000 }, 6, 5000, p)).toBe(true);
    expect(isCheckpointDue({ size: 6, atMs: 0 }, 6, 5000, p)).toBe(false);
    expect(isCheckpointDue({ size: 5, atMs: 0 }, 6, 5000, { every: 10, intervalMs: 0 })).toBe(false);
  });

  it('reads its thresholds from VAIBOT_CHECKPOINT_EVERY and VAIBOT_CHECKPOINT_INTERVAL_MS', () => {
    expect(loadLogSettings({}).checkpoint).toEqual({ every: 100, intervalMs: 60_000 });
    expect(loadLogSettings({ VAIBOT_CHECKPOINT_EVERY: '7', VAIBOT_CHECKPOINT_INTERVAL_MS: '0' }).checkpoint).toEqual({ every: 7, intervalMs: 0 });
    expect(() => loadLogSettings({ VAIBOT_CHECKPOINT_EVERY: '0' })).toThrow(/VAIBOT_CHECKPOINT_EVERY must be a whole number >= 1/);
    expect(() => loadLogSettings({ VAIBOT_CHECKPOINT_INTERVAL_MS: '1h' })).toThrow(/VAIBOT_CHECKPOINT_INTERVAL_MS/);
  });

  it('signs from the append that crosses a threshold, and only reads a small file on the other appends', () => {
    const home = tempHome();
    const dbFile = databaseFile(home);
    let now = 1_000_000;
    const steps: CheckpointStep[] = [];
    const store = withCheckpoints(openSqliteStore(dbFile), { home, dbFile, policy: { every: 10, intervalMs: 60_000 }, now: () => now, onStep: (s) => steps.push(s), onError: (e) => { throw e; } });
    try {
      for (let i = 0; i < 25; i++) { store.append(sampleReceipt(i)); now += 100; }
      // first receipt: never signed before, so due at once; then every 10
      expect(steps.filter((s) => s.issued).map((s) => s.issued?.treeSize)).toEqual([1, 11, 21]);
      expect(steps.filter((s) => s.checked)).toHaveLength(3);
      now += 60_000;
      store.append(sampleReceipt(99));
      expect(steps.at(-1)?.issued?.treeSize).toBe(26); // the interval elapsed with receipts waiting
      expect(readCheckpointMark(home)).toEqual({ size: 26, atMs: now });
    } finally { store.close(); }
  });

  it('never fails an append when a checkpoint cannot be signed, and catches up on the next due append', () => {
    const home = tempHome();
    const dbFile = databaseFile(home);
    ensureLogKey(home);
    const errors: unknown[] = [];
    const store = withCheckpoints(openSqliteStore(dbFile), { home, dbFile, policy: { every: 3, intervalMs: 0 }, onError: (e) => errors.push(e) });
    try {
      const good = readFileSync(logKeyInfoFile(home), 'utf8');
      writeFileSync(logKeyInfoFile(home), '{ broken');
      for (let i = 0; i < 4; i++) expect(store.append(sampleReceipt(i)).seq).toBe(i + 1);
      expect(String(errors[0])).toMatch(/the log key .* is unreadable/);
      expect(store.count()).toBe(4);
      writeFileSync(logKeyInfoFile(home), good);
      const errorsBefore = errors.length;
      store.append(sampleReceipt(4));
      expect(errors).toHaveLength(errorsBefore);
      expect(readCheckpointMark(home)?.size).toBe(5);
    } finally { store.close(); }
  });

  it('signs at most one checkpoint per threshold when 4 processes append concurrently, and the log audits clean', async () => {
    const home = tempHome();
    mkdirSync(home, { recursive: true });
    openSqliteStore(databaseFile(home)).close();
    const worker = bundleFixture(join(import.meta.dirname, 'fixtures', 'checkpointWorker.ts'));
    const runs = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [worker, home, '40', '10'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: join(process.cwd(), 'node_modules') } });
      let out = '';
      let err = '';
      const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (c) => { out += c; });
      child.stderr.on('data', (c) => { err += c; });
      child.on('exit', (code) => { clearTimeout(kill); resolve({ code, out, err }); });
    })));
    for (const r of runs) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toEqual({ failures: 0 });
    }
    const log = openSqliteLog(databaseFile(home), { readonly: true });
    try {
      const sizes = log.checkpoints().map((c) => c.treeSize);
      expect(sizes[0]).toBeGreaterThanOrEqual(10);
      for (let i = 1; i < sizes.length; i++) expect((sizes[i] as number) - (sizes[i - 1] as number)).toBeGreaterThanOrEqual(10);
      expect(sizes.at(-1)).toBeGreaterThanOrEqual(151);
      const { key } = ensureLogKey(home);
      const a = auditLog(log, parseVerifierKey(key.verifierKey));
      expect(a.summary).toMatch(/^ok receipts=160 checkpoints=\d+ latest=\d+ unsigned_tail=\d$/);
    } finally { log.close(); }
  }, 90_000);
});
