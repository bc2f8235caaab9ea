import { sql, type Kysely, type Transaction } from 'kysely';
import { VaibotError } from '../util/vaibotError.js';
import type { ServerDatabase } from './schema.js';
import type { AccountTx } from './serverStore.js';
import { isDbError, storeError } from './storeError.js';

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
 * are run one after another inside one database transaction, each in its own savepoint, and
 * committed together: one fsync for the whole group. A transaction that throws is rolled back to
 * its savepoint alone and its caller gets the error; nobody's promise settles before the commit, so
 * no caller ever sees a result that is not yet durable. If the commit itself fails, every caller in
 * the group gets the error and nothing of the group is stored.
 */
export function sqliteGroupCommit(db: Kysely<ServerDatabase>, txOf: (trx: Transaction<ServerDatabase>, accountId: string) => AccountTx): GroupCommit {
  let queue: Job[] = [];
  let running: Promise<void> | null = null;

  async function commitGroup(group: Job[]): Promise<void> {
    const settle: Array<() => void> = [];
    let trx;
    try {
      trx = await db.startTransaction().execute();
    } catch (err) {
      for (const j of group) j.reject(storeError('an account transaction', err));
      return;
    }
    try {
      for (const job of group) {
        await sql`savepoint account_tx`.execute(trx);
        try {
          // the same account-row touch as PostgreSQL's row lock: an unknown account fails here
          const locked = await trx.updateTable('accounts').set({ receipt_seq: sql`receipt_seq` }).where('id', '=', job.accountId).returning('id').executeTakeFirst();
          if (!locked) throw new VaibotError('not_found', `no account ${job.accountId}`);
          const value = await job.fn(txOf(trx, job.accountId));
          await sql`release account_tx`.execute(trx);
          settle.push(() => job.resolve(value));
        } catch (err) {
          await sql`rollback to account_tx`.execute(trx);
          await sql`release account_tx`.execute(trx);
          settle.push(() => job.reject(isDbError(err) ? storeError('an account transaction', err) : err));
        }
      }
      await trx.commit().execute();
    } catch (err) {
      await trx.rollback().execute().catch(() => undefined);
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
        await commitGroup(group);
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
