// Issues checkpoints every N receipts or T seconds, from whichever process crosses the threshold
// (normally the next hook call). The common case is one small file read; only a due checkpoint opens
// the log, folds the new receipts into the stored tree and signs.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateDir } from '../state/secureFs.js';
import { ensureLogKey } from './logKey.js';
import type { CheckpointPolicy } from './logSettings.js';
import type { CheckpointRecord } from './receiptLog.js';
import { openSqliteLog } from './sqliteLog.js';

/** The newest checkpoint as far as the checkpointer knows: tree size and when it was issued (ms). */
export interface CheckpointMark {
  size: number;
  atMs: number;
}

/** Where the checkpointer keeps its hint of the newest checkpoint (a cache of the database). */
export function checkpointMarkFile(home: string): string {
  return join(home, 'log', 'last-checkpoint.json');
}

/** Whether a checkpoint is due for a log of `size` receipts, given the newest one. Pure. */
export function isCheckpointDue(last: CheckpointMark | null, size: number, nowMs: number, policy: CheckpointPolicy): boolean {
  const covered = last?.size ?? 0;
  const waiting = size - covered;
  if (waiting <= 0) return false;
  if (waiting >= policy.every) return true;
  return policy.intervalMs > 0 && nowMs - (last?.atMs ?? 0) >= policy.intervalMs;
}

/** The hint, or null when absent or unreadable (then the database decides). */
export function readCheckpointMark(home: string): CheckpointMark | null {
  try {
    const v = JSON.parse(readFileSync(checkpointMarkFile(home), 'utf8')) as Partial<CheckpointMark>;
    return typeof v.size === 'number' && typeof v.atMs === 'number' ? { size: v.size, atMs: v.atMs } : null;
  } catch {
    return null;
  }
}

/**
 * Record the newest checkpoint in the hint file: written to a temp file and renamed (a reader never
 * sees half a file), without fsync: it is a cache of the database, and a lost update only makes the
 * next call look at the database.
 */
export function writeCheckpointMark(home: string, record: CheckpointRecord): void {
  const file = checkpointMarkFile(home);
  ensurePrivateDir(dirname(file));
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ size: record.treeSize, atMs: Date.parse(record.issuedAt) })}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** What {@link maybeCheckpoint} did. */
export interface CheckpointStep {
  /** Whether the database was opened (the threshold looked crossed). */
  checked: boolean;
  /** The checkpoint signed now, if any. */
  issued: CheckpointRecord | null;
  /** The newest checkpoint known after this step (callers may pass it back as `known`). */
  mark: CheckpointMark | null;
}

/**
 * After a receipt with sequence number `size` was stored: sign a checkpoint if the policy says one is
 * due. Cheap when not due (reads the hint file only); the due decision is re-taken inside the
 * database transaction, so concurrent callers sign at most one checkpoint per threshold.
 */
export function maybeCheckpoint(opts: {
  home: string; dbFile: string; size: number; nowMs: number; policy: CheckpointPolicy;
  /**
   * A mark this process saw before. Marks only move forward, so if a checkpoint is not due by an older
   * mark it is not due by a newer one either: the file is read only when this one says due.
   */
  known?: CheckpointMark | null;
}): CheckpointStep {
  if (opts.known && !isCheckpointDue(opts.known, opts.size, opts.nowMs, opts.policy)) return { checked: false, issued: null, mark: opts.known };
  const mark = readCheckpointMark(opts.home);
  if (!isCheckpointDue(mark, opts.size, opts.nowMs, opts.policy)) return { checked: false, issued: null, mark };
  const log = openSqliteLog(opts.dbFile);
  try {
    const { key } = ensureLogKey(opts.home, new Date(opts.nowMs));
    const due = (latest: CheckpointRecord | null, treeSize: number): boolean =>
      isCheckpointDue(latest ? { size: latest.treeSize, atMs: Date.parse(latest.issuedAt) } : null, treeSize, opts.nowMs, opts.policy);
    const { record, created } = log.issueCheckpoint(key.signer, new Date(opts.nowMs), due);
    if (record) writeCheckpointMark(opts.home, record);
    return { checked: true, issued: created ? record : null, mark: record ? { size: record.treeSize, atMs: Date.parse(record.issuedAt) } : mark };
  } finally {
    log.close();
  }
}
