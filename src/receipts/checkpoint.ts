// C2SP tlog-checkpoint bodies (c2sp.org/tlog-checkpoint): origin, tree size, base64 root hash.
import { decodeBase64Canonical, encodeBase64 } from './base64.js';
import { EMPTY_ROOT, type Hash } from './merkle.js';
import { ReceiptError } from './receiptError.js';

/** A checkpoint: the log's signed statement "my first `size` entries have Merkle root `root`". */
export interface Checkpoint {
  /** The log's identity; in this profile, the log key's name. */
  origin: string;
  /** Tree size; a bigint because C2SP allows sizes up to 2^64 - 1. */
  size: bigint;
  /** MTH of the first `size` entries (32 bytes). */
  root: Hash;
  /** Optional extension lines (not used by VAIBot, ignored by verifiers). */
  extensions: string[];
}

const MAX_SIZE = 2n ** 64n;

/** The checkpoint body: `origin\nsize\nbase64(root)\n` plus any extension lines. */
export function formatCheckpoint(cp: { origin: string; size: number | bigint; root: Hash; extensions?: string[] }): string {
  const ext = cp.extensions ?? [];
  if (cp.origin === '' || cp.origin.includes('\n')) throw new ReceiptError('checkpoint_malformed', 'the origin must be one non-empty line');
  if (cp.root.length !== 32) throw new ReceiptError('checkpoint_malformed', 'the root hash must be 32 bytes');
  if (ext.some((l) => l === '' || l.includes('\n'))) throw new ReceiptError('checkpoint_malformed', 'extension lines must be non-empty single lines');
  return `${[cp.origin, BigInt(cp.size).toString(10), encodeBase64(cp.root), ...ext].join('\n')}\n`;
}

/** Parse a checkpoint body (the note text, final newline included); throws `checkpoint_malformed`. */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw new ReceiptError('checkpoint_malformed', 'checkpoint: the body does not end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw new ReceiptError('checkpoint_malformed', `checkpoint: ${lines.length} body lines, at least 3 needed (origin, size, root)`);
  const empty = lines.findIndex((l) => l === '');
  if (empty >= 0) throw new ReceiptError('checkpoint_malformed', `checkpoint: body line ${empty + 1} is empty`);
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText)) throw new ReceiptError('checkpoint_malformed', `checkpoint: the tree size ${JSON.stringify(sizeText)} is not a decimal number without sign or leading zeros`);
  const size = BigInt(sizeText);
  if (size >= MAX_SIZE) throw new ReceiptError('checkpoint_malformed', 'checkpoint: the tree size is not below 2^64');
  const root = decodeBase64Canonical(rootText);
  if (!root) throw new ReceiptError('checkpoint_malformed', 'checkpoint: the root hash is not canonical standard padded base64');
  if (root.length !== 32) throw new ReceiptError('checkpoint_malformed', `checkpoint: the root hash is ${root.length} bytes, not 32`);
  if (size === 0n && !root.every((b, i) => b === EMPTY_ROOT[i])) {
    throw new ReceiptError('checkpoint_malformed', 'checkpoint: the root of an empty tree must be SHA-256 of the empty string');
  }
  return { origin, size, root, extensions };
}
