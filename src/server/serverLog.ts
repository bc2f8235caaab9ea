import type { Logger } from 'pino';
import type { Hex } from 'viem';
import { exportScopedBundle, scopedSigner, type ScopedReceiptLog } from '../receipts/kyselyLog.js';
import type { LogKey } from '../receipts/logKey.js';
import type { CheckpointPolicy } from '../receipts/logSettings.js';
import type { CheckpointRecord } from '../receipts/receiptLog.js';
import { isCheckpointDue } from '../receipts/checkpointer.js';
import { ReceiptError } from '../receipts/receiptError.js';
import { parseNote } from '../receipts/signedNote.js';
import type { ServerStore } from '../serverStore/serverStore.js';

/** Where and how often the server anchors its accounts' checkpoints on an EVM chain. */
export interface ServerAnchorSettings {
  rpcUrl: string;
  chainId: number;
  privateKey: Hex;
  /** Anchor an account's newest checkpoint once it is this old (ms) and not yet on the chain. */
  everyMs: number;
  timeoutMs?: number;
}

/** The longest wait before retrying a failed anchoring (ms); shorter when anchoring is more frequent. */
const ANCHOR_RETRY_MAX_MS = 15 * 60_000;

/** What the server's log service needs. */
export interface ServerLogOptions {
  store: ServerStore;
  log: ScopedReceiptLog;
  /** The server's log key; each account signs as `<key name>/<account id>`. */
  key: LogKey;
  policy: CheckpointPolicy;
  anchor?: ServerAnchorSettings;
  now?: () => number;
  logger?: Logger;
}

/** What one pass of the schedule did. */
export interface LogTickResult {
  checkpoints: number;
  anchors: number;
  /** Accounts skipped, with why (a failure never stops the others). */
  skipped: Array<{ accountId: string; why: string }>;
}

/** The server's verifiable log: per-account checkpoints and anchors on a schedule, bundles on demand. */
export interface ServerLog {
  /** The verifier key of an account's log (`vaibot verify --key`). */
  verifierKey(accountId: string): string;
  latestCheckpoint(accountId: string): Promise<CheckpointRecord | null>;
  /** The bundle of an account's receipt (by receipt id or content hash), verified before it is returned. */
  bundle(accountId: string, selector: string): Promise<{ text: string; verifierKey: string }>;
  /** One pass: sign every account's checkpoint that is due, then anchor what is due. */
  tick(): Promise<LogTickResult>;
  /** Run {@link tick} every `periodMs` until the returned function is called (which waits for a pass in flight). */
  start(periodMs: number): () => Promise<void>;
}

/**
 * The log service of `vaibot serve`. An account's checkpoint is due when `policy.every` receipts are
 * not yet covered, or when receipts wait and the newest checkpoint is `policy.intervalMs` old. A
 * checkpoint signed by a different key (another instance with its own key) is never followed by one
 * of ours: the account is skipped and the operator told, because verifiers trust one key per log.
 */
