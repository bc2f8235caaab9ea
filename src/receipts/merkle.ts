// RFC 9162 section 2.1 Merkle trees (the same tree as RFC 6962): tree hash, inclusion and
// consistency proofs from stored subtree hashes, and their verification. Pure; @noble/hashes only.
import { sha256 } from '@noble/hashes/sha2.js';

/** A 32-byte SHA-256 hash. */
export type Hash = Uint8Array;

/** The two hash functions of RFC 9162: leaves are prefixed 0x00, interior nodes 0x01. */
export interface MerkleHasher {
  /** SHA-256(0x00 || data). */
  leaf(data: Uint8Array): Hash;
  /** SHA-256(0x01 || left || right). */
  node(left: Hash, right: Hash): Hash;
}

/** RFC 9162 hashing with @noble/hashes (portable: no Node crypto). */
export const rfc9162Hasher: MerkleHasher = {
  leaf(data) {
    const buf = new Uint8Array(data.length + 1);
    buf.set(data, 1);
    return sha256(buf);
  },
  node(left, right) {
    const buf = new Uint8Array(65);
    buf[0] = 1;
    buf.set(left, 1);
    buf.set(right, 33);
    return sha256(buf);
  },
};

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

/** The largest power of two strictly smaller than `n` (n > 1): the RFC 9162 split point k, k < n <= 2k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2 of a power of two. */
function levelOf(powerOfTwo: number): number {
  let l = 0;
  while (2 ** l < powerOfTwo) l++;
  return l;
}

/**
 * Where a prover reads stored hashes: the hash of the perfect subtree at `level` (2^level leaves)
 * number `index`, i.e. MTH(D[index*2^level : (index+1)*2^level]). Level 0 are leaf hashes.
 */
export interface SubtreeSource {
  perfect(level: number, index: number): Hash;
}

/**
 * MTH(D[start : start+size]) for an aligned range (start a multiple of the largest power of two <= size,
 * as every range in RFC 9162's recursion is), from at most log2(size)+1 stored perfect subtrees.
 */
export function rangeHash(src: SubtreeSource, start: number, size: number, h: MerkleHasher = rfc9162Hasher): Hash {
  if (size === 0) return EMPTY_ROOT;
  const pieces: Hash[] = [];
  let off = start;
  for (let level = levelOf(size + 1); level >= 0; level--) {
    const width = 2 ** level;
    if (Math.floor(size / width) % 2 === 1) {
      if (off % width !== 0) throw new RangeError(`range ${start}+${size} is not aligned`);
      pieces.push(src.perfect(level, off / width));
      off += width;
    }
  }
  let acc = pieces[pieces.length - 1] as Hash;
  for (let i = pieces.length - 2; i >= 0; i--) acc = h.node(pieces[i] as Hash, acc);
  return acc;
}

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number within 2^53, got ${n}`);
}

/**
 * PATH(index, D[size]) of RFC 9162 section 2.1.3.1, leaf to root, in O(log size) stored-hash reads.
 */
export function inclusionProof(src: SubtreeSource, index: number, size: number, h: MerkleHasher = rfc9162Hasher): Hash[] {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw new RangeError(`index ${index} is outside a tree of ${size}`);
  const topDown: Hash[] = [];
  let start = 0;
  let n = size;
  let m = index;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      topDown.push(rangeHash(src, start + k, n - k, h));
      n = k;
    } else {
      topDown.push(src.perfect(levelOf(k), start / k));
      start += k;
      m -= k;
      n -= k;
    }
  }
  return topDown.reverse();
}

/**
 * PROOF(oldSize, D[newSize]) of RFC 9162 section 2.1.4.1, in O(log newSize) stored-hash reads.
 * Empty when oldSize is 0 or equal to newSize.
 */
export function consistencyProof(src: SubtreeSource, oldSize: number, newSize: number, h: MerkleHasher = rfc9162Hasher): Hash[] {
  checkSize(oldSize, 'old size');
  checkSize(newSize, 'new size');
  if (oldSize > newSize) throw new RangeError(`old size ${oldSize} is larger than new size ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const topDown: Hash[] = [];
  let start = 0;
  let size = newSize;
  let m = oldSize;
  let whole = true; // the `b` flag of SUBPROOF: still on the path of the old tree's root
  while (m !== size) {
    const k = splitPoint(size);
    if (m <= k) {
      topDown.push(rangeHash(src, start + k, size - k, h));
      size = k;
    } else {
      topDown.push(src.perfect(levelOf(k), start / k));
      start += k;
      m -= k;
      size -= k;
      whole = false;
    }
  }
  const head = whole ? [] : [rangeHash(src, start, m, h)];
  return [...head, ...topDown.reverse()];
}

/** Outcome of a proof check: ok, or the reason it failed. */
export type ProofCheck = { ok: true } | { ok: false; reason: string };

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

/**
 * The root an inclusion proof leads to (RFC 9162 section 2.1.3.2), or the reason there is none.
 * Integers are handled as doubles with exact halving, valid up to 2^53 - 1.
 */
