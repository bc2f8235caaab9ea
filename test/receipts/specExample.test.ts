import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { verifyBundle } from '../../src/receipts/verifyBundle.js';
import { formatVerifierKey, keyIdOf, parseVerifierKey } from '../../src/receipts/verifierKey.js';
import { signNote } from '../../src/receipts/signedNote.js';
import { formatCheckpoint } from '../../src/receipts/checkpoint.js';
import { leafData, leafHashOf } from '../../src/receipts/leafData.js';
import { treeHash, consistencyProof, verifyConsistency, inclusionProof, type SubtreeSource } from '../../src/receipts/merkle.js';
import { encodeBase64 } from '../../src/receipts/base64.js';
import { SPEC_BUNDLE, SPEC_RECEIPTS, SPEC_OLD_CHECKPOINT, SPEC_SEED, SPEC_NAME, memorySource } from './fixtures.js';

describe('the worked example of receipt-bundle.md section 10', () => {
  it('reproduces the JCS bytes and leaf hashes', () => {
    expect(new TextDecoder().decode(leafData(SPEC_RECEIPTS[0]))).toBe('{"command":"ls -la","decision":"allow","receipt_id":"r-0001","tool":"shell","ts":1764115200}');
    expect(new TextDecoder().decode(leafData(SPEC_RECEIPTS[2]))).toBe('{"decision":"allow","receipt_id":"r-0003","tool":"apply_patch","ts":1764115200}');
    expect(SPEC_RECEIPTS.map((r) => bytesToHex(leafHashOf(r)))).toEqual([
      '1f6e2cc99e7c057da384eb4e93d7324a1f6ff18ce5bf89b9469383f280b490c5',
      '04f64782cdbc9071cb6f996208aacbded5189817d8751097654c1823c68bb698',
      'e9c00ad2d8ab79acef0df896c6f639161b56f23c339f3ded3969fa94faa1c27b',
    ]);
  });

  it('reproduces the roots, the key, the signed checkpoints and the proofs byte for byte', () => {
    const leaves = SPEC_RECEIPTS.map((r) => leafHashOf(r));
    expect(bytesToHex(treeHash(leaves.slice(0, 2)))).toBe('f72249a4cb86a9101b2fb293c4172282ea9d5d8f76738082c72383f23377cf4e');
    expect(encodeBase64(treeHash(leaves))).toBe('KjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=');
    const pub = ed25519.getPublicKey(SPEC_SEED);
    const vkey = formatVerifierKey(SPEC_NAME, pub);
    expect(vkey).toBe('example.com/receipts-log+36525c4b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4');
    const signer = { name: SPEC_NAME, keyId: keyIdOf(SPEC_NAME, pub), sign: (m: Uint8Array) => ed25519.sign(m, SPEC_SEED) };
    const note3 = signNote(formatCheckpoint({ origin: SPEC_NAME, size: 3, root: treeHash(leaves) }), signer);
    expect(note3).toBe(JSON.parse(SPEC_BUNDLE).checkpoint);
    const note2 = signNote(formatCheckpoint({ origin: SPEC_NAME, size: 2, root: treeHash(leaves.slice(0, 2)) }), signer);
    expect(note2).toBe(SPEC_OLD_CHECKPOINT);
    const src: SubtreeSource = memorySource(leaves);
    expect(inclusionProof(src, 1, 3).map(encodeBase64)).toEqual(JSON.parse(SPEC_BUNDLE).inclusion_proof);
    const proof = consistencyProof(src, 2, 3);
    expect(proof.map(encodeBase64)).toEqual(['6cAK0tireazvDfiWxvY5FhtW8jwznz3tOWn6lPqhwns=']);
    expect(verifyConsistency(2, 3, treeHash(leaves.slice(0, 2)), treeHash(leaves), proof)).toEqual({ ok: true });
  });

  it('verifies the example bundle with the summary line of the spec, pinned or not', () => {
    const expected = 'ok tree_size=3 leaf_index=1 root=KjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=';
    expect(verifyBundle(new TextEncoder().encode(SPEC_BUNDLE)).summary).toBe(expected);
    const pinned = verifyBundle(SPEC_BUNDLE, { trustedKey: 'example.com/receipts-log+36525C4B+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4' });
    expect(pinned.summary).toBe(expected);
    expect(pinned.pinned).toBe(true);
    expect(parseVerifierKey(JSON.parse(SPEC_BUNDLE).log_public_key).name).toBe(SPEC_NAME);
  });
});