export function serverLog(o: ServerLogOptions): ServerLog {
  const now = o.now ?? Date.now;
  // per account: when it was last anchored on the configured chain, and when a failed attempt may be retried
  const lastAnchorAt = new Map<string, number>();
  const anchorRetryAt = new Map<string, number>();
  const signers = new Map<string, ReturnType<typeof scopedSigner>>();
  const signerOf = (accountId: string) => {
    let s = signers.get(accountId);
    if (!s) { s = scopedSigner(o.key, accountId); signers.set(accountId, s); }
    return s;
  };

  function foreignKey(accountId: string, cp: CheckpointRecord | null): string | null {
    if (!cp) return null;
    const mine = signerOf(accountId);
    return cp.keyName === mine.name && cp.keyId === Buffer.from(mine.keyId).toString('hex') ? null
      : `its newest checkpoint is signed by ${cp.keyName} (key ${cp.keyId}), not by this server's key: give every instance the same log key`;
  }

  // the embedded checkpointer's rule, over the stored checkpoint
  const due = (at: number) => (last: CheckpointRecord | null, size: number): boolean =>
    isCheckpointDue(last ? { size: last.treeSize, atMs: Date.parse(last.issuedAt) } : null, size, at, o.policy);

  async function tickAccount(accountId: string, receiptCount: number, at: number, result: LogTickResult): Promise<void> {
    const before = await o.log.latestCheckpoint(accountId);
    const foreign = foreignKey(accountId, before);
    if (foreign) { result.skipped.push({ accountId, why: foreign }); return; }
    let record = before;
    // the receipt count bounds the tree's size, so a checkpoint not due by it is not due at all:
    // no fold and no write transaction for an account that only gained a few receipts
    const isDue = due(at);
    if (receiptCount > (before?.treeSize ?? 0) && isDue(before, receiptCount)) {
      const issued = await o.log.issueCheckpoint(accountId, signerOf(accountId), new Date(at), isDue);
      record = issued.record;
      if (issued.created) result.checkpoints++;
    }
    const a = o.anchor;
    if (!a || !record || record.anchors.some((x) => x.chainId === a.chainId)) return;
    // anchor the newest checkpoint once the previous anchor of this account is `everyMs` old, and
    // after a failed attempt (each one may cost gas) wait as long again before the next
    const retryAt = anchorRetryAt.get(accountId) ?? 0;
    if (at < retryAt) return;
    let newest = lastAnchorAt.get(accountId);
    if (newest === undefined) {
      const anchored = (await o.log.checkpoints(accountId)).flatMap((c) => c.anchors.filter((x) => x.chainId === a.chainId));
      newest = anchored.reduce((m, x) => Math.max(m, Date.parse(x.anchoredAt)), 0);
      lastAnchorAt.set(accountId, newest);
    }
    if (newest > 0 && at - newest < a.everyMs) return;
    const { publishAnchor } = await import('../receipts/anchor.js');
    let anchor;
    try {
      anchor = await publishAnchor({
        rpcUrl: a.rpcUrl, chainId: a.chainId, privateKey: a.privateKey, checkpointBody: parseNote(record.note).body,
        treeSize: record.treeSize, ...(a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : {}), now: () => new Date(now()),
      });
    } catch (err) {
      anchorRetryAt.set(accountId, at + Math.min(a.everyMs, ANCHOR_RETRY_MAX_MS));
      throw err;
    }
    await o.log.addAnchor(accountId, anchor);
    lastAnchorAt.set(accountId, Date.parse(anchor.anchoredAt));
    anchorRetryAt.delete(accountId);
    result.anchors++;
  }

  async function tick(): Promise<LogTickResult> {
    const result: LogTickResult = { checkpoints: 0, anchors: 0, skipped: [] };
    const at = now();
    for (const account of await o.store.accounts()) {
      if (account.receiptCount === 0) continue;
      try {
        await tickAccount(account.id, account.receiptCount, at, result);
      } catch (err) {
        result.skipped.push({ accountId: account.id, why: err instanceof Error ? err.message : String(err) });
      }
    }
    for (const s of result.skipped) o.logger?.warn({ account: s.accountId, why: s.why }, 'log: account skipped');
    if (result.checkpoints || result.anchors) o.logger?.info({ checkpoints: result.checkpoints, anchors: result.anchors }, 'log: signed');
    return result;
  }

  return {
    verifierKey: (accountId) => signerOf(accountId).verifierKey,
    latestCheckpoint: (accountId) => o.log.latestCheckpoint(accountId),
    async bundle(accountId, selector) {
      const foreign = foreignKey(accountId, await o.log.latestCheckpoint(accountId));
      if (foreign) throw new ReceiptError('config_invalid', `cannot export from account ${accountId}: ${foreign}`);
      const { text, verifierKey } = await exportScopedBundle(o.log, accountId, o.key, selector, new Date(now()));
      return { text, verifierKey };
    },
    tick,
    start(periodMs) {
      let stopped = false;
      let inFlight: Promise<unknown> | null = null;
      const timer = setInterval(() => {
        if (stopped || inFlight) return; // a slow pass (a chain that is slow to mine) is never stacked
        inFlight = tick().catch((err: unknown) => {
          o.logger?.error({ err: err instanceof Error ? err.message : String(err) }, 'log: pass failed');
        }).finally(() => { inFlight = null; });
      }, periodMs);
      timer.unref();
      return async () => { stopped = true; clearInterval(timer); if (inFlight) await inFlight; };
    },
  };
}
