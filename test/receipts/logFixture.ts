import { randomUUID } from 'node:crypto';
import type { Receipt } from '../../src/receipts/receipt.js';
import { RECEIPT_VERSION } from '../../src/receipts/receipt.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { databaseFile } from '../../src/state/paths.js';

/** A plausible decision receipt number `i` (distinct content per i). */
export function sampleReceipt(i: number, overrides: Partial<Receipt> = {}): Receipt {
  return {
    v: RECEIPT_VERSION,
    id: randomUUID(),
    kind: 'decision',
    content_hash: `sha256:${i.toString(16).padStart(64, '0')}`,
    tool: 'Bash',
    cwd: '/work/project',
    intent: { kind: 'shell', command: `echo receipt ${i} && ls -la src/${i}`, cwd: '/work/project' },
    risk: { level: 'low', rule_ids: ['shell.read_only'], reason: 'reads files' },
    decision: 'allow',
    mode: 'enforce',
    shadow_decision: 'allow',
    basis: 'policy',
    approval_state: null,
    session_id: 'session-1',
    turn_id: 'turn-1',
    tool_use_id: `call_${i}`,
    event: 'PreToolUse',
    agent: { name: 'codex', model: 'gpt-5.5', install_id: null },
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    follows: null,
    ...overrides,
  };
}

/** Append `n` sample receipts to the database of `home` through the real store; returns them in order. */
export function fillLog(home: string, n: number, from = 0): Receipt[] {
  const store = openSqliteStore(databaseFile(home));
  try {
    const out: Receipt[] = [];
    for (let i = from; i < from + n; i++) {
      const r = sampleReceipt(i);
      store.append(r);
      out.push(r);
    }
    return out;
  } finally {
    store.close();
  }
}
