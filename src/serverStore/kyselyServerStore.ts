import { sql, type Kysely, type Transaction } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Receipt } from '../receipts/receipt.js';
import { canonicalReceipt } from '../store/sqliteStore.js';
import { persistedApprovalSchema, type PersistedApproval } from '../state/approvalStore.js';
import { VaibotError } from '../util/vaibotError.js';
import type { ServerDatabase } from './schema.js';
import { sqliteGroupCommit } from './sqliteGroupCommit.js';
import { kyselyLog } from '../receipts/kyselyLog.js';
import { isDbError, storeError } from './storeError.js';
import { n, toApproval, toReceipt, toRun } from './rows.js';
import type { ServerDialect } from './migrations.js';
import type {
  AccountRecord, AccountTx, ApprovalEventRow, ApprovalRow, ReceiptFilter, RunRow, ServerReceipt, ServerStore,
} from './serverStore.js';

type Db = Kysely<ServerDatabase> | Transaction<ServerDatabase>;

async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw storeError(what, err);
  }
}

function accountTx(trx: Transaction<ServerDatabase>, accountId: string): AccountTx {
  return {
    accountId,
    async approval(hash) {
      const row = await trx.selectFrom('approvals').select(['account_id', 'content_hash', 'snapshot'])
        .where('account_id', '=', accountId).where('content_hash', '=', hash).executeTakeFirst();
      return row ? toApproval(row).approval : null;
    },
    async putApproval(hash, approval: PersistedApproval, at) {
      const snapshot = JSON.stringify(approval);
      await trx.insertInto('approvals')
        .values({ account_id: accountId, content_hash: hash, state: approval.value, snapshot, requested_at: approval.context.requestedAt, updated_at: at })
        .onConflict((oc) => oc.columns(['account_id', 'content_hash']).doUpdateSet({ state: approval.value, snapshot, requested_at: approval.context.requestedAt, updated_at: at }))
        .execute();
    },
    async addApprovalEvent(e) {
      await trx.insertInto('approval_events').values({
        account_id: accountId, content_hash: e.contentHash, type: e.type, at_ms: e.at, actor: e.actor, state_after: e.stateAfter, body: JSON.stringify(e.body),
      }).execute();
    },
    async appendReceipt(receipt, opts) {
      const existing = opts?.fresh ? undefined : await trx.selectFrom('receipts').select(['gid', 'account_id', 'seq', 'leaf_hash', 'body'])
        .where('account_id', '=', accountId).where('id', '=', receipt.id).executeTakeFirst();
      if (existing) return { stored: toReceipt(existing), duplicate: true };
      const bumped = await trx.updateTable('accounts').set({ receipt_seq: sql`receipt_seq + 1` })
        .where('id', '=', accountId).returning('receipt_seq').executeTakeFirstOrThrow();
      const seq = n(bumped.receipt_seq);
      const { body, leafHash } = canonicalReceipt(receipt);
      const inserted = await trx.insertInto('receipts').values({
        account_id: accountId, seq, id: receipt.id, content_hash: receipt.content_hash, kind: receipt.kind, tool: receipt.tool,
        decision: receipt.decision, risk_level: receipt.risk?.level ?? null, approval_state: receipt.approval_state,
        session_id: receipt.session_id, tool_use_id: receipt.tool_use_id, at_ms: Date.parse(receipt.at) || 0, leaf_hash: leafHash, body,
      }).returning('gid').executeTakeFirstOrThrow();
      return { stored: { gid: n(inserted.gid), accountId, seq, leafHash, receipt }, duplicate: false };
    },
    async openRun(r) {
      await trx.insertInto('runs').values({
        account_id: accountId, run_id: r.runId, content_hash: r.contentHash, session_id: r.sessionId, tool: r.tool, cwd: r.cwd,
        intent_body: JSON.stringify(r.intentBody), mode: r.mode, started_at: r.startedAt, outcome_receipt_id: null,
      }).onConflict((oc) => oc.columns(['account_id', 'run_id']).doNothing()).execute();
    },
    async run(runId) {
      const r = await trx.selectFrom('runs').selectAll().where('account_id', '=', accountId).where('run_id', '=', runId).executeTakeFirst();
      return r ? toRun(accountId, r) : null;
    },
    async closeRun(runId, outcomeReceiptId) {
      await trx.updateTable('runs').set({ outcome_receipt_id: outcomeReceiptId }).where('account_id', '=', accountId).where('run_id', '=', runId).execute();
    },
    async recordWrite(sessionId, path, content, at) {
      const c = content.slice(0, 1_000_000);
      await trx.insertInto('session_writes').values({ account_id: accountId, session_id: sessionId, path, content: c, at_ms: at })
        .onConflict((oc) => oc.columns(['account_id', 'session_id', 'path']).doUpdateSet({ content: c, at_ms: at })).execute();
    },
  };
}

