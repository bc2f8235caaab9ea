import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Which SQL dialect a store speaks. */
export type ServerDialect = 'sqlite' | 'postgres';

function v1(dialect: ServerDialect): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>) {
      await db.schema.createTable('accounts').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('fingerprint_hash', 'text', (c) => c.unique())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('receipt_seq', big, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createTable('api_keys').ifNotExists()
        .addColumn('key_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('install_id', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('revoked_at', big)
        .execute();
      await db.schema.createTable('receipts').ifNotExists()
        .addColumn('gid', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('tool', 'text', (c) => c.notNull())
        .addColumn('decision', 'text')
        .addColumn('risk_level', 'text')
        .addColumn('approval_state', 'text')
        .addColumn('session_id', 'text')
        .addColumn('tool_use_id', 'text')
        .addColumn('at_ms', big, (c) => c.notNull())
        .addColumn('leaf_hash', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addUniqueConstraint('receipts_account_seq', ['account_id', 'seq'])
        .addUniqueConstraint('receipts_account_id', ['account_id', 'id'])
        .execute();
      await db.schema.createIndex('receipts_account_hash').ifNotExists().on('receipts').columns(['account_id', 'content_hash']).execute();
      await db.schema.createIndex('receipts_account_gid').ifNotExists().on('receipts').columns(['account_id', 'gid']).execute();
      await db.schema.createTable('runs').ifNotExists()
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('tool', 'text', (c) => c.notNull())
        .addColumn('cwd', 'text', (c) => c.notNull())
        .addColumn('intent_body', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('started_at', big, (c) => c.notNull())
        .addColumn('outcome_receipt_id', 'text')
        .addPrimaryKeyConstraint('runs_pk', ['account_id', 'run_id'])
        .execute();
      await db.schema.createTable('approvals').ifNotExists()
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('requested_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('approvals_pk', ['account_id', 'content_hash'])
        .execute();
      await db.schema.createIndex('approvals_state').ifNotExists().on('approvals').columns(['state', 'account_id']).execute();
      await db.schema.createTable('approval_events').ifNotExists()
        .addColumn('gid', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at_ms', big, (c) => c.notNull())
        .addColumn('actor', 'text')
        .addColumn('state_after', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approval_events_hash').ifNotExists().on('approval_events').columns(['account_id', 'content_hash']).execute();
      await db.schema.createTable('session_writes').ifNotExists()
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('at_ms', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('session_writes_pk', ['account_id', 'session_id', 'path'])
        .execute();
      await db.schema.createTable('approvers').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
        .addColumn('password_hash', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createTable('login_tokens').ifNotExists()
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('approver_id', 'text', (c) => c.notNull().references('approvers.id'))
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('used_at', big)
        .execute();
      await db.schema.createTable('sessions').ifNotExists()
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('approver_id', 'text', (c) => c.notNull().references('approvers.id'))
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['sessions', 'login_tokens', 'approvers', 'session_writes', 'approval_events', 'approvals', 'runs', 'receipts', 'api_keys', 'accounts']) {
        await sql`drop table if exists ${sql.table(t)}`.execute(db);
      }
    },
  };
}

/** The server schema's migrations, in order (names sort in application order). */
export function serverMigrations(dialect: ServerDialect): MigrationProvider {
  return {
    async getMigrations() {
      return { '0001_initial': v1(dialect) };
    },
  };
}
