import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';

/** Most prepared statements kept (the server issues a few dozen distinct queries; IN lists vary). */
const MAX_STATEMENTS = 500;

/**
 * The database as Kysely's SQLite dialect sees it, with prepared statements reused by SQL text:
 * Kysely prepares every query afresh, and preparing costs more than running our small queries.
 * Least recently used statements are dropped past {@link MAX_STATEMENTS}.
 */
export function cachedStatements(db: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => { cache.clear(); db.close(); },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
