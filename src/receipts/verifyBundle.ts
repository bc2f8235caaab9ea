// Offline verification of a receipt bundle, in the order of ../shared/docs/receipt-bundle.md section 7.
// Pure: @noble/* and canonicalize only, no Node crypto, no I/O.
import { decodeBase64Canonical, encodeBase64 } from './base64.js';
import type { BundleAnchor } from './bundle.js';
import { parseCheckpoint } from './checkpoint.js';
import { leafHashOf } from './leafData.js';
import { verifyInclusion, type Hash } from './merkle.js';
import { ReceiptError } from './receiptError.js';
import { openNote } from './signedNote.js';
import { decodeUtf8Strict, parseStrictJson } from './strictJson.js';
import { parseVerifierKey, type VerifierKey } from './verifierKey.js';

/** What a verified bundle establishes. */
export interface VerifiedBundle {
  leafIndex: number;
  treeSize: number;
  /** The checkpoint's root, standard base64. */
  root: string;
  /** The key the checkpoint was checked against (pinned or the bundle's own). */
  key: VerifierKey;
  /** Whether the key was pinned with `--key` rather than taken from the bundle. */
  pinned: boolean;
  /** The checkpoint body (what an anchor transaction carries). */
  checkpointBody: string;
  /** The receipt as parsed (strict I-JSON). */
  receipt: Record<string, unknown>;
  /** The anchor member, if present and well formed (not checked against any chain here). */
  anchor: BundleAnchor | null;
  /** `ok tree_size=N leaf_index=I root=<base64 root>`. */
  summary: string;
}

const MEMBERS = ['receipt', 'leaf_index', 'tree_size', 'inclusion_proof', 'checkpoint', 'log_public_key'] as const;
const MAX_PROOF = 64;

function invalid(reason: string): never {
  throw new ReceiptError('bundle_invalid', reason);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function integer(v: unknown, name: string, min: number): number {
  if (typeof v !== 'number') invalid(`${name} must be a number, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`);
  if (!Number.isInteger(v)) invalid(`${name} must be an integer, got ${v}`);
  if (v < min) invalid(`${name} must be at least ${min}, got ${v}`);
  if (v > Number.MAX_SAFE_INTEGER) invalid(`${name} must be at most 2^53 - 1, got ${v}`);
  return v;
}

/** Parse the optional `anchor` member; null when absent or malformed (it is not part of the checked contract). */
export function parseAnchorMember(v: unknown): BundleAnchor | null {
  if (!isObject(v)) return null;
  const { chain_id, tx_hash, block_number, sender } = v;
  if (typeof chain_id !== 'number' || !Number.isSafeInteger(chain_id) || chain_id < 1) return null;
  if (typeof block_number !== 'number' || !Number.isSafeInteger(block_number) || block_number < 0) return null;
  if (typeof tx_hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(tx_hash)) return null;
  if (typeof sender !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(sender)) return null;
  return { chain_id, tx_hash, block_number, sender };
}

/**
 * Verify a receipt bundle offline. `trustedKey` (a verifier key string) pins the log key; without it
 * the bundle's own `log_public_key` is trusted. Returns what was established, or throws a
 * {@link ReceiptError} whose message is the precise reason.
 */
export function verifyBundle(input: Uint8Array | string, opts: { trustedKey?: string } = {}): VerifiedBundle {
  // 1. UTF-8 without BOM, strict I-JSON, an object with all six members.
  const text = typeof input === 'string' ? input : decodeUtf8Strict(input);
  if (typeof input === 'string' && text.startsWith('\ufeff')) throw new ReceiptError('bundle_malformed', 'the file starts with a byte order mark');
  const doc = parseStrictJson(text);
  if (!isObject(doc)) throw new ReceiptError('bundle_malformed', 'the bundle must be a JSON object');
  for (const m of MEMBERS) {
    if (!Object.prototype.hasOwnProperty.call(doc, m)) throw new ReceiptError('bundle_malformed', `the bundle has no ${m} member`);
  }

  // 2. Member types and ranges.
  if (!isObject(doc.receipt)) invalid('receipt must be a JSON object');
  const treeSize = integer(doc.tree_size, 'tree_size', 1);
  const leafIndex = integer(doc.leaf_index, 'leaf_index', 0);
  if (leafIndex >= treeSize) invalid(`leaf_index ${leafIndex} must be below tree_size ${treeSize}`);
  if (!Array.isArray(doc.inclusion_proof)) invalid('inclusion_proof must be an array');
  if (doc.inclusion_proof.length > MAX_PROOF) invalid(`inclusion_proof has ${doc.inclusion_proof.length} entries, at most ${MAX_PROOF} allowed`);
  const proof: Hash[] = doc.inclusion_proof.map((p, i) => {
    if (typeof p !== 'string') invalid(`inclusion_proof[${i}] must be a string`);
    const bytes = decodeBase64Canonical(p);
    if (!bytes) invalid(`inclusion_proof[${i}] is not canonical standard padded base64`);
    if (bytes.length !== 32) invalid(`inclusion_proof[${i}] is ${bytes.length} bytes, not a 32-byte hash`);
    return bytes;
  });
  if (typeof doc.checkpoint !== 'string') invalid('checkpoint must be a string');
  if (typeof doc.log_public_key !== 'string') invalid('log_public_key must be a string');
  let bundleKey: VerifierKey;
  try {
    bundleKey = parseVerifierKey(doc.log_public_key);
  } catch (err) {
    throw new ReceiptError('key_invalid', `log_public_key: ${(err as Error).message}`, { cause: err });
  }

  // 3. The trusted key.
  let key = bundleKey;
  if (opts.trustedKey !== undefined) {
    try {
      key = parseVerifierKey(opts.trustedKey.trim());
    } catch (err) {
      throw new ReceiptError('key_invalid', `--key: ${(err as Error).message}`, { cause: err });
    }
  }

  // 4. A well-formed signed note with a valid signature by the trusted key and no invalid one.
  const note = openNote(doc.checkpoint, key);

  // 5. A well-formed checkpoint body for this log and this tree size.
  const cp = parseCheckpoint(note.body);
  if (cp.origin !== key.name) {
    throw new ReceiptError('checkpoint_mismatch', `the checkpoint's origin ${JSON.stringify(cp.origin)} is not the key name ${JSON.stringify(key.name)}`);
  }
  if (cp.size !== BigInt(treeSize)) {
    throw new ReceiptError('checkpoint_mismatch', `tree_size ${treeSize} differs from the checkpoint's tree size ${cp.size}`);
  }

  // 6. The receipt's leaf hash and the inclusion proof lead to the signed root.
  const leaf = leafHashOf(doc.receipt);
  const check = verifyInclusion(leaf, leafIndex, treeSize, proof, cp.root);
  if (!check.ok) throw new ReceiptError('proof_invalid', check.reason);

  const root = encodeBase64(cp.root);
  return {
    leafIndex, treeSize, root, key, pinned: opts.trustedKey !== undefined, checkpointBody: note.body, receipt: doc.receipt,
    anchor: parseAnchorMember(doc.anchor),
    summary: `ok tree_size=${treeSize} leaf_index=${leafIndex} root=${root}`,
  };
}
