import type { Receipt } from './receipt.js';

/**
 * Where a checkpoint was published on an EVM chain (a VAIBot extension member of the bundle;
 * verifiers of ../shared/docs/receipt-bundle.md ignore it).
 */
export interface BundleAnchor {
  chain_id: number;
  /** 0x-prefixed transaction hash. */
  tx_hash: string;
  block_number: number;
  /** The account that sent the self-send transaction. */
  sender: string;
}

/**
 * A receipt bundle: one receipt, its RFC 9162 inclusion proof, and the signed checkpoint the proof
 * leads to. The exact contract is docs/receipts.md (after ../shared/docs/receipt-bundle.md).
 */
export interface ReceiptBundle {
  /** The receipt as stored (redacted); its JCS bytes are the leaf data. */
  receipt: Receipt | Record<string, unknown>;
  leaf_index: number;
  tree_size: number;
  /** Standard padded base64 hashes, leaf to root. */
  inclusion_proof: string[];
  /** The complete signed note, byte for byte. */
  checkpoint: string;
  /** `<name>+<key ID>+<base64(0x01 || pubkey)>`. */
  log_public_key: string;
  /** Present when this checkpoint was anchored on a chain. */
  anchor?: BundleAnchor;
}

/** A bundle's JSON text as `vaibot export` writes it (UTF-8, no BOM, trailing newline). */
export function serializeBundle(bundle: ReceiptBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
