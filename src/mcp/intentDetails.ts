import { existsSync } from 'node:fs';
import { databaseFile } from '../state/paths.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import { intentSummary } from './intentSummary.js';

/** What the receipts log says about the action behind a content hash (from its newest decision receipt). */
export interface IntentDetails {
  tool: string;
  cwd: string;
  /** The redacted intent, summarized for a person. */
  summary: string;
  risk: { level: string; reason: string; ruleIds: string[] } | null;
  /** The newest decision receipt for this hash. */
  receiptId: string;
  at: string;
}

/**
 * Look up the newest decision receipt for `hash` in the local log and describe its intent, or null
 * when the log has none (or does not exist yet). Reads only. Throws VaibotError `store_failed` when
 * the database cannot be read.
 */
export function intentDetails(home: string, hash: string): IntentDetails | null {
  const db = databaseFile(home);
  if (!existsSync(db)) return null;
  const store = openSqliteStore(db, { readonly: true });
  try {
    const [row] = store.list({ contentHash: hash, kind: 'decision', limit: 1 });
    if (!row) return null;
    const r = row.receipt;
    return {
      tool: r.tool,
      cwd: r.cwd,
      summary: intentSummary(r.intent),
      risk: r.risk ? { level: r.risk.level, reason: r.risk.reason, ruleIds: r.risk.rule_ids } : null,
      receiptId: r.id,
      at: r.at,
    };
  } finally {
    store.close();
  }
}
