import type { ReceiptStore, StoredReceipt } from '../store/receiptStore.js';
import { maybeCheckpoint, type CheckpointMark, type CheckpointStep } from './checkpointer.js';
import type { CheckpointPolicy } from './logSettings.js';

/** What the checkpointing store needs: where the log lives, when to sign, and where failures go. */
export interface CheckpointingOptions {
  home: string;
  dbFile: string;
  policy: CheckpointPolicy;
  now?: () => number;
  /** A checkpoint could not be signed: the receipt is stored all the same; the next call retries. */
  onError?: (err: unknown) => void;
  onStep?: (step: CheckpointStep) => void;
}

/**
 * Wrap a receipt store so that every append is followed by {@link maybeCheckpoint}. The receipt is
 * durable before the checkpoint step runs, and a failing checkpoint never fails the append.
 */
export function withCheckpoints(store: ReceiptStore, opts: CheckpointingOptions): ReceiptStore {
  const now = opts.now ?? Date.now;
  let known: CheckpointMark | null = null;
  const after = (stored: StoredReceipt): StoredReceipt => {
    try {
      const step = maybeCheckpoint({ home: opts.home, dbFile: opts.dbFile, size: stored.seq, nowMs: now(), policy: opts.policy, known });
      known = step.mark;
      opts.onStep?.(step);
    } catch (err) {
      opts.onError?.(err);
    }
    return stored;
  };
  return {
    append: (receipt, run) => after(store.append(receipt, run)),
    appendOutcome: (receipt, toolUseId) => after(store.appendOutcome(receipt, toolUseId)),
    list: (q) => store.list(q),
    byId: (id) => store.byId(id),
    run: (toolUseId) => store.run(toolUseId),
    recordWrite: (sessionId, path, content, at) => store.recordWrite(sessionId, path, content, at),
    sessionWrites: (sessionId) => store.sessionWrites(sessionId),
    count: () => store.count(),
    close: () => store.close(),
  };
}
