import { assembleBundle } from './assembleBundle.js';
import { serializeBundle, type ReceiptBundle } from './bundle.js';
import type { LogKey } from './logKey.js';
import { ReceiptError } from './receiptError.js';
import type { LogEntry, ReceiptLog } from './receiptLog.js';
import { verifyBundle } from './verifyBundle.js';

/** A bundle ready to write, and which receipt it is for. */
export interface ExportedBundle {
  bundle: ReceiptBundle;
  /** The bundle's JSON text (UTF-8, no BOM). */
  text: string;
  entry: LogEntry;
  /** How many receipts matched the selector (the newest was exported). */
  matches: number;
  /** Whether a checkpoint had to be signed to cover the receipt. */
  signedNow: boolean;
}

/**
 * Build the bundle of the receipt whose id or content hash is `selector` (the newest, if several share
 * a content hash): the log is synced, a checkpoint is signed if none covers the receipt yet, the
 * inclusion proof is read from stored subtrees, and the bundle is verified before it is returned.
 */
export function exportBundle(log: ReceiptLog, key: LogKey, selector: string, now: Date = new Date()): ExportedBundle {
  const found = log.findEntries(selector);
  const entry = found[found.length - 1];
  if (!entry) throw new ReceiptError('not_found', `no receipt has the id or content hash ${JSON.stringify(selector)}`);
  log.sync();
  let cp = log.latestCheckpoint();
  let signedNow = false;
  if (!cp || cp.treeSize <= entry.index) {
    const issued = log.issueCheckpoint(key.signer, now);
    cp = issued.record;
    signedNow = issued.created;
  }
  if (!cp || cp.treeSize <= entry.index) throw new ReceiptError('log_tampered', `receipt ${entry.id} (leaf ${entry.index}) is not in the log's tree; run \`vaibot verify --log\``);
  if (cp.keyName !== key.name) {
    throw new ReceiptError('key_unavailable', `checkpoint ${cp.treeSize} was signed by ${cp.keyName}, not by this install's log key ${key.name}`);
  }
  const proof = log.inclusionProof(entry.index, cp.treeSize);
  const bundle = assembleBundle(entry, cp, proof, key.verifierKey);
  const text = serializeBundle(bundle);
  try {
    verifyBundle(text, { trustedKey: key.verifierKey });
  } catch (err) {
    throw new ReceiptError('log_tampered', `the bundle for receipt ${entry.id} does not verify (${(err as Error).message}); run \`vaibot verify --log\``, { cause: err });
  }
  return { bundle, text, entry, matches: found.length, signedNow };
}
