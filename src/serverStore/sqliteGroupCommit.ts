import type { Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { VaibotError } from '../util/vaibotError.js';
import type { ServerDatabase } from './schema.js';
import type { AccountTx } from './serverStore.js';
import { isDbError, storeError } from './storeError.js';
import { sqliteAccountTxFactory, touchAccount } from './sqliteAccountTx.js';

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
 * The group runs on the raw connection while holding Kysely's only connection, so no other query
 * interleaves with it. The functions passed to {@link GroupCommit.run} must therefore use only the
 * transaction they are given, never the store itself.
 */
export function sqliteGroupCommit(db: Kysely<ServerDatabase>, raw: BetterSqlite3.Database): GroupCommit {
  let queue: Job[] = [];
  let running: Promise<void> | null = null;
  // prepared on first use: the tables exist only once migrations have run
  let prepared: {
    txOf: (accountId: string) => AccountTx; touch: (accountId: string) => boolean;
    savepoint: BetterSqlite3.Statement; release: BetterSqlite3.Statement; rollbackTo: BetterSqlite3.Statement;
  } | null = null;

  async function runGroup(group: Job[]): Promise<void> {
    prepared ??= {
      txOf: sqliteAccountTxFactory(raw), touch: touchAccount(raw),
      savepoint: raw.prepare('SAVEPOINT account_tx'), release: raw.prepare('RELEASE account_tx'), rollbackTo: raw.prepare('ROLLBACK TO account_tx'),
    };
    const { txOf, touch, savepoint, release, rollbackTo } = prepared;
    const settle: Array<() => void> = [];
    try {
      raw.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const j of group) j.reject(storeError('an account transaction', err));
      return;
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
    } catch (err) {
      try { if (raw.inTransaction) raw.exec('ROLLBACK'); } catch { /* the connection reports it next time */ }
      for (const j of group) j.reject(storeError('an account transaction', err));
      return;
    }
    for (const s of settle) s();
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
    },
  };
}
