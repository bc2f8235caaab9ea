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

/** The leaf hash of a stored receipt body: SHA-256(0x00 || JCS(JSON.parse(body))). */
export function leafHashOfBody(body: string): Buffer {
  return leafHashOfCanonicalJson(canonicalJsonOfParsed(JSON.parse(body)));
}
