import { createRequire } from 'node:module';
import { chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool as PgPool } from 'pg';
import { ensurePrivateDir } from '../state/secureFs.js';
import { VaibotError } from '../util/vaibotError.js';
import type { ServerDatabase } from './schema.js';
import { serverMigrations, type ServerDialect } from './migrations.js';
import { kyselyServerStore } from './kyselyServerStore.js';
import { cachedStatements } from './cachedStatements.js';
import type { ServerStore } from './serverStore.js';

const require = createRequire(import.meta.url);

/** Where a server keeps its data: a SQLite file or a PostgreSQL URL. */
export type DatabaseSpec = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

/** Options for {@link openServerStore}. */
export interface OpenServerStoreOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** SQLite: `FULL` (default) syncs every commit; `NORMAL` survives a crash of the process but not of the machine. */
  sqliteSync?: 'FULL' | 'NORMAL';
  /** Told about trouble the store works around by itself (a log checkpoint that failed, and the like). */
  warn?: (message: string) => void;
}

/** `--db` value -> spec: `postgres://…` / `postgresql://…` is PostgreSQL, anything else a SQLite path. */
export function parseDatabaseSpec(value: string): DatabaseSpec {
  const v = value.trim();
  if (v === '') throw new VaibotError('config_invalid', '--db must be a SQLite path or a postgres:// URL');
  if (/^postgres(ql)?:\/\//i.test(v)) {
    try {
      new URL(v);
    } catch {
      throw new VaibotError('config_invalid', `--db is not a valid PostgreSQL URL: ${v.replace(/:[^:@/]*@/, ':***@')}`);
    }
    return { dialect: 'postgres', url: v };
  }
  return { dialect: 'sqlite', file: v };
}

function sqliteDb(file: string, sync: 'FULL' | 'NORMAL'): BetterSqlite3.Database {
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  if (file !== ':memory:') ensurePrivateDir(dirname(file));
  const isNew = file === ':memory:' || !existsSync(file);
  const db = new Database(file);
  if (isNew && file !== ':memory:') chmodSync(file, 0o600);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.pragma('foreign_keys = ON');
  return db;
}

function pgPool(url: string, size: number): PgPool {
  const pg = require('pg') as typeof import('pg');
  // int8 (counts, bigserial, bigint ms) as numbers: every value we store fits in 2^53.
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  return new pg.Pool({ connectionString: url, max: size, types, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
}

/** Apply every pending migration (idempotent; PostgreSQL takes Kysely's migration lock, so instances may start together). */
export async function migrateServerDb(db: Kysely<ServerDatabase>, dialect: ServerDialect): Promise<void> {
  const migrator = new Migrator({ db, provider: serverMigrations(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new VaibotError('store_failed', `database migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Open (and migrate) the server's database. */
export async function openServerStore(spec: DatabaseSpec, opts: OpenServerStoreOptions = {}): Promise<ServerStore> {
  let db: Kysely<ServerDatabase>;
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (spec.dialect === 'sqlite') sqlite = sqliteDb(spec.file, opts.sqliteSync ?? 'FULL');
    db = sqlite
      ? new Kysely<ServerDatabase>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) })
      : new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool: pgPool((spec as { url: string }).url, opts.poolSize ?? 10) }) });
  } catch (err) {
    throw new VaibotError('store_failed', `cannot open the server database: ${(err as Error).message}`, { cause: err });
  }
  try {
    await migrateServerDb(db, spec.dialect);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    if (err instanceof VaibotError) throw err;
    throw new VaibotError('store_failed', `cannot prepare the server database: ${(err as Error).message}`, { cause: err });
  }
  const store = kyselyServerStore(db, spec.dialect, sqlite, opts.warn ? { warn: opts.warn } : {});
  try {
    await store.log.migrate();
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw new VaibotError('store_failed', `cannot prepare the receipt log tables: ${(err as Error).message}`, { cause: err });
  }
  return store;
}
