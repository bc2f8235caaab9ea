import { existsSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { loadBreaker } from '../../state/breakerStore.js';
import { breakerFile, databaseFile } from '../../state/paths.js';
import { pendingApprovals } from '../../governance/humanApprovals.js';
import { readIdentity } from '../../identity/identity.js';
import { openSqliteStore } from '../../store/sqliteStore.js';
import { isVaibotError } from '../../util/vaibotError.js';
import { VERSION } from '../../util/version.js';

/** `vaibot status [--json]`: breaker, pending approvals, mode, receipts. Reads only; creates nothing. */
const status: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, [], ['json']);
  const settings = loadSettings(io.env);
  const problems: string[] = [];
  let breaker: { state: string; openedAt: string | null; cooldownMs: number; recentFailures: number } | null = null;
  try {
    const b = loadBreaker(settings.home);
    breaker = b === null
      ? { state: 'closed', openedAt: null, cooldownMs: settings.breaker.cooldownMs, recentFailures: 0 }
      : { state: b.value, openedAt: b.context.openedAt === null ? null : new Date(b.context.openedAt).toISOString(), cooldownMs: b.context.cooldownMs, recentFailures: b.context.failures.length };
  } catch (err) {
    if (!isVaibotError(err)) throw err;
    problems.push(err.message);
  }
  const now = Date.now();
  const pending = pendingApprovals(settings.home, now).map((a) => ({
    hash: a.context.hash, tool: a.context.tool, state: a.value, reason: a.context.reason,
    requestedAt: new Date(a.context.requestedAt).toISOString(), expiresAt: new Date(a.context.expiresAt).toISOString(),
  }));
  let receipts = 0;
  const db = databaseFile(settings.home);
  if (existsSync(db)) {
    try {
      const store = openSqliteStore(db, { readonly: true });
      receipts = store.count();
      store.close();
    } catch (err) {
      if (!isVaibotError(err)) throw err;
      problems.push(err.message);
    }
  }
  let installId: string | null = null;
  try { installId = readIdentity(settings.home)?.installId ?? null; } catch (err) { if (isVaibotError(err)) problems.push(err.message); else throw err; }
  const report = {
    version: VERSION,
    mode: settings.mode,
    governance: settings.apiUrl ? { kind: 'remote', url: settings.apiUrl } : { kind: 'embedded' },
    home: settings.home,
    installId,
    breaker,
    breakerFile: breakerFile(settings.home),
    pending,
    receipts,
    problems,
  };
  if (args.options.has('json')) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout([
      `VAIBot ${VERSION} — mode ${settings.mode}, ${settings.apiUrl ? `remote ${settings.apiUrl}` : 'embedded governance'}`,
      `home: ${settings.home}${installId ? ` (install ${installId})` : ' (no identity yet: created at the first Codex session)'}`,
      `breaker: ${breaker ? breaker.state : 'unreadable'}`,
      `pending approvals: ${pending.length}${pending.length ? ' — see `vaibot pending`' : ''}`,
      `receipts: ${receipts}`,
      ...problems.map((p) => `problem: ${p}`),
      '',
    ].join('\n'));
  }
  return problems.length > 0 ? 1 : 0;
};
export default status;