function accountsWhere<Q extends { where: (...a: any[]) => Q }>(q: Q, column: string, accountIds: string[] | null): Q {
  if (accountIds === null) return q;
  if (accountIds.length === 0) return q.where(sql<boolean>`1 = 0`);
  return q.where(column, 'in', accountIds);
}

/**
 * The server store over Kysely: the same queries for SQLite and PostgreSQL. Every write of one
 * account runs in a transaction that first takes the account row's lock (`UPDATE accounts`), so two
 * server instances on one PostgreSQL database serialize per account and lose or duplicate nothing.
 */
export function kyselyServerStore(db: Kysely<ServerDatabase>, dialect: ServerDialect, sqlite?: BetterSqlite3.Database, opts: { warn?: (message: string) => void } = {}): ServerStore {
  // SQLite has one writer: account transactions that arrive together share one commit (one fsync),
  // each inside its own savepoint so one failing never undoes the others.
  const groupCommit = dialect === 'sqlite' && sqlite ? sqliteGroupCommit(db, sqlite, opts.warn ? { checkpoints: { warn: opts.warn } } : {}) : null;
  let sessionWritesStmt: BetterSqlite3.Statement | undefined;
  /**
   * A read whose answer leaves the server: it waits until every commit it may have seen is on the
   * disk (with SQLite the flush of a group commit runs after the commit is visible on the connection).
   */
  const shown = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const value = await guarded(what, fn);
    if (groupCommit) await groupCommit.durable();
    return value;
  };
  const self: ServerStore = {
    dialect,
    log: kyselyLog(db, { dialect }),
    async ping() {
      const t0 = performance.now();
      const broken = groupCommit?.failure();
      if (broken) return { ok: false, error: broken.message };
      try {
        await sql`select 1`.execute(db);
        return { ok: true, latencyMs: performance.now() - t0 };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    },

    createAccount: (a, key) => guarded('creating an account', async () => {
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('accounts').values({ id: a.id, created_at: a.at, fingerprint_hash: a.fingerprintHash, label: a.label, receipt_seq: 0 }).execute();
          if (key) {
            await trx.insertInto('api_keys').values({
              key_hash: key.keyHash, account_id: a.id, kind: key.kind, hint: key.hint, label: key.label, install_id: key.installId, created_at: a.at, revoked_at: null,
            }).execute();
          }
        });
        return 'created';
      } catch (err) {
        if (a.fingerprintHash !== null) {
          const taken = await db.selectFrom('accounts').select('id').where('fingerprint_hash', '=', a.fingerprintHash).executeTakeFirst();
          if (taken) return 'exists';
        }
        throw err;
      }
    }),
    account: (id) => shown('reading an account', async () => {
      const r = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? { id: r.id, label: r.label, createdAt: n(r.created_at), receiptCount: n(r.receipt_seq) } : null;
    }),
    accounts: () => shown('listing accounts', async () => {
      const rows = await db.selectFrom('accounts').selectAll().orderBy('created_at', 'asc').execute();
      return rows.map((r): AccountRecord => ({ id: r.id, label: r.label, createdAt: n(r.created_at), receiptCount: n(r.receipt_seq) }));
    }),
    addKey: (k, at) => guarded('storing a key', async () => {
      await db.insertInto('api_keys').values({
        key_hash: k.keyHash, account_id: k.accountId, kind: k.kind, hint: k.hint, label: k.label, install_id: k.installId, created_at: at, revoked_at: null,
      }).execute();
    }),
    key: (keyHash) => guarded('reading a key', async () => {
      const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
      return r ? { keyHash: r.key_hash, accountId: r.account_id, kind: r.kind, hint: r.hint, label: r.label, installId: r.install_id } : null;
    }),

    async withAccount(accountId, fn) {
      if (groupCommit) return groupCommit.run(accountId, fn);
      // Errors thrown by `fn` itself (not by the database) roll back and pass through unchanged.
      const own: { err?: unknown } = {};
      try {
        return await db.transaction().execute(async (trx) => {
          const locked = await trx.updateTable('accounts').set({ receipt_seq: sql`receipt_seq` }).where('id', '=', accountId).returning('id').executeTakeFirst();
          if (!locked) throw new VaibotError('not_found', `no account ${accountId}`);
          const tx = accountTx(trx, accountId);
          try {
            return await fn(tx);
          } catch (err) {
            if (!isDbError(err)) own.err = err;
            throw err;
          }
        });
      } catch (err) {
        if (own.err !== undefined && err === own.err) throw err;
        throw storeError('an account transaction', err);
      }
    },

    sessionWrites: (accountId, sessionId) => guarded('reading session writes', async () => {
      if (sqlite) {
        // every shell decision reads this: a prepared statement on the one connection, not a query
        // built and queued behind a commit in progress. It may see the writes of a commit still in
        // progress (one connection); if one of those is then rolled back, the taint it suggested
        // only made this decision more cautious.
        sessionWritesStmt ??= sqlite.prepare('SELECT path, content FROM session_writes WHERE account_id = ? AND session_id = ?');
        const rows = sessionWritesStmt.all(accountId, sessionId) as Array<{ path: string; content: string }>;
        return new Map(rows.map((r) => [r.path, r.content]));
      }
      const rows = await db.selectFrom('session_writes').select(['path', 'content']).where('account_id', '=', accountId).where('session_id', '=', sessionId).execute();
      return new Map(rows.map((r) => [r.path, r.content]));
    }),
    receipts: (f: ReceiptFilter) => shown('listing receipts', async () => {
      let q = db.selectFrom('receipts as r').select(['r.gid', 'r.account_id', 'r.seq', 'r.leaf_hash', 'r.body']);
      q = accountsWhere(q, 'r.account_id', f.accountIds);
      if (f.beforeGid !== undefined) q = q.where('r.gid', '<', f.beforeGid);
      if (f.decision !== undefined) q = q.where('r.decision', '=', f.decision);
      if (f.riskLevel !== undefined) q = q.where('r.risk_level', '=', f.riskLevel);
      if (f.tool !== undefined) q = q.where('r.tool', '=', f.tool);
      if (f.contentHash !== undefined) q = q.where('r.content_hash', '=', f.contentHash);
      if (f.kind !== undefined) q = q.where('r.kind', '=', f.kind);
      if (f.approvalStatus !== undefined) {
        const status = f.approvalStatus;
        q = q.where((eb) => eb.exists(eb.selectFrom('approvals as a').select('a.state')
          .whereRef('a.account_id', '=', 'r.account_id').whereRef('a.content_hash', '=', 'r.content_hash').where('a.state', '=', status)));
      }
      const rows = await q.orderBy('r.gid', 'desc').limit(Math.min(Math.max(f.limit, 1), 500)).execute();
      return rows.map(toReceipt);
    }),
    receipt: (accountIds, id) => shown('reading a receipt', async () => {
      let q = db.selectFrom('receipts').select(['gid', 'account_id', 'seq', 'leaf_hash', 'body']).where('id', '=', id);
      q = accountsWhere(q, 'account_id', accountIds);
      const r = await q.executeTakeFirst();
      return r ? toReceipt(r) : null;
    }),
    approvalEvents: (accountId, hash) => shown('reading approval history', async () => {
      const rows = await db.selectFrom('approval_events').selectAll().where('account_id', '=', accountId).where('content_hash', '=', hash).orderBy('gid', 'asc').execute();
      return rows.map((r): ApprovalEventRow => ({
        accountId: r.account_id, contentHash: r.content_hash, type: r.type, at: n(r.at_ms), actor: r.actor, stateAfter: r.state_after, body: JSON.parse(r.body) as unknown,
      }));
    }),
    approvalsOf: (accountIds, hash) => shown('reading approvals', async () => {
      let q = db.selectFrom('approvals').select(['account_id', 'content_hash', 'snapshot']).where('content_hash', '=', hash);
      q = accountsWhere(q, 'account_id', accountIds);
      return (await q.orderBy('account_id').execute()).map(toApproval);
    }),
    approvalsIn: (accountIds, states, limit) => shown('listing approvals', async () => {
      if (states.length === 0) return [];
      let q = db.selectFrom('approvals').select(['account_id', 'content_hash', 'snapshot']).where('state', 'in', states);
      q = accountsWhere(q, 'account_id', accountIds);
      return (await q.orderBy('requested_at', 'desc').limit(Math.min(Math.max(limit, 1), 1000)).execute()).map(toApproval);
    }),

    createApprover: (a, at) => guarded('creating an approver', async () => {
      await db.insertInto('approvers').values({ id: a.id, name: a.name, account_id: a.accountId, password_hash: a.passwordHash, created_at: at }).execute();
    }),
    approver: (id) => guarded('reading an approver', async () => {
      const r = await db.selectFrom('approvers').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? { id: r.id, name: r.name, accountId: r.account_id, passwordHash: r.password_hash } : null;
    }),
    approverByName: (name) => guarded('reading an approver', async () => {
      const r = await db.selectFrom('approvers').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? { id: r.id, name: r.name, accountId: r.account_id, passwordHash: r.password_hash } : null;
    }),
    approverCount: () => guarded('counting approvers', async () => {
      const r = await db.selectFrom('approvers').select((eb) => eb.fn.countAll().as('c')).executeTakeFirstOrThrow();
      return n(r.c);
    }),
    setPassword: (approverId, passwordHash) => guarded('setting a password', async () => {
      await db.updateTable('approvers').set({ password_hash: passwordHash }).where('id', '=', approverId).execute();
    }),
    addLoginToken: (tokenHash, approverId, expiresAt) => guarded('storing a login link', async () => {
      await db.insertInto('login_tokens').values({ token_hash: tokenHash, approver_id: approverId, expires_at: expiresAt, used_at: null }).execute();
    }),
    useLoginToken: (tokenHash, at) => guarded('using a login link', async () => {
      // One UPDATE: of two concurrent uses only one sees used_at null.
      const r = await db.updateTable('login_tokens').set({ used_at: at })
        .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', at)
        .returning('approver_id').executeTakeFirst();
      return r?.approver_id ?? null;
    }),
    addSession: (tokenHash, approverId, csrf, expiresAt) => guarded('storing a session', async () => {
      await db.insertInto('sessions').values({ token_hash: tokenHash, approver_id: approverId, csrf, expires_at: expiresAt }).execute();
    }),
    session: (tokenHash, at) => guarded('reading a session', async () => {
      const r = await db.selectFrom('sessions').select(['approver_id', 'csrf']).where('token_hash', '=', tokenHash).where('expires_at', '>', at).executeTakeFirst();
      return r ? { approverId: r.approver_id, csrf: r.csrf } : null;
    }),
    deleteSession: (tokenHash) => guarded('ending a session', async () => {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    }),

    close: async () => { await groupCommit?.close(); await db.destroy(); },
  };
  return self;
}

