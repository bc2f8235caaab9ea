import { existsSync } from 'node:fs';
import type { Settings } from '../config/settings.js';
import { loadBreaker } from '../state/breakerStore.js';
import { breakerFile, databaseFile } from '../state/paths.js';
import { listApprovals } from './humanApprovals.js';
import { readIdentity } from '../identity/identity.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import { isVaibotError } from '../util/vaibotError.js';
import { VERSION } from '../util/version.js';

/** The breaker as a status line shows it. */
export interface BreakerStatus {
  state: 'closed' | 'open' | 'half_open';
  /** ISO time the breaker last opened, or null. */
  openedAt: string | null;
  cooldownMs: number;
  recentFailures: number;
}

/** One action waiting for a human. */
export interface PendingStatus {
  hash: string;
  tool: string;
  state: 'pending' | 'blocked_until_approved';
  reason: string;
  sessionId: string;
  requestedAt: string;
  expiresAt: string;
}

/** Everything `vaibot status` and the MCP `status` tool report. Reads only; creates nothing. */
export interface StatusReport {
  version: string;
  mode: Settings['mode'];
  governance: { kind: 'embedded' } | { kind: 'remote'; url: string };
  home: string;
  installId: string | null;
  /** null when the breaker file could not be read (see `problems`). */
  breaker: BreakerStatus | null;
  breakerFile: string;
  pending: PendingStatus[];
  /** Approval files that could not be read (corrupt or unreadable). */
  unreadableApprovals: Array<{ hash: string; error: string }>;
  /** Receipts in the local log; null when the database could not be read. */
  receipts: number | null;
  agentApprovals: boolean;
  /** State problems found while reading, each a sentence a person can act on. */
  problems: string[];
}

/**
 * Assemble the status of the local governance state in `settings.home` at time `at`: breaker, waiting
 * approvals, receipts count, identity. Never writes. State problems (corrupt or unreadable files)
 * become entries in `problems` instead of exceptions; only programming errors throw.
 */
export function statusReport(settings: Settings, at: number = Date.now()): StatusReport {
  const problems: string[] = [];
  const guard = <T>(fallback: T, read: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (!isVaibotError(err)) throw err;
      problems.push(err.message);
      return fallback;
    }
  };

  const breaker = guard<BreakerStatus | null>(null, () => {
    const b = loadBreaker(settings.home);
    return b === null
      ? { state: 'closed', openedAt: null, cooldownMs: settings.breaker.cooldownMs, recentFailures: 0 }
      : {
          state: b.value,
          openedAt: b.context.openedAt === null ? null : new Date(b.context.openedAt).toISOString(),
          cooldownMs: b.context.cooldownMs,
          recentFailures: b.context.failures.length,
        };
  });

  const listings = guard([] as ReturnType<typeof listApprovals>, () => listApprovals(settings.home));
  const pending: PendingStatus[] = [];
  const unreadableApprovals: StatusReport['unreadableApprovals'] = [];
  for (const l of listings) {
    if (!l.ok) {
      unreadableApprovals.push({ hash: l.hash, error: l.error });
      problems.push(l.error);
      continue;
    }
    const a = l.approval;
    if ((a.value === 'pending' || a.value === 'blocked_until_approved') && a.context.expiresAt > at) {
      pending.push({
        hash: a.context.hash,
        tool: a.context.tool,
        state: a.value,
        reason: a.context.reason,
        sessionId: a.context.sessionId,
        requestedAt: new Date(a.context.requestedAt).toISOString(),
        expiresAt: new Date(a.context.expiresAt).toISOString(),
      });
    }
  }

  const db = databaseFile(settings.home);
  const receipts = guard<number | null>(null, () => {
    if (!existsSync(db)) return 0;
    const store = openSqliteStore(db, { readonly: true });
    try {
      return store.count();
    } finally {
      store.close();
    }
  });

  const installId = guard<string | null>(null, () => readIdentity(settings.home)?.installId ?? null);

  return {
    version: VERSION,
    mode: settings.mode,
    governance: settings.apiUrl ? { kind: 'remote', url: settings.apiUrl } : { kind: 'embedded' },
    home: settings.home,
    installId,
    breaker,
    breakerFile: breakerFile(settings.home),
    pending,
    unreadableApprovals,
    receipts,
    agentApprovals: settings.agentApprovals,
    problems,
  };
}
