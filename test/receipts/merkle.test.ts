import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import {
  EMPTY_ROOT, MerkleFrontier, consistencyProof, inclusionProof, rangeHash, rfc9162Hasher, treeHash, verifyConsistency, verifyInclusion,
  type Hash, type SubtreeSource,
} from '../../src/receipts/merkle.js';
import { ReferenceTree } from './referenceMerkle.js';
import { memorySource } from './fixtures.js';

/** The RFC 6962 test leaves used by the Certificate Transparency implementations. */
const RFC6962_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hexToBytes);
const RFC6962_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** A seeded PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomData(count: number, rand: () => number): Uint8Array[] {
  return Array.from({ length: count }, () => Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
}

const hex = (hs: Hash[]): string[] => hs.map(bytesToHex);

function flipBit(h: Hash, bit: number): Hash {
  const c = h.slice();
  c[bit >> 3] = (c[bit >> 3] as number) ^ (1 << (bit & 7));
  return c;
}

describe('RFC 9162 Merkle tree hash', () => {
  it('matches the RFC 6962 reference vectors for sizes 1..8 and the empty tree', () => {
    const leaves = RFC6962_LEAVES.map((d) => rfc9162Hasher.leaf(d));
    expect(bytesToHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(bytesToHex(treeHash([]))).toBe(bytesToHex(EMPTY_ROOT));
    for (let n = 1; n <= 8; n++) {
      expect(bytesToHex(treeHash(leaves.slice(0, n)))).toBe(RFC6962_ROOTS[n - 1]);
      expect(bytesToHex(rangeHash(memorySource(leaves), 0, n))).toBe(RFC6962_ROOTS[n - 1]);
      expect(bytesToHex(new ReferenceTree(RFC6962_LEAVES).mth(0, n))).toBe(RFC6962_ROOTS[n - 1]);
    }
  });

  it('never duplicates an odd node: a 3-leaf root is H(1 || H(1 || h0 || h1) || h2)', () => {
    const [h0, h1, h2] = RFC6962_LEAVES.slice(0, 3).map((d) => rfc9162Hasher.leaf(d)) as [Hash, Hash, Hash];
    expect(bytesToHex(treeHash([h0, h1, h2]))).toBe(bytesToHex(rfc9162Hasher.node(rfc9162Hasher.node(h0, h1), h2)));
    expect(bytesToHex(treeHash([h0, h1, h2]))).not.toBe(bytesToHex(rfc9162Hasher.node(rfc9162Hasher.node(h0, h1), rfc9162Hasher.node(h2, h2))));
  });

  it('agrees with a recursive reference MTH for random sizes 1..300, streamed and from stored subtrees', () => {
    const rand = prng(7);
    const data = randomData(300, rand);
    const ref = new ReferenceTree(data);
    const leaves = data.map((d) => rfc9162Hasher.leaf(d));
    const src = memorySource(leaves);
    const frontier = new MerkleFrontier();
    for (let n = 1; n <= 300; n++) {
      frontier.push(leaves[n - 1] as Hash);
      const expected = bytesToHex(ref.mth(0, n));
      expect(bytesToHex(frontier.root())).toBe(expected);
      expect(bytesToHex(rangeHash(src, 0, n))).toBe(expected);
    }
  });
});

describe('inclusion proofs', () => {
  it('the RFC 6962 vector: leaf 0 of 8', () => {
    const leaves = RFC6962_LEAVES.map((d) => rfc9162Hasher.leaf(d));
    expect(hex(inclusionProof(memorySource(leaves), 0, 8))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('for every leaf of every tree size 1..300: equals PATH(m, D[n]) and verifies against the root', () => {
    const data = randomData(300, prng(11));
    const ref = new ReferenceTree(data);
    const leaves = data.map((d) => rfc9162Hasher.leaf(d));
    const src = memorySource(leaves);
    let checked = 0;
    const failures: string[] = [];
    for (let n = 1; n <= 300; n++) {
      const root = ref.mth(0, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(src, m, n);
        if (hex(proof).join() !== hex(ref.path(m, 0, n)).join()) failures.push(`PATH(${m}, ${n}) differs`);
        if (!verifyInclusion(leaves[m] as Hash, m, n, proof, root).ok) failures.push(`proof for ${m} of ${n} does not verify`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe((300 * 301) / 2);
  });

  it('rejects every tampered proof for all sizes up to 64', () => {
    const data = randomData(64, prng(13));
    const ref = new ReferenceTree(data);
    const leaves = data.map((d) => rfc9162Hasher.leaf(d));
    const src = memorySource(leaves);
    const extra = rfc9162Hasher.leaf(Uint8Array.of(9));
    for (let n = 1; n <= 64; n++) {
      const root = ref.mth(0, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(src, m, n);
        const leaf = leaves[m] as Hash;
        const bad: Array<[string, () => ReturnType<typeof verifyInclusion>]> = [
          ['leaf changed', () => verifyInclusion(flipBit(leaf, 0), m, n, proof, root)],
          ['root changed', () => verifyInclusion(leaf, m, n, proof, flipBit(root, 255))],
          ['hash appended', () => verifyInclusion(leaf, m, n, [...proof, extra], root)],
          ['index out of range', () => verifyInclusion(leaf, n, n, proof, root)],
        ];
        proof.forEach((_, i) => {
          bad.push([`hash ${i} changed`, () => verifyInclusion(leaf, m, n, proof.map((p, j) => (j === i ? flipBit(p, 8 * i + 3) : p)), root)]);
        });
        if (proof.length > 0) bad.push(['last hash removed', () => verifyInclusion(leaf, m, n, proof.slice(0, -1), root)]);
        if (proof.length > 1) bad.push(['root-to-leaf order', () => verifyInclusion(leaf, m, n, [...proof].reverse(), root)]);
        if (n > 1) bad.push(['other index', () => verifyInclusion(leaf, (m + 1) % n, n, proof, root)]);
        for (const [what, run] of bad) {
          const r = run();
          expect(r.ok, `${what} (leaf ${m} of ${n})`).toBe(false);
        }
      }
    }
  });

  it('is accepted by an independent verifier (@sigstore/verify verifyMerkleInclusion)', () => {
    const require = createRequire(import.meta.url);
    const { verifyMerkleInclusion } = require('@sigstore/verify/dist/tlog/merkle.js') as {
      verifyMerkleInclusion: (entry: unknown, checkpoint: unknown) => void;
    };
    const data = randomData(77, prng(17));
    const ref = new ReferenceTree(data);
    const src = memorySource(data.map((d) => rfc9162Hasher.leaf(d)));
    for (const n of [1, 2, 3, 5, 8, 13, 31, 32, 33, 64, 77]) {
      for (let m = 0; m < n; m += 3) {
        const entry = { canonicalizedBody: Buffer.from(data[m] as Uint8Array), inclusionProof: { logIndex: String(m), hashes: inclusionProof(src, m, n).map((h) => Buffer.from(h)) } };
        expect(() => verifyMerkleInclusion(entry, { logSize: BigInt(n), logHash: Buffer.from(ref.mth(0, n)) })).not.toThrow();
        const wrong = { logSize: BigInt(n), logHash: Buffer.from(flipBit(ref.mth(0, n), 1)) };
        expect(() => verifyMerkleInclusion(entry, wrong)).toThrow();
      }
    }
  });

  it('reads O(log n) stored hashes: at most 2 log2(n) + 2 for any leaf of a 10^6 tree', () => {
    const n = 1_000_000;
    let reads = 0;
    const fake: SubtreeSource = {
      perfect(level, index) {
        reads++;
        const h = new Uint8Array(32);
        h[0] = level;
        new DataView(h.buffer).setUint32(1, index);
        return h;
      },
    };
    for (const m of [0, 1, 499_999, 524_287, 524_288, 999_998, 999_999]) {
      reads = 0;
      const proof = inclusionProof(fake, m, n);
      expect(proof.length).toBeLessThanOrEqual(20);
      expect(reads).toBeLessThanOrEqual(2 * 20 + 2);
      reads = 0;
      consistencyProof(fake, m + 1, n);
      expect(reads).toBeLessThanOrEqual(2 * 20 + 2);
    }
  });
});

describe('consistency proofs', () => {
  it('for every pair of sizes 0 <= m <= n <= 300: equals PROOF(m, D[n]) and verifies', () => {
    const data = randomData(300, prng(19));
    const ref = new ReferenceTree(data);
    const src = memorySource(data.map((d) => rfc9162Hasher.leaf(d)));
    const failures: string[] = [];
    let checked = 0;
    for (let n = 1; n <= 300; n++) {
      const newRoot = ref.mth(0, n);
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(src, m, n);
        if (hex(proof).join() !== hex(ref.proof(m, n)).join()) failures.push(`PROOF(${m}, ${n}) differs`);
        if (!verifyConsistency(m, n, ref.mth(0, m), newRoot, proof).ok) failures.push(`proof ${m} -> ${n} does not verify`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe((300 * 303) / 2);
  });

  it('rejects every tampered consistency proof for all sizes up to 64', () => {
    const data = randomData(64, prng(23));
    const ref = new ReferenceTree(data);
    const src = memorySource(data.map((d) => rfc9162Hasher.leaf(d)));
    const extra = rfc9162Hasher.leaf(Uint8Array.of(1));
    for (let n = 1; n <= 64; n++) {
      const newRoot = ref.mth(0, n);
      for (let m = 1; m <= n; m++) {
        const oldRoot = ref.mth(0, m);
        const proof = consistencyProof(src, m, n);
        const bad: Array<[string, ReturnType<typeof verifyConsistency>]> = [
          ['old root changed', verifyConsistency(m, n, flipBit(oldRoot, 7), newRoot, proof)],
          ['new root changed', verifyConsistency(m, n, oldRoot, flipBit(newRoot, 9), proof)],
          ['hash appended', verifyConsistency(m, n, oldRoot, newRoot, [...proof, extra])],
          ['sizes swapped', n > m ? verifyConsistency(n, m, newRoot, oldRoot, proof) : { ok: false, reason: 'n/a' }],
        ];
        proof.forEach((_, i) => bad.push([`hash ${i} changed`, verifyConsistency(m, n, oldRoot, newRoot, proof.map((p, j) => (j === i ? flipBit(p, 100 + i) : p)))]));
        if (proof.length > 0) bad.push(['last hash removed', verifyConsistency(m, n, oldRoot, newRoot, proof.slice(0, -1))]);
        if (m < n && m > 1) bad.push(['wrong old size', verifyConsistency(m - 1, n, oldRoot, newRoot, proof)]);
        for (const [what, r] of bad) expect(r.ok, `${what} (${m} -> ${n})`).toBe(false);
      }
    }
  });

  it('handles the edge cases of section 9: equal sizes, the empty old tree, old larger than new', () => {
    const data = randomData(5, prng(29));
    const ref = new ReferenceTree(data);
    const r5 = ref.mth(0, 5);
    expect(verifyConsistency(5, 5, r5, r5, [])).toEqual({ ok: true });
    expect(verifyConsistency(5, 5, r5, flipBit(r5, 0), []).ok).toBe(false);
    expect(verifyConsistency(5, 5, r5, r5, [r5]).ok).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, r5, [])).toEqual({ ok: true });
    expect(verifyConsistency(0, 5, EMPTY_ROOT, r5, [r5]).ok).toBe(false);
    expect(verifyConsistency(0, 5, r5, r5, []).ok).toBe(false);
    expect(verifyConsistency(6, 5, r5, r5, []).ok).toBe(false);
    expect(verifyConsistency(3, 5, ref.mth(0, 3), r5, []).ok).toBe(false);
  });
});
