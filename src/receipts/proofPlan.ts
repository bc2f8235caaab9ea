import type { Hash, SubtreeSource } from './merkle.js';

/** A stored perfect subtree: level and index. */
export type SubtreeKey = readonly [level: number, index: number];

const DUMMY = new Uint8Array(32);

/**
 * Run a computation over stored subtrees (a proof, a root) for a store that answers asynchronously:
 * first against a recorder to learn which subtrees it reads (which does not depend on their values),
 * then fetch them all in one round trip, then run it again against the fetched hashes. O(log n) keys.
 */
export async function withFetchedSubtrees<T>(
  compute: (src: SubtreeSource) => T,
  fetch: (keys: SubtreeKey[]) => Promise<Map<string, Hash>>,
): Promise<T> {
  const keys = new Map<string, SubtreeKey>();
  compute({
    perfect(level, index) {
      keys.set(`${level}/${index}`, [level, index]);
      return DUMMY;
    },
  });
  const found = keys.size === 0 ? new Map<string, Hash>() : await fetch([...keys.values()]);
  return compute({
    perfect(level, index) {
      const h = found.get(`${level}/${index}`);
      if (!h) throw new RangeError(`stored subtree ${level}/${index} is missing`);
      return h;
    },
  });
}
