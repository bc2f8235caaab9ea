import { existsSync } from 'node:fs';
import { databaseFile } from '../state/paths.js';
import { exportBundle } from '../receipts/exportBundle.js';
import { ensureLogKey } from '../receipts/logKey.js';
import { openSqliteLog } from '../receipts/sqliteLog.js';
import { verifyBundle } from '../receipts/verifyBundle.js';
import { writeCheckpointMark } from '../receipts/checkpointer.js';
import { leafHashVerifier, type ReceiptVerifier, type VerifyCheck } from './receiptVerification.js';

/**
 * Full verification for the MCP `verify` tool: each matching receipt is exported as a bundle (signing a
 * checkpoint if none covers it yet) and checked exactly as `vaibot verify` does: the leaf hash, the
 * RFC 9162 inclusion proof, and the checkpoint's Ed25519 signature against this log's own key.
 */
export const bundleVerifier: ReceiptVerifier = (settings, target) => {
  const db = databaseFile(settings.home);
  if (!existsSync(db)) return { target, found: 0, receipts: [], ok: false, limits: [] };
  const base = leafHashVerifier(settings, target);
  if (base instanceof Promise) return base;
  const { key } = ensureLogKey(settings.home);
  const log = openSqliteLog(db);
  try {
    const receipts = base.receipts.map((v) => {
      const checks: VerifyCheck[] = [...v.checks];
      try {
        const exported = exportBundle(log, key, v.id);
        if (exported.signedNow) {
          const latest = log.latestCheckpoint();
          if (latest) writeCheckpointMark(settings.home, latest);
        }
        const verified = verifyBundle(exported.text, { trustedKey: key.verifierKey });
        checks.push({ name: 'inclusion in a signed checkpoint', ok: true, detail: `leaf ${verified.leafIndex} of ${verified.treeSize}, checkpoint signed by ${key.name}` });
      } catch (err) {
        checks.push({ name: 'inclusion in a signed checkpoint', ok: false, detail: err instanceof Error ? err.message : String(err) });
      }
      return { ...v, checks, ok: checks.every((c) => c.ok) };
    });
    return { target, found: receipts.length, receipts, ok: receipts.length > 0 && receipts.every((r) => r.ok), limits: [] };
  } finally {
    log.close();
  }
};
