import { encodeBase64 } from './base64.js';
import type { ReceiptBundle } from './bundle.js';
import type { CheckpointRecord, LogEntry } from './receiptLog.js';

/**
 * The bundle for one log entry under a checkpoint that covers it: the receipt, its index, the tree
 * size, the inclusion proof (base64), the signed checkpoint, the log's verifier key, and the
 * checkpoint's first anchor when it has one. Shared by the embedded and the per-account server log.
 */
export function assembleBundle(entry: LogEntry, cp: CheckpointRecord, proof: readonly Uint8Array[], verifierKey: string): ReceiptBundle {
  const anchor = cp.anchors[0];
  return {
    receipt: JSON.parse(entry.body) as Record<string, unknown>,
    leaf_index: entry.index,
    tree_size: cp.treeSize,
    inclusion_proof: proof.map(encodeBase64),
    checkpoint: cp.note,
    log_public_key: verifierKey,
    ...(anchor ? { anchor: { chain_id: anchor.chainId, tx_hash: anchor.txHash, block_number: anchor.blockNumber, sender: anchor.sender } } : {}),
  };
}
