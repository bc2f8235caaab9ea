import type { Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { VaibotError } from '../util/vaibotError.js';
import type { ServerDatabase } from './schema.js';
import type { AccountTx } from './serverStore.js';
import { isDbError, storeError } from './storeError.js';
import { sqliteAccountTxFactory, touchAccount } from './sqliteAccountTx.js';
import { walSync, type WalSync } from './walSync.js';

/** Most account transactions folded into one commit. */
const MAX_BATCH = 256;

interface Job {
  accountId: string;
  fn: (tx: AccountTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Account transactions that share commits: see {@link sqliteGroupCommit}. */
export interface GroupCommit {
  /** Run `fn` as one account transaction; resolves only after the commit that makes it durable. */
  run<T>(accountId: string, fn: (tx: AccountTx) => Promise<T>): Promise<T>;
  /** Wait until every queued transaction has committed or failed. */
  drain(): Promise<void>;
  /** Resolves once every commit made so far is on the disk (for reads that must not show anything that is not). */
  durable(): Promise<void>;
  /** Drain, then release the log's file descriptor. */
  close(): Promise<void>;
}

/**
 * How a group's commit reaches the disk. A connection set to `synchronous = FULL` (the default) in
 * WAL mode is switched to NORMAL for the group's commit and the log is flushed on the thread pool
 * afterwards ({@link walSync}); nobody's promise settles before that flush, so a commit is exactly as
 * durable as with FULL but the event loop keeps serving requests while the disk works. Anything
 * else (NORMAL, an in-memory database) commits as configured.
 */
/** The group's statements, prepared once. */
interface Prepared {
  txOf: (accountId: string) => AccountTx;
  touch: (accountId: string) => boolean;
  savepoint: BetterSqlite3.Statement;
  release: BetterSqlite3.Statement;
  rollbackTo: BetterSqlite3.Statement;
  deferSync: BetterSqlite3.Statement;
  restoreSync: BetterSqlite3.Statement;
}

function asyncDurability(raw: BetterSqlite3.Database): WalSync | null {
  if (raw.memory) return null;
  const journal = String(raw.pragma('journal_mode', { simple: true })).toLowerCase();
  const level = Number(raw.pragma('synchronous', { simple: true }));
  return journal === 'wal' && level >= 2 ? walSync(`${raw.name}-wal`) : null;
}

/**
 * Group commit for SQLite, which has a single writer and pays one fsync per commit. Account
 * transactions that arrive while a commit is in progress (or in the same turn of the event loop)
 * run one after another inside one database transaction, each in its own savepoint, and commit
 * together: one fsync for the whole group. A transaction that throws is rolled back to its
 * savepoint alone and its caller gets the error; no caller's promise settles before the commit, so
 * nobody sees a result that is not yet durable. If the commit fails, every caller in the group gets
 * the error and nothing of the group is stored.
 *
 * The commit's fsync runs off the event loop when the connection is set to FULL: see
 * {@link asyncDurability}.
 *
 * The group runs on the raw connection while holding Kysely's only connection, so no other query
 * interleaves with it. The functions passed to {@link GroupCommit.run} must therefore use only the
 * transaction they are given, never the store itself.
 */
export function sqliteGroupCommit(db: Kysely<ServerDatabase>, raw: BetterSqlite3.Database): GroupCommit {
  let queue: Job[] = [];
  let running: Promise<void> | null = null;
  // prepared on first use: the tables exist only once migrations have run
  let prepared: Prepared | null = null;
  const wal = asyncDurability(raw);
  const restoreLevel = Number(raw.pragma('synchronous', { simple: true }));

  /** BEGIN, each job in its savepoint, COMMIT; false (every caller rejected) if the transaction itself failed. */
  async function commitGroup(group: Job[], settle: Array<() => void>, p: Prepared): Promise<boolean> {
    const { txOf, touch, savepoint, release, rollbackTo } = p;
    try {
      raw.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const j of group) j.reject(storeError('an account transaction', err));
      return false;
    }
    try {
      for (const job of group) {
        savepoint.run();
        try {
          if (!touch(job.accountId)) throw new VaibotError('not_found', `no account ${job.accountId}`);
          const value = await job.fn(txOf(job.accountId));
          release.run();
          settle.push(() => job.resolve(value));
        } catch (err) {
          rollbackTo.run();
          release.run();
          settle.push(() => job.reject(isDbError(err) ? storeError('an account transaction', err) : err));
        }
      }
      raw.exec('COMMIT');
      return true;
    } catch (err) {
      try { if (raw.inTransaction) raw.exec('ROLLBACK'); } catch { /* the connection reports it next time */ }
      for (const j of group) j.reject(storeError('an account transaction', err));
      return false;
    }
  }

  async function runGroup(group: Job[]): Promise<void> {
    prepared ??= {
      txOf: sqliteAccountTxFactory(raw), touch: touchAccount(raw),
      savepoint: raw.prepare('SAVEPOINT account_tx'), release: raw.prepare('RELEASE account_tx'), rollbackTo: raw.prepare('ROLLBACK TO account_tx'),
      deferSync: raw.prepare('PRAGMA synchronous = NORMAL'), restoreSync: raw.prepare(`PRAGMA synchronous = ${restoreLevel}`),
    };
    const settle: Array<() => void> = [];
    if (wal) prepared.deferSync.run();
    try {
      if (!(await commitGroup(group, settle, prepared))) return;
    } finally {
      // every other writer on this connection keeps the configured level
      if (wal) prepared.restoreSync.run();
    }
    if (!wal) {
      for (const s of settle) s();
      return;
    }
    // settle once the log is on the disk; the next group may commit meanwhile
    wal.sync().then(
      () => { for (const s of settle) s(); },
      (err: unknown) => { for (const j of group) j.reject(storeError('flushing a commit to the disk', err)); },
    );
  }

  async function loop(): Promise<void> {
    try {
      while (queue.length > 0) {
        // let the event loop take in every request that is ready, so they join this group
        await new Promise<void>((r) => setImmediate(r));
        const group = queue.slice(0, MAX_BATCH);
        queue = queue.slice(group.length);
        try {
          await db.connection().execute(() => runGroup(group));
        } catch (err) {
          for (const j of group) j.reject(storeError('an account transaction', err)); // (a second settle is a no-op)
        }
      }
    } finally {
      running = null;
    }
  }

  return {
    run<T>(accountId: string, fn: (tx: AccountTx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ accountId, fn, resolve: resolve as (v: unknown) => void, reject });
        running ??= loop();
      });
    },
    async drain() {
      while (running) await running;
      await wal?.settled();
    },
    durable: () => wal?.settled() ?? Promise.resolve(),
    async close() {
      await this.drain();
      wal?.close();
    },
  };
}
