// Section 9 of ../shared/docs/receipt-bundle.md: two checkpoints of one log and a consistency proof.
import { decodeBase64Canonical, encodeBase64 } from './base64.js';
import { parseCheckpoint } from './checkpoint.js';
import { verifyConsistency, type Hash } from './merkle.js';
import { ReceiptError } from './receiptError.js';
import { openNote } from './signedNote.js';
import { decodeUtf8Strict, parseStrictJson } from './strictJson.js';
import { parseVerifierKey } from './verifierKey.js';

/** Check that `newNote` extends `oldNote` (both signed by `trustedKey`, origin = key name) with `proofJson`. */
export function verifyCheckpointConsistency(
  oldNote: Uint8Array, newNote: Uint8Array, proofJson: Uint8Array, trustedKey: string,
): { oldSize: number; newSize: number; summary: string } {
  const key = parseVerifierKey(trustedKey);
  const open = (bytes: Uint8Array, what: string) => {
    let cp;
    try {
      cp = parseCheckpoint(openNote(decodeUtf8Strict(bytes), key).body);
    } catch (err) {
      throw new ReceiptError((err as ReceiptError).code ?? 'note_malformed', `${what} checkpoint: ${(err as Error).message}`, { cause: err });
    }
    if (cp.origin !== key.name) throw new ReceiptError('checkpoint_mismatch', `${what} checkpoint: origin ${JSON.stringify(cp.origin)} is not the key name`);
    if (cp.size > BigInt(Number.MAX_SAFE_INTEGER)) throw new ReceiptError('checkpoint_mismatch', `${what} checkpoint: tree size beyond 2^53 - 1`);
    return { size: Number(cp.size), root: cp.root };
  };
  const o = open(oldNote, 'old');
  const n = open(newNote, 'new');
  const doc = parseStrictJson(decodeUtf8Strict(proofJson));
  if (!Array.isArray(doc)) throw new ReceiptError('bundle_invalid', 'the proof must be a JSON array of base64 hashes');
  const proof: Hash[] = doc.map((p, i) => {
    const b = typeof p === 'string' ? decodeBase64Canonical(p) : null;
    if (!b || b.length !== 32) throw new ReceiptError('bundle_invalid', `proof[${i}] is not a 32-byte hash in canonical base64`);
    return b;
  });
  const r = verifyConsistency(o.size, n.size, o.root, n.root, proof);
  if (!r.ok) throw new ReceiptError('proof_invalid', r.reason);
  return { oldSize: o.size, newSize: n.size, summary: `ok consistent old_size=${o.size} new_size=${n.size} root=${encodeBase64(n.root)}` };
}
