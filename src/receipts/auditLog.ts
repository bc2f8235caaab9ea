// `vaibot verify --log`: recompute every leaf from the stored receipts and every checkpoint root from
// those leaves; where a signed root is not reproduced, walk down from it (authenticating stored subtree
// hashes against it) to the first leaf that differs from what was signed.
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeBase64 } from './base64.js';
import { parseCheckpoint } from './checkpoint.js';
import { MerkleFrontier, splitPoint, type Hash } from './merkle.js';
import { nodeHasher } from './nodeHasher.js';
import type { CheckpointRecord, ReceiptLog } from './receiptLog.js';
import { openNote } from './signedNote.js';
import { leafHashOfBody } from './sqliteLog.js';
import type { VerifierKey } from './verifierKey.js';

/** One thing found wrong, with the first leaf index it concerns when known. */
export interface LogProblem {
  index: number | null;
  message: string;
}

/** The outcome of auditing the whole local log. */
export interface LogAudit {
  ok: boolean;
  /** Receipts read (rows) and leaf positions (largest seq). */
  receipts: number;
  checkpointsChecked: number;
  latestCheckpointSize: number | null;
  /** Receipts after the newest checkpoint (checked against stored hashes only, not yet signed). */
  unsignedTail: number;
  /** The first bad leaf index over all problems, or null. */
  firstBadIndex: number | null;
  problems: LogProblem[];
  /** One line for people. */
  summary: string;
}

