import { existsSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { databaseFile } from '../../state/paths.js';
import { openSqliteStore } from '../../store/sqliteStore.js';
import { VaibotError } from '../../util/vaibotError.js';

function describe(intent: unknown): string {
  const i = intent as { kind?: string; command?: string; targets?: Array<{ op: string; path: string }>; server?: string; name?: string } | null;
  if (!i) return '';
  if (i.kind === 'shell') return i.command ?? '';
  if (i.kind === 'patch') return (i.targets ?? []).map((t) => `${t.op} ${t.path}`).join(', ');
  if (i.kind === 'mcp') return `${i.server}/${i.name}`;
  return '';
}

/** `vaibot recent [--limit N] [--json] [--hash H]`: the newest receipts. */
const recent: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['limit', 'hash'], ['json']);
  const limitRaw = opt(args, 'limit') ?? '20';
  if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1) throw new VaibotError('input_invalid', `--limit must be a positive whole number, got ${JSON.stringify(limitRaw)}`);
  const { home } = loadSettings(io.env);
  const db = databaseFile(home);
  const rows = existsSync(db)
    ? (() => {
        const store = openSqliteStore(db, { readonly: true });
        try {
          const hash = opt(args, 'hash');
          return store.list({ limit: Number(limitRaw), ...(hash ? { contentHash: hash } : {}) });
        } finally { store.close(); }
      })()
    : [];
  if (args.options.has('json')) {
    io.stdout(`${JSON.stringify(rows.map((r) => ({ seq: r.seq, leaf_hash: r.leafHash, ...r.receipt })), null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) { io.stdout('No receipts yet.\n'); return 0; }
  for (const { seq, receipt: r } of rows) {
    const verdict = r.kind === 'outcome'
      ? `outcome ${r.outcome?.status}${r.outcome?.exit_code !== null && r.outcome?.exit_code !== undefined ? ` (exit ${r.outcome.exit_code})` : ''}`
      : `${r.decision}${r.mode === 'observe' && r.shadow_decision !== 'allow' ? ` (would be ${r.shadow_decision})` : ''} [${r.basis}${r.risk ? `, ${r.risk.level}` : ''}]`;
    io.stdout(`#${seq} ${r.at} ${r.tool} ${verdict}\n    ${describe(r.intent).slice(0, 160)}\n    ${r.content_hash}\n`);
  }
  return 0;
};
export default recent;
