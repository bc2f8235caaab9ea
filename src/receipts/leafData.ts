import canonicalize from 'canonicalize';
import { ReceiptError } from './receiptError.js';
import { rfc9162Hasher, type Hash, type MerkleHasher } from './merkle.js';

const encoder = new TextEncoder();

/** The log's entry for a receipt: UTF-8 of its RFC 8785 (JCS) canonical JSON. */
export function leafData(receipt: unknown): Uint8Array {
  let json: string | undefined;
  try {
    json = canonicalize(receipt);
  } catch (err) {
    throw new ReceiptError('bundle_invalid', `the receipt cannot be canonicalized (RFC 8785): ${(err as Error).message}`, { cause: err });
  }
  if (json === undefined) throw new ReceiptError('bundle_invalid', 'the receipt has no JSON representation');
  return encoder.encode(json);
}

/** The RFC 9162 leaf hash of a receipt: SHA-256(0x00 || JCS(receipt)). */
export function leafHashOf(receipt: unknown, h: MerkleHasher = rfc9162Hasher): Hash {
  return h.leaf(leafData(receipt));
}
