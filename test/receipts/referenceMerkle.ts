// An independent, straightforward transcription of RFC 9162 section 2.1 (recursive MTH, PATH, PROOF),
// hashing with node:crypto, used only to check src/receipts/merkle.ts. Memoized by range so that
// checking every proof of every tree up to a few hundred leaves stays fast.
import { createHash } from 'node:crypto';

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** A reference tree over leaf data D[0..n). */
export class ReferenceTree {
  private readonly memo = new Map<string, Uint8Array>();
  constructor(readonly data: Uint8Array[]) {}

  /** k: the largest power of two smaller than n. */
  static k(n: number): number {
    let k = 1;
    while (k << 1 < n) k <<= 1;
    return k;
  }

  /** MTH(D[lo:hi]). */
  mth(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (n === 0) return sha();
    if (n === 1) return sha(Uint8Array.of(0), this.data[lo] as Uint8Array);
    const key = `${lo}:${hi}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const k = ReferenceTree.k(n);
    const r = sha(Uint8Array.of(1), this.mth(lo, lo + k), this.mth(lo + k, hi));
    this.memo.set(key, r);
    return r;
  }

  /** PATH(m, D[lo:hi]). */
  path(m: number, lo: number, hi: number): Uint8Array[] {
    const n = hi - lo;
    if (n === 1) return [];
    const k = ReferenceTree.k(n);
    if (m < k) return [...this.path(m, lo, lo + k), this.mth(lo + k, hi)];
    return [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  /** PROOF(m, D[0:n]). */
  proof(m: number, n: number): Uint8Array[] {
    if (m === 0 || m === n) return [];
    return this.subproof(m, 0, n, true);
  }

  private subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const k = ReferenceTree.k(n);
    if (m <= k) return [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)];
    return [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}
