import type { Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { VaibotError } from '../util/vaibotError.js';
import type { ServerDatabase } from './schema.js';
import type { AccountTx } from './serverStore.js';
import { isDbError, storeError } from './storeError.js';
import { sqliteAccountTxFactory, touchAccount } from './sqliteAccountTx.js';
import { sqliteLogFold, type SqliteLogFold } from './sqliteLogFold.js';
import { walSync, type WalSync } from './walSync.js';
import { walCheckpointer, type WalCheckpointerOptions } from './walCheckpointer.js';

/** Most account transactions folded into one commit. */
const MAX_BATCH = 256;

interface Job {
  accountId: string;
  fn: (tx: AccountTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** What one job of a committed group is to be told. */
type Settled = { job: Job; ok: true; value: unknown } | { job: Job; ok: false; err: unknown };

/** Account transactions that share commits: see {@link sqliteGroupCommit}. */
export interface GroupCommit {
  /** Run `fn` as one account transaction; resolves only after the commit that makes it durable. */
  run<T>(accountId: string, fn: (tx: AccountTx) => Promise<T>): Promise<T>;
  /** Wait until every queued transaction has committed or failed. */
  drain(): Promise<void>;
  /**
   * Resolves once every commit made so far is on the disk (for reads that must not show anything
   * that is not); rejects once a commit could not be flushed.
   */
  durable(): Promise<void>;
  /** Why no write can be trusted any more (a commit that could not be flushed), or null. */
  failure(): VaibotError | null;
  /** Drain, then release the log's file descriptor. */
  close(): Promise<void>;
}

/** The group's statements, prepared once. */
interface Prepared {
  fold: SqliteLogFold | null;
  txOf: (accountId: string) => AccountTx;
  touch: (accountId: string) => boolean;
  savepoint: BetterSqlite3.Statement;
  release: BetterSqlite3.Statement;
  rollbackTo: BetterSqlite3.Statement;
  deferSync: BetterSqlite3.Statement;
  restoreSync: BetterSqlite3.Statement;
}

/**
 * How a group's commit reaches the disk. A connection set to `synchronous = FULL` (the default) in
 * WAL mode is switched to NORMAL for the group's commit and the log is flushed on the thread pool
 * afterwards ({@link walSync}); nobody's promise settles before that flush, so an acknowledged
 * commit is as durable as with FULL, but the event loop keeps serving requests while the disk
 * works. Anything else (NORMAL, an in-memory database) commits as configured. The log's path is
 * the one SQLite itself uses (symlinks resolved), from `database_list`.
 */
function asyncDurability(raw: BetterSqlite3.Database, file: string): WalSync | null {
  if (file === '') return null;
  const journal = String(raw.pragma('journal_mode', { simple: true })).toLowerCase();
  const level = Number(raw.pragma('synchronous', { simple: true }));
  if (journal !== 'wal' || level < 2) return null;
  return walSync(`${file}-wal`);
}

/** The main database's file as SQLite opened it (symlinks resolved; '' for an in-memory one). */
function mainFile(raw: BetterSqlite3.Database): string {
  if (raw.memory) return '';
  return (raw.pragma('database_list') as Array<{ name: string; file: string }>).find((d) => d.name === 'main')?.file ?? '';
}

/**
 * Group commit for SQLite, which has a single writer and pays one fsync per commit. Account
 * transactions that arrive while a commit is in progress (or in the same turn of the event loop)
 * run one after another inside one database transaction, each in its own savepoint, and commit
 * together: one fsync for the whole group. A transaction that throws is rolled back to its
 * savepoint alone and its caller gets the error; no caller's promise settles before the commit is
 * on the disk, so nobody sees a result that is not yet durable. If the commit fails, every caller
 * in the group gets the error and nothing of the group is stored.
 *
 * The commit's fsync runs off the event loop when the connection is set to FULL: see
 * {@link asyncDurability}; so do checkpoints, on a worker thread ({@link walCheckpointer}). A flush that fails is final, as in PostgreSQL: the commit is already
 * visible on the connection and the kernel may have dropped its pages, so the connection is made
 * read-only, that group and every later one are refused with `store_failed`, reads that leave the
 * server fail, and the health check reports it until the server is restarted (SQLite's recovery
 * then keeps only what reached the disk).
 *
 * The group runs on the raw connection while holding Kysely's only connection, so no other query
 * interleaves with it. The functions passed to {@link GroupCommit.run} must therefore use only the
 * transaction they are given, never the store itself.
 */
export function sqliteGroupCommit(db: Kysely<ServerDatabase>, raw: BetterSqlite3.Database, opts: { checkpoints?: WalCheckpointerOptions } = {}): GroupCommit {
  let queue: Job[] = [];
  let running: Promise<void> | null = null;
  // prepared on first use: the tables exist only once migrations have run
  let prepared: Prepared | null = null;
  const file = mainFile(raw);
  const wal = asyncDurability(raw, file);
  // the log is copied into the database on a worker thread, not inside commits on the event loop
  const checkpoints = walCheckpointer(raw, file, opts.checkpoints);
  const restoreLevel = Number(raw.pragma('synchronous', { simple: true }));
  let broken: VaibotError | null = null;

  /** Stop trusting the connection: see {@link sqliteGroupCommit}. */
  function breakDown(what: string, err: unknown): VaibotError {
    if (!broken) {
      broken = new VaibotError('store_failed', `${what} failed: ${(err as Error).message}; no write is accepted until the server restarts`, { cause: err });
      try { raw.pragma('query_only = ON'); } catch { /* every write is refused by `broken` anyway */ }
    }
    return broken;
  }

  /** BEGIN, each job in its savepoint, COMMIT; null (every caller rejected) if the transaction itself failed. */
  async function commitGroup(group: Job[], p: Prepared): Promise<Settled[] | null> {
    try {
      raw.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const j of group) j.reject(storeError('an account transaction', err));
      return null;
    }
    const settled: Settled[] = [];
    try {
      for (const job of group) {
        p.savepoint.run();
        try {
          if (!p.touch(job.accountId)) throw new VaibotError('not_found', `no account ${job.accountId}`);
          const value = await job.fn(p.txOf(job.accountId));
          p.release.run();
          settled.push({ job, ok: true, value });
        } catch (err) {
          p.rollbackTo.run();
          p.fold?.reset();
          p.release.run();
          settled.push({ job, ok: false, err: isDbError(err) ? storeError('an account transaction', err) : err });
        }
      }
      raw.exec('COMMIT');
      checkpoints?.afterCommit();
      return settled;
    } catch (err) {
      try { if (raw.inTransaction) raw.exec('ROLLBACK'); } catch { /* the connection reports it next time */ }
      p.fold?.reset();
      for (const j of group) j.reject(storeError('an account transaction', err));
      return null;
    }
  }

  function tell(settled: Settled[], failed: VaibotError | null): void {
    for (const s of settled) {
      if (!s.ok) s.job.reject(s.err);
      else if (failed) s.job.reject(failed);
      else s.job.resolve(s.value);
    }
  }

  async function runGroup(group: Job[]): Promise<void> {
    if (broken) {
      for (const j of group) j.reject(broken);
      return;
    }
    if (!prepared) {
      const fold = sqliteLogFold(raw);
      prepared = {
        fold, txOf: sqliteAccountTxFactory(raw, fold), touch: touchAccount(raw),
        savepoint: raw.prepare('SAVEPOINT account_tx'), release: raw.prepare('RELEASE account_tx'), rollbackTo: raw.prepare('ROLLBACK TO account_tx'),
        deferSync: raw.prepare('PRAGMA synchronous = NORMAL'), restoreSync: raw.prepare(`PRAGMA synchronous = ${restoreLevel}`),
      };
    }
    const p = prepared;
    if (wal) p.deferSync.run();
    let settled: Settled[] | null;
    try {
      settled = await commitGroup(group, p);
    } finally {
      // every other writer on this connection keeps the configured level; if it cannot be put
      // back they would commit without their fsync, so nothing is written any more
      if (wal) {
        try { p.restoreSync.run(); } catch (err) { breakDown('restoring synchronous = FULL', err); }
      }
    }
    if (!settled) return;
    if (!wal) {
      tell(settled, broken);
      return;
    }
    // settle once the log is on the disk; the next group may commit meanwhile. Flushes finish in
    // order, so a group whose own flush succeeds after an earlier one failed is refused too: its
    // frames follow ones that may never reach the disk.
    const done = settled;
    wal.sync().then(
      () => tell(done, broken),
      (err: unknown) => tell(done, breakDown('flushing a commit to the disk', err)),
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
      if (broken) return Promise.reject(broken);
      return new Promise<T>((resolve, reject) => {
        queue.push({ accountId, fn, resolve: resolve as (v: unknown) => void, reject });
        running ??= loop();
      });
    },
    async drain() {
      while (running) await running;
      await wal?.settled();
    },
    async durable() {
      await wal?.settled();
      if (broken) throw broken;
    },
    failure: () => broken,
    async close() {
      await this.drain();
      await checkpoints?.close();
      wal?.close();
    },
  };
}
