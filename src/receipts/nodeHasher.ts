import { createHash } from 'node:crypto';
import { canonicalJsonOfParsed } from './canonicalJson.js';
import type { MerkleHasher } from './merkle.js';

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/**
 * RFC 9162 hashing with node:crypto: the same bytes as {@link rfc9162Hasher}, faster in Node.
 * Used where the log is built (hook, CLI); verification keeps the portable noble hasher.
 */
export const nodeHasher: MerkleHasher = {
  leaf: (data) => createHash('sha256').update(LEAF).update(data).digest(),
  node: (left, right) => createHash('sha256').update(NODE).update(left).update(right).digest(),
};

/** SHA-256(0x00 || utf8(json)) for a JSON text already in canonical form. */
export function leafHashOfCanonicalJson(json: string): Buffer {
  return createHash('sha256').update(LEAF).update(json, 'utf8').digest();
}

/**
 * The leaf hash of a stored receipt body: SHA-256(0x00 || JCS(JSON.parse(body))). Bodies are stored
 * in canonical form, so when `storedLeafHex` is given and SHA-256(0x00 || body) equals it, that is
 * the answer without parsing (equal hashes mean the body is the canonical JSON the leaf was made
 * from); otherwise (an older, non-canonical body, or an edited one) the leaf is computed in full.
 */
export function leafHashOfBody(body: string, storedLeafHex?: string): Buffer {
  if (storedLeafHex !== undefined) {
    const direct = leafHashOfCanonicalJson(body);
    if (direct.toString('hex') === storedLeafHex) return direct;
  }
  return leafHashOfCanonicalJson(canonicalJsonOfParsed(JSON.parse(body)));
}
