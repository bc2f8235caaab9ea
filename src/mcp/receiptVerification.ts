import { existsSync } from 'node:fs';
import type { Settings } from '../config/settings.js';
import { databaseFile } from '../state/paths.js';
import { openSqliteStore, receiptLeafHash } from '../store/sqliteStore.js';
import type { StoredReceipt } from '../store/receiptStore.js';

/** What to verify: every receipt of one content hash, or one receipt by id. */
export type VerifyTarget = { kind: 'hash'; hash: string } | { kind: 'receipt'; id: string };

/** One check and its result: a failure names what failed. */
export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The verification of one receipt. */
export interface ReceiptVerdict {
  id: string;
  seq: number;
  kind: 'decision' | 'outcome';
  at: string;
  tool: string;
  contentHash: string;
  decision: string | null;
  leafHash: string;
  checks: VerifyCheck[];
  ok: boolean;
}

/** The result of verifying a target. `ok` is true only when something was found and every check passed. */
export interface VerifyReport {
  target: VerifyTarget;
  found: number;
  receipts: ReceiptVerdict[];
  ok: boolean;
  /** What this verification does not (yet) cover, said plainly. */
  limits: string[];
}

/** Verifies receipts in the log behind `settings`. */
export type ReceiptVerifier = (settings: Settings, target: VerifyTarget) => VerifyReport | Promise<VerifyReport>;

/** Receipts matched per verification at most (newest first). */
export const VERIFY_LIMIT = 200;

function verdict(row: StoredReceipt): ReceiptVerdict {
  const r = row.receipt;
  const recomputed = receiptLeafHash(r);
  const checks: VerifyCheck[] = [
    {
      name: 'leaf hash',
      ok: recomputed === row.leafHash,
      detail: recomputed === row.leafHash ? 'the stored receipt hashes to its recorded leaf' : `the stored receipt hashes to ${recomputed}, but its leaf is recorded as ${row.leafHash}: the receipt was altered`,
    },
  ];
  return { id: r.id, seq: row.seq, kind: r.kind, at: r.at, tool: r.tool, contentHash: r.content_hash, decision: r.decision, leafHash: row.leafHash, checks, ok: checks.every((c) => c.ok) };
}

/**
 * The verifier used until signed checkpoints and inclusion proofs (src/receipts) are wired in: finds the
 * receipts and recomputes each leaf hash (SHA-256 over 0x00 and the RFC 8785 JSON) against the recorded
 * leaf. It says in `limits` that it does not prove inclusion in a signed log.
 */
export const leafHashVerifier: ReceiptVerifier = (settings, target) => {
  const db = databaseFile(settings.home);
  const limits = ['checks each receipt against its recorded leaf hash only; inclusion in a signed checkpoint is not checked by this build (use `vaibot verify`)'];
  if (!existsSync(db)) return { target, found: 0, receipts: [], ok: false, limits };
  const store = openSqliteStore(db, { readonly: true });
  try {
    const rows = target.kind === 'hash' ? store.list({ contentHash: target.hash, limit: VERIFY_LIMIT }) : [store.byId(target.id)].filter((r): r is StoredReceipt => r !== null);
    const receipts = rows.map(verdict);
    return { target, found: receipts.length, receipts, ok: receipts.length > 0 && receipts.every((r) => r.ok), limits };
  } finally {
    store.close();
  }
};
