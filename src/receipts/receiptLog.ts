import type { Hash } from './merkle.js';
import type { NoteSigner } from './signedNote.js';

/** A checkpoint anchored on an EVM chain: the self-send transaction that carries its body. */
export interface AnchorRecord {
  treeSize: number;
  chainId: number;
  /** 0x-prefixed transaction hash. */
  txHash: string;
  blockNumber: number;
  /** The sending (and receiving) account. */
  sender: string;
  anchoredAt: string;
}

/** A signed checkpoint as stored with the log. */
export interface CheckpointRecord {
  treeSize: number;
  root: Hash;
  /** The complete signed note. */
  note: string;
  keyName: string;
  /** Hex key ID of the signing key. */
  keyId: string;
  issuedAt: string;
  anchors: AnchorRecord[];
}

/** One receipt in log order: leaf index = seq - 1. */
export interface LogEntry {
  index: number;
  seq: number;
  id: string;
  contentHash: string;
  /** The stored JSON body, as written by the store. */
  body: string;
  /** The leaf hash the store recorded at append time (hex). */
  storedLeafHash: string;
}

/** Decides, inside the issuing transaction, whether a new checkpoint is due. */
export type CheckpointDue = (latest: CheckpointRecord | null, treeSize: number) => boolean;

/**
 * The verifiable log over the receipts table: stored Merkle subtrees, signed checkpoints, anchors.
 * Embedded: one per install, in the same SQLite file as the receipts.
 */
export interface ReceiptLog {
  /** Extend the stored tree with every receipt appended since; returns the tree size. */
  sync(): number;
  /** Leaves in the stored tree. */
  treeSize(): number;
  /** MTH of the first `size` leaves from stored subtrees. */
  root(size: number): Hash;
  /** RFC 9162 inclusion proof, leaf to root, in O(log n) reads. */
  inclusionProof(index: number, size: number): Hash[];
  /** RFC 9162 consistency proof from `oldSize` to `newSize`. */
  consistencyProof(oldSize: number, newSize: number): Hash[];
  /** A stored perfect-subtree hash, or null. */
  storedNode(level: number, index: number): Hash | null;
  /**
   * Sync, then sign a checkpoint of the whole tree unless the newest one already covers it (or `due`
   * says no). Returns the newest checkpoint and whether it was just issued.
   */
  issueCheckpoint(signer: NoteSigner, now: Date, due?: CheckpointDue): { record: CheckpointRecord | null; created: boolean };
  latestCheckpoint(): CheckpointRecord | null;
  /** Every stored checkpoint, smallest tree first. */
  checkpoints(): CheckpointRecord[];
  checkpointAt(treeSize: number): CheckpointRecord | null;
  /** Record that a checkpoint was published on a chain. */
  addAnchor(anchor: AnchorRecord): void;
  /** Receipts whose id or content hash (`sha256:<hex>` or bare hex) is `selector`, oldest first. */
  findEntries(selector: string): LogEntry[];
  /** Every receipt in seq order (streamed). */
  entries(): IterableIterator<LogEntry>;
  /** Number of rows in the receipts table and the largest seq. */
  receiptCount(): { rows: number; maxSeq: number };
  /** Leaf indexes whose stored leaf hash equals `leafHash` (a linear scan). */
  indexesOfLeaf(leafHash: Hash): number[];
  close(): void;
}
