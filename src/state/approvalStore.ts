import { readdirSync } from 'node:fs';
import { initialTransition, transition } from 'xstate';
import * as z from 'zod/mini';
import { approvalMachine, type ApprovalContext, type ApprovalEvent, type ApprovalInput } from '../../machines/approval.machine.js';
import { persistedSnapshotSchema, toPersisted, type PersistedMachineSnapshot } from './persistedSnapshot.js';
import { readSnapshotFile, updateSnapshotFile } from './snapshotFile.js';
import { approvalFile, approvalsDir } from './paths.js';
import { VaibotError } from '../util/vaibotError.js';

/** The approval machine's states. */
export const APPROVAL_STATES = ['pending', 'blocked_until_approved', 'approved', 'denied', 'consumed', 'expired'] as const;
/** One of the approval machine's states. */
export type ApprovalState = (typeof APPROVAL_STATES)[number];
/** An approval snapshot as stored on disk. */
export type PersistedApproval = PersistedMachineSnapshot<ApprovalState, ApprovalContext>;

const HASH_RE = /^sha256:[0-9a-f]{64}$/;
const ms = z.number().check(z.gte(0));
const approver = z.object({
  id: z.string(),
  via: z.enum(['cli', 'dashboard', 'mcp-elicitation', 'agent-mediated', 'api']),
});
const scope = z.union([
  z.object({ kind: z.literal('once') }),
  z.object({ kind: z.literal('session'), sessionId: z.string() }),
  z.object({ kind: z.literal('until'), until: ms }),
]);
const contextSchema = z.object({
  hash: z.string().check(z.regex(HASH_RE)),
  tool: z.string(),
  sessionId: z.string(),
  requestedAt: ms,
  expiresAt: ms,
  reason: z.string(),
  decidedAt: z.nullable(ms),
  decidedBy: z.nullable(approver),
  scope: z.nullable(scope),
  denialReason: z.nullable(z.string()),
  uses: z.number().check(z.int(), z.gte(0)),
});

/** Schema of a persisted approval snapshot. */
export const persistedApprovalSchema = persistedSnapshotSchema<ApprovalState, ApprovalContext>(APPROVAL_STATES, contextSchema);

/** Whether a string is a well-formed content hash (`sha256:` + 64 lowercase hex). */
export function isContentHash(hash: string): boolean {
  return HASH_RE.test(hash);
}

/** A new approval actor's persisted snapshot (state `pending`). */
export function newApproval(input: ApprovalInput): PersistedApproval {
  const [snapshot] = initialTransition(approvalMachine, input);
  return toPersisted<ApprovalState, ApprovalContext>(approvalMachine.getPersistedSnapshot(snapshot) as never);
}

/** Step a persisted approval by one event with the pure machine. */
export function stepPersistedApproval(stored: PersistedApproval, event: ApprovalEvent): PersistedApproval {
  const snapshot = approvalMachine.resolveState({ value: stored.value, context: stored.context });
  const [next] = transition(approvalMachine, snapshot, event);
  return toPersisted<ApprovalState, ApprovalContext>(approvalMachine.getPersistedSnapshot(next) as never);
}

/** Read the approval for a content hash, or null when there is none. */
export function loadApproval(home: string, hash: string): PersistedApproval | null {
  if (!isContentHash(hash)) throw new VaibotError('input_invalid', `not a content hash: ${hash}`);
  return readSnapshotFile(approvalFile(home, hash), persistedApprovalSchema);
}

/**
 * Read-modify-write the approval of one hash under its lock. `step` sees the current snapshot (or
 * null) and returns the next one (undefined = unchanged) plus a result.
 */
export function updateApproval<R>(
  home: string,
  hash: string,
  at: number,
  step: (current: PersistedApproval | null) => { next: PersistedApproval | undefined; result: R; event?: { type: string } },
): R {
  if (!isContentHash(hash)) throw new VaibotError('input_invalid', `not a content hash: ${hash}`);
  return updateSnapshotFile(approvalFile(home, hash), persistedApprovalSchema, at, step);
}

/** Every stored approval's hash (corrupt files included: callers load each and report errors). */
export function listApprovalHashes(home: string): string[] {
  let names: string[];
  try {
    names = readdirSync(approvalsDir(home));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new VaibotError('state_unreadable', `cannot list ${approvalsDir(home)}: ${(err as Error).message}`, { cause: err });
  }
  return names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).map((n) => `sha256:${n.slice(0, 64)}`);
}
