import { readFileSync } from 'node:fs';
import type * as z from 'zod/mini';
import { VaibotError } from '../util/vaibotError.js';
import { writeFileAtomic } from './secureFs.js';
import { withFileLock } from './fileLock.js';

/** The current on-disk format version of snapshot files. */
export const SNAPSHOT_FILE_VERSION = 1;

/** How to fix a bad state file, for the reason shown to the user. */
function fixFor(file: string): string {
  return `inspect or remove ${file} (a human decides: removing a breaker file closes the breaker; removing an approval forgets it)`;
}

/**
 * Read and validate one versioned snapshot file. Returns null when it does not exist.
 * Throws `state_unreadable` (permissions, I/O) or `state_corrupt` (bad JSON, wrong version, invalid
 * shape), each naming the file and the fix.
 */
export function readSnapshotFile<S>(file: string, schema: z.ZodMiniType<S>): S | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VaibotError('state_unreadable', `cannot read state file ${file}: ${(err as Error).message}; fix its permissions`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new VaibotError('state_corrupt', `state file ${file} is not valid JSON; ${fixFor(file)}`, { cause: err });
  }
  const envelope = parsed as { version?: unknown; snapshot?: unknown };
  if (typeof parsed !== 'object' || parsed === null || envelope.version !== SNAPSHOT_FILE_VERSION) {
    throw new VaibotError('state_corrupt', `state file ${file} has an unknown format version; ${fixFor(file)}`);
  }
  const result = schema.safeParse(envelope.snapshot);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
    throw new VaibotError('state_corrupt', `state file ${file} is invalid (${where}); ${fixFor(file)}`);
  }
  return result.data;
}

/** Write one snapshot atomically (temp + rename, 0600, in a 0700 directory). */
export function writeSnapshotFile<S>(file: string, snapshot: S, at: number, lastEvent?: { type: string }): void {
  writeFileAtomic(file, `${JSON.stringify({ version: SNAPSHOT_FILE_VERSION, updatedAt: at, snapshot, ...(lastEvent ? { lastEvent } : {}) })}\n`);
}

/** The event that produced the stored snapshot (for the inspector), if recorded. */
export function readLastEvent(file: string): { type: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { lastEvent?: { type?: unknown } };
    return parsed.lastEvent && typeof parsed.lastEvent.type === 'string' ? (parsed.lastEvent as { type: string }) : null;
  } catch {
    return null;
  }
}

/**
 * Read-modify-write a snapshot file under its lock, so concurrent hook processes lose no update.
 * `step` gets the current snapshot (null if none) and returns the next one and a result; a next
 * snapshot of `undefined` leaves the file as it is.
 */
export function updateSnapshotFile<S, R>(
  file: string,
  schema: z.ZodMiniType<S>,
  at: number,
  step: (current: S | null) => { next: S | undefined; result: R; event?: { type: string } },
): R {
  return withFileLock(file, () => {
    const current = readSnapshotFile(file, schema);
    const { next, result, event } = step(current);
    if (next !== undefined) writeSnapshotFile(file, next, at, event);
    return result;
  });
}