function same(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Audit the log against every stored checkpoint, trusting `key` for their signatures. */
export function auditLog(log: ReceiptLog, key: VerifierKey): LogAudit {
  const problems: LogProblem[] = [];
  const { maxSeq, rows } = log.receiptCount();
  if (maxSeq - rows > 1_000_000) {
    // Do not allocate for a sequence number an attacker made huge: that alone is the finding.
    const message = `the receipts table numbers receipts up to seq ${maxSeq} but holds only ${rows}: receipts were removed or renumbered`;
    return { ok: false, receipts: rows, checkpointsChecked: 0, latestCheckpointSize: log.latestCheckpoint()?.treeSize ?? null, unsignedTail: 0, firstBadIndex: null, problems: [{ index: null, message }], summary: message };
  }
  // Recomputed leaf hashes by index (seq - 1); a position without a receipt stays marked missing.
  const leaves = new Uint8Array(maxSeq * 32);
  const present = new Uint8Array(maxSeq);
  let firstColumnMismatch: number | null = null;
  for (const e of log.entries()) {
    if (e.seq < 1) { problems.push({ index: null, message: `receipt ${e.id} has seq ${e.seq}, outside the log` }); continue; }
    let leaf: Hash;
    try {
      leaf = leafHashOfBody(e.body);
    } catch {
      problems.push({ index: e.index, message: `index ${e.index} (receipt seq ${e.seq}): the stored body is not JSON` });
      continue;
    }
    leaves.set(leaf, e.index * 32);
    present[e.index] = 1;
    if (firstColumnMismatch === null && bytesToHex(leaf) !== e.storedLeafHash) firstColumnMismatch = e.index;
  }
  const leafAt = (i: number): Hash | null => (i < maxSeq && present[i] ? leaves.subarray(i * 32, i * 32 + 32) : null);

  // MTH over recomputed leaves [lo, hi), or null if any leaf there is missing.
  const rec = (lo: number, hi: number): Hash | null => {
    if (hi - lo === 1) return leafAt(lo);
    const k = splitPoint(hi - lo);
    const l = rec(lo, lo + k);
    if (!l) return null;
    const r = rec(lo + k, hi);
    return r ? nodeHasher.node(l, r) : null;
  };
  // MTH of [lo, hi) from the stored subtree hashes, or null if one is missing.
  const stored = (lo: number, hi: number): Hash | null => {
    const n = hi - lo;
    if (n & (n - 1) || n > 2 ** 30) {
      const k = splitPoint(n);
      const l = stored(lo, lo + k);
      const r = l && stored(lo + k, hi);
      return l && r ? nodeHasher.node(l, r) : null;
    }
    let level = 0;
    while (2 ** level < n) level++;
    return log.storedNode(level, lo / n);
  };
  // Walk down from an authenticated hash h of [lo, hi) whose recomputation differs.
  const locate = (lo: number, hi: number, h: Hash): { index: number; exact: boolean; original: Hash | null } => {
    if (hi - lo === 1) return { index: lo, exact: true, original: h };
    const mid = lo + splitPoint(hi - lo);
    const lRec = rec(lo, mid);
    const rRec = rec(mid, hi);
    const lSt = stored(lo, mid);
    const rSt = stored(mid, hi);
    if (lSt && rSt && same(nodeHasher.node(lSt, rSt), h)) return same(lRec, lSt) ? locate(mid, hi, rSt) : locate(lo, mid, lSt);
    if (lRec && rSt && same(nodeHasher.node(lRec, rSt), h)) return locate(mid, hi, rSt);
    if (lSt && rRec && same(nodeHasher.node(lSt, rRec), h)) return locate(lo, mid, lSt);
    return { index: lo, exact: false, original: null };
  };

  const checkpoints: CheckpointRecord[] = log.checkpoints();
  const frontier = new MerkleFrontier(nodeHasher);
  let gapAt: number | null = null;
  let checked = 0;
  let localized = false;
  for (const cp of checkpoints) {
    let signedRoot: Hash;
    try {
      const body = openNote(cp.note, key).body;
      const parsed = parseCheckpoint(body);
      if (parsed.origin !== key.name) throw new Error(`origin ${parsed.origin} is not the key name ${key.name}`);
      if (parsed.size !== BigInt(cp.treeSize)) throw new Error(`it says size ${parsed.size}, stored as ${cp.treeSize}`);
      signedRoot = parsed.root;
    } catch (err) {
      problems.push({ index: null, message: `checkpoint ${cp.treeSize}: ${(err as Error).message} (the stored checkpoint was altered or signed by another key)` });
      continue;
    }
    checked++;
    if (!same(signedRoot, cp.root)) problems.push({ index: null, message: `checkpoint ${cp.treeSize}: the stored root column differs from the signed root` });
    while (frontier.size < cp.treeSize && gapAt === null) {
      const l = leafAt(frontier.size);
      if (!l) { gapAt = frontier.size; break; }
      frontier.push(l);
    }
    const reproduced = gapAt === null && frontier.size === cp.treeSize && same(frontier.root(), signedRoot);
    if (reproduced) continue;
    if (localized) continue; // later checkpoints fail for the same cause
    localized = true;
    const at = locate(0, cp.treeSize, signedRoot);
    if (at.exact) {
      const i = at.index;
      const seqNote = `receipt seq ${i + 1}`;
      if (!leafAt(i)) {
        problems.push({ index: i, message: `index ${i} is missing (${seqNote} was removed${i >= maxSeq ? '; the log ends before checkpoint ' + cp.treeSize : ''})` });
      } else {
        const elsewhere = log.indexesOfLeaf(leafAt(i) as Hash).filter((j) => j !== i);
        const moved = elsewhere.length > 0 ? `; it holds the receipt signed at index ${elsewhere[0]} (reordered)` : '';
        problems.push({ index: i, message: `index ${i} (${seqNote}) differs from what checkpoint ${cp.treeSize} signed (edited, replaced or reordered)${moved}` });
      }
    } else {
      problems.push({
        index: at.index,
        message: `checkpoint ${cp.treeSize} (root ${encodeBase64(signedRoot)}) is not reproduced; the stored tree was altered as well, so the first bad index is known only to be at or after ${at.index}`,
      });
    }
  }

  const latest = checkpoints[checkpoints.length - 1] ?? null;
  const signedUpTo = latest?.treeSize ?? 0;
  // The tail after the newest checkpoint: no signature covers it; compare with what was recorded.
  for (let i = signedUpTo; i < maxSeq; i++) {
    const l = leafAt(i);
    if (!l) { problems.push({ index: i, message: `index ${i} is missing (receipt seq ${i + 1} was removed; not yet covered by a checkpoint)` }); break; }
    const st = log.storedNode(0, i);
    if (st && !same(st, l)) { problems.push({ index: i, message: `index ${i} (receipt seq ${i + 1}) differs from the leaf hash recorded in the tree (not yet covered by a checkpoint)` }); break; }
  }
  if (firstColumnMismatch !== null && !problems.some((p) => p.index !== null && p.index <= firstColumnMismatch!)) {
    problems.push({ index: firstColumnMismatch, message: `index ${firstColumnMismatch} (receipt seq ${firstColumnMismatch + 1}): the body no longer matches the leaf hash recorded when it was stored` });
  }

  const indexes = problems.map((p) => p.index).filter((i): i is number => i !== null);
  const firstBadIndex = indexes.length ? Math.min(...indexes) : null;
  const unsignedTail = Math.max(0, maxSeq - signedUpTo);
  const ok = problems.length === 0;
  const summary = ok
    ? `ok receipts=${rows} checkpoints=${checked}${latest ? ` latest=${latest.treeSize}` : ' (none signed yet)'} unsigned_tail=${unsignedTail}`
    : firstBadIndex !== null
      ? `first bad index ${firstBadIndex}: ${(problems.find((p) => p.index === firstBadIndex) as LogProblem).message}`
      : (problems[0] as LogProblem).message;
  return { ok, receipts: rows, checkpointsChecked: checked, latestCheckpointSize: latest?.treeSize ?? null, unsignedTail, firstBadIndex, problems, summary };
}
