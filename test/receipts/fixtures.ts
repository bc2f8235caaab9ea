import type { Hash, SubtreeSource } from '../../src/receipts/merkle.js';
import { rfc9162Hasher } from '../../src/receipts/merkle.js';

/** The Ed25519 seed of the spec's worked example: bytes 0x00..0x1f. */
export const SPEC_SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
/** The spec example's key name and origin. */
export const SPEC_NAME = 'example.com/receipts-log';

/** The three receipts of the spec example, as objects. */
export const SPEC_RECEIPTS: Array<Record<string, unknown>> = [
  { receipt_id: 'r-0001', decision: 'allow', tool: 'shell', command: 'ls -la', ts: 1764115200 },
  { tool: 'shell', receipt_id: 'r-0002', decision: 'deny', command: 'rm -rf /', risk: { level: 'dangerous', score: 0.99 }, note: 'café €' },
  { receipt_id: 'r-0003', decision: 'allow', tool: 'apply_patch', ts: 1.7641152e9 },
];

/** The spec example's bundle for receipt 1, byte for byte as printed there. */
export const SPEC_BUNDLE = `{
  "receipt": {
    "tool": "shell",
    "receipt_id": "r-0002",
    "decision": "deny",
    "command": "rm -rf /",
    "risk": { "level": "dangerous", "score": 0.99 },
    "note": "café €"
  },
  "leaf_index": 1,
  "tree_size": 3,
  "inclusion_proof": [
    "H24syZ58BX2jhOtOk9cySh9v8Yzlv4m5RpOD8oC0kMU=",
    "6cAK0tireazvDfiWxvY5FhtW8jwznz3tOWn6lPqhwns="
  ],
  "checkpoint": "example.com/receipts-log\\n3\\nKjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=\\n\\n\u2014 example.com/receipts-log NlJcS700Y8/LCI396kq5pyfIhfF9JPeh+fAtPaom2cQlqbSrVEAReEj8qDybiQvgpUpSKM5/aV40kDw3v4ckkRT7SAM=\\n",
  "log_public_key": "example.com/receipts-log+36525c4b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
}
`;

/** The spec example's checkpoint at size 2. */
export const SPEC_OLD_CHECKPOINT = 'example.com/receipts-log\n2\n9yJJpMuGqRAbL7KTxBciguqdXY92c4CCxyOD8jN3z04=\n\n\u2014 example.com/receipts-log NlJcS1/QvJ93VK9lRqE611BmgpcWSaLxwx0shPp1B/ODDBBRNKY13Y9yFO95UgZCtnMy6PwIiFawMhnv5zWo+VWW4Q4=\n';

/** A SubtreeSource over in-memory leaf hashes that computes perfect subtrees on demand and counts reads. */
export function memorySource(leaves: Hash[]): SubtreeSource & { reads: number } {
  const memo = new Map<string, Hash>();
  const src = {
    reads: 0,
    perfect(level: number, index: number): Hash {
      src.reads++;
      return node(level, index);
    },
  };
  function node(level: number, index: number): Hash {
    if (level === 0) {
      const l = leaves[index];
      if (!l) throw new RangeError(`no leaf ${index}`);
      return l;
    }
    const key = `${level}/${index}`;
    let h = memo.get(key);
    if (!h) {
      h = rfc9162Hasher.node(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
      memo.set(key, h);
    }
    return h;
  }
  return src;
}