export function rootFromInclusionProof(
  leafHash: Hash, index: number, size: number, proof: readonly Hash[], h: MerkleHasher = rfc9162Hasher,
): { ok: true; root: Hash } | { ok: false; reason: string } {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || size < 0) return { ok: false, reason: 'index and size must be whole numbers within 2^53' };
  if (index >= size) return { ok: false, reason: `leaf index ${index} is not below tree size ${size}` };
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return { ok: false, reason: `inclusion proof is too long (${proof.length} hashes) for leaf ${index} of ${size}` };
    if (fn % 2 === 1 || fn === sn) {
      r = h.node(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      r = h.node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return { ok: false, reason: `inclusion proof is too short (${proof.length} hashes) for leaf ${index} of ${size}` };
  return { ok: true, root: r };
}

/** RFC 9162 section 2.1.3.2: does `proof` show `leafHash` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  leafHash: Hash, index: number, size: number, proof: readonly Hash[], root: Hash, h: MerkleHasher = rfc9162Hasher,
): ProofCheck {
  const r = rootFromInclusionProof(leafHash, index, size, proof, h);
  if (!r.ok) return r;
  if (!equal(r.root, root)) return { ok: false, reason: `inclusion proof for leaf ${index} of ${size} leads to a different root than the checkpoint's` };
  return { ok: true };
}

/** RFC 9162 section 2.1.4.2: is the tree (newSize, newRoot) an append-only extension of (oldSize, oldRoot)? */
export function verifyConsistency(
  oldSize: number, newSize: number, oldRoot: Hash, newRoot: Hash, proof: readonly Hash[], h: MerkleHasher = rfc9162Hasher,
): ProofCheck {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || newSize < 0) return { ok: false, reason: 'sizes must be whole numbers within 2^53' };
  if (oldSize > newSize) return { ok: false, reason: `old size ${oldSize} is larger than new size ${newSize}` };
  if (oldSize === newSize) {
    if (proof.length !== 0) return { ok: false, reason: 'a proof between equal sizes must be empty' };
    return equal(oldRoot, newRoot) ? { ok: true } : { ok: false, reason: `two different roots for the same size ${oldSize}` };
  }
  if (oldSize === 0) {
    if (proof.length !== 0) return { ok: false, reason: 'a proof from the empty tree must be empty' };
    return equal(oldRoot, EMPTY_ROOT) ? { ok: true } : { ok: false, reason: 'the root of the empty tree must be SHA-256 of the empty string' };
  }
  if (proof.length === 0) return { ok: false, reason: 'consistency proof is empty' };
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return { ok: false, reason: `consistency proof is too long (${proof.length} hashes) for ${oldSize} -> ${newSize}` };
    if (fn % 2 === 1 || fn === sn) {
      fr = h.node(c, fr);
      sr = h.node(c, sr);
      while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      sr = h.node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return { ok: false, reason: `consistency proof is too short (${proof.length} hashes) for ${oldSize} -> ${newSize}` };
  if (!equal(fr, oldRoot)) return { ok: false, reason: `consistency proof does not lead to the old root (size ${oldSize})` };
  if (!equal(sr, newRoot)) return { ok: false, reason: `consistency proof does not lead to the new root (size ${newSize})` };
  return { ok: true };
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/**
 * A streaming tree builder (a compact range over D[0:size]): append leaf hashes one by one and read
 * MTH of everything so far at any point, in O(log n) memory.
 */
export class MerkleFrontier {
  /** Perfect subtrees covering the leaves so far, largest (leftmost) first. */
  private readonly stack: Array<{ width: number; hash: Hash }> = [];
  private count = 0;
  constructor(private readonly h: MerkleHasher = rfc9162Hasher) {}

  /** Number of leaves appended. */
  get size(): number {
    return this.count;
  }

  /** Append one leaf hash. */
  push(leafHash: Hash): void {
    let node = { width: 1, hash: leafHash };
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top || top.width !== node.width) break;
      this.stack.pop();
      node = { width: node.width * 2, hash: this.h.node(top.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
  }

  /** MTH of the leaves appended so far. */
  root(): Hash {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let acc = (this.stack[this.stack.length - 1] as { hash: Hash }).hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = this.h.node((this.stack[i] as { hash: Hash }).hash, acc);
    return acc;
  }
}

/** MTH over a list of leaf hashes (RFC 9162 section 2.1.1), in O(n) time and O(log n) memory. */
export function treeHash(leafHashes: readonly Hash[], h: MerkleHasher = rfc9162Hasher): Hash {
  const f = new MerkleFrontier(h);
  for (const l of leafHashes) f.push(l);
  return f.root();
}

/**
 * The right edge of a tree of `size` leaves as stored nodes: `[level, index]` of the root of each
 * complete subtree the next leaf may join, lowest level first (one per set bit of `size`).
 */
export function rightEdgeKeys(size: number): Array<[number, number]> {
  const keys: Array<[number, number]> = [];
  for (let l = 0, s = size; s > 0; l++, s = Math.floor(s / 2)) if (s % 2 === 1) keys.push([l, s - 1]);
  return keys;
}

/**
 * Append leaf number `size` to a stored tree whose right edge is `edge` (hash by level, as
 * {@link rightEdgeKeys} names them; updated in place). Returns the nodes to store, the leaf first,
 * as `[level, index, hash]`; throws if the edge lacks a node the leaf completes.
 */
export function appendToEdge(edge: Map<number, Hash>, size: number, leaf: Hash, h: MerkleHasher): Array<[number, number, Hash]> {
  const out: Array<[number, number, Hash]> = [[0, size, leaf]];
  let node = leaf;
  let level = 0;
  let idx = size;
  while (idx % 2 === 1) {
    const left = edge.get(level);
    if (!left) throw new Error(`the tree's right edge has no node at level ${level} for leaf ${size}`);
    edge.delete(level);
    node = h.node(left, node);
    level++;
    idx = (idx - 1) / 2;
    out.push([level, idx, node]);
  }
  edge.set(level, node);
  return out;
}
