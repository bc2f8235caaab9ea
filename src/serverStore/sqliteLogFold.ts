import type BetterSqlite3 from 'better-sqlite3';
import { appendToEdge, rightEdgeKeys, type Hash } from '../receipts/merkle.js';
import { nodeHasher } from '../receipts/nodeHasher.js';

/** Folds a receipt's leaf into its account's stored Merkle tree, in the transaction that stores it: see {@link sqliteLogFold}. */
export interface SqliteLogFold {
  /**
   * Add the leaf of receipt `seq` (1-based) of `accountId` and the tree nodes it completes, when the
   * stored tree has exactly `seq - 1` leaves; otherwise leave it to the log's own fold. Returns
   * whether it folded.
   */
  append(accountId: string, seq: number, leafHashHex: string): boolean;
  /** Forget the remembered right edges (after a rollback: what they describe may not be stored). */
  reset(): void;
}

/** Accounts whose right edge is remembered before the memory starts over. */
const EDGES_MAX = 10_000;

/**
 * The server log's tree (`log_nodes`, written by kyselyLog.ts) grown inside the receipt's own
 * transaction on the SQLite group commit, the way the embedded log grows with each receipt. Folding
 * later in batches re-read every receipt, took its own transactions (each with a flush on the event
 * loop) and stalled requests for the length of a batch; here a receipt costs its leaf and the
 * nodes it completes (two rows on average) and the log's periodic fold finds nothing left to do.
 *
 * The tree's right edge (the roots of its complete subtrees) is remembered per account and used
 * only while the stored tree still has the size it was remembered at; otherwise it is read again.
 * A tree that is behind its receipts (receipts stored before this existed, or by another writer) is
 * left to the log's fold, which checks each body against its leaf hash as it goes. Nodes are written
 * with the receipt, so rolling back the receipt rolls them back too; the owner calls `reset()` after
 * any rollback. Null when the log's tables are missing.
 */
export function sqliteLogFold(db: BetterSqlite3.Database): SqliteLogFold | null {
  let size: BetterSqlite3.Statement;
  let node: BetterSqlite3.Statement;
  let insert: BetterSqlite3.Statement;
  let begin: BetterSqlite3.Statement;
  let release: BetterSqlite3.Statement;
  let rollback: BetterSqlite3.Statement;
  try {
    begin = db.prepare('SAVEPOINT log_fold');
    release = db.prepare('RELEASE log_fold');
    rollback = db.prepare('ROLLBACK TO log_fold');
    size = db.prepare('SELECT max(idx) FROM log_nodes WHERE scope = ? AND level = 0').pluck();
    node = db.prepare('SELECT hash FROM log_nodes WHERE scope = ? AND level = ? AND idx = ?').pluck();
    insert = db.prepare('INSERT INTO log_nodes (scope, level, idx, hash) VALUES (?, ?, ?, ?)');
  } catch {
    return null;
  }
  /** Per account: tree size and the root of each complete subtree on the right edge, by level. */
  const edges = new Map<string, { size: number; pending: Map<number, Hash> }>();

  function readEdge(accountId: string, n: number): Map<number, Hash> | null {
    const pending = new Map<number, Hash>();
    for (const [l, x] of rightEdgeKeys(n)) {
      const hex = node.get(accountId, l, x) as string | undefined;
      if (hex === undefined) return null; // a damaged tree: the log's fold reports it
      pending.set(l, Buffer.from(hex, 'hex'));
    }
    return pending;
  }

  return {
    append(accountId, seq, leafHashHex) {
      const max = size.get(accountId) as number | bigint | null;
      const n = max === null || max === undefined ? 0 : Number(max) + 1;
      if (n !== seq - 1) { edges.delete(accountId); return false; }
      const known = edges.get(accountId);
      const edge = known?.size === n ? known.pending : readEdge(accountId, n);
      if (!edge) { edges.delete(accountId); return false; }
      // on a copy of the edge: the remembered one changes only once the rows are stored
      const pending = new Map(edge);
      const rows = appendToEdge(pending, n, Buffer.from(leafHashHex, 'hex'), nodeHasher);
      // a row already there (a damaged tree) must not cost the receipt: the fold is undone alone
      // and left to the log's own fold, which reports what is wrong
      begin.run();
      try {
        for (const [l, x, hash] of rows) insert.run(accountId, l, x, Buffer.from(hash).toString('hex'));
        release.run();
      } catch {
        rollback.run();
        release.run();
        edges.delete(accountId);
        return false;
      }
      if (!edges.has(accountId) && edges.size >= EDGES_MAX) edges.clear();
      edges.set(accountId, { size: n + 1, pending });
      return true;
    },
    reset: () => edges.clear(),
  };
}
