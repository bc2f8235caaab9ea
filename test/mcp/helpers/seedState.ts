import { createHash, randomUUID } from 'node:crypto';
import { approvalGate, markBlockDelivered } from '../../../src/governance/approvalGate.js';
import { RECEIPT_VERSION, type Receipt } from '../../../src/receipts/receipt.js';
import { databaseFile } from '../../../src/state/paths.js';
import { openSqliteStore } from '../../../src/store/sqliteStore.js';

/** A content hash for test label `label`. */
export function hashOf(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

/** Seeds an action blocked until approved (as the hook leaves it), with its decision receipt. Returns its hash. */
export function seedBlocked(home: string, opts: { command: string; sessionId?: string; at?: number; ttlMs?: number; reason?: string }): string {
  const hash = hashOf(opts.command);
  const at = opts.at ?? Date.now();
  const sessionId = opts.sessionId ?? 'session-1';
  const reason = opts.reason ?? 'high risk: outbound network call';
  approvalGate({ home, hash, tool: 'Bash', sessionId, at, ttlMs: opts.ttlMs ?? 3_600_000, reason });
  markBlockDelivered(home, hash, at);
  appendReceipt(home, { hash, command: opts.command, sessionId, at, decision: 'approval_required', reason });
  return hash;
}

/** Appends one decision receipt for a shell command. */
export function appendReceipt(
  home: string,
  r: { hash: string; command: string; sessionId: string; at: number; decision: Receipt['decision']; reason: string; level?: 'high' | 'low' },
): Receipt {
  const receipt: Receipt = {
    v: RECEIPT_VERSION,
    id: randomUUID(),
    kind: 'decision',
    content_hash: r.hash,
    tool: 'Bash',
    cwd: '/work',
    intent: { kind: 'shell', command: r.command },
    risk: { level: r.level ?? 'high', rule_ids: ['net.outbound'], reason: r.reason },
    decision: r.decision,
    mode: 'enforce',
    shadow_decision: r.decision,
    basis: r.decision === 'approval_required' ? 'awaiting_approval' : 'policy',
    approval_state: r.decision === 'approval_required' ? 'blocked_until_approved' : null,
    session_id: r.sessionId,
    turn_id: 'turn-1',
    tool_use_id: `call-${randomUUID()}`,
    event: 'PreToolUse',
    agent: { name: 'codex', model: 'gpt-5.5', install_id: null },
    at: new Date(r.at).toISOString(),
    follows: null,
  };
  const store = openSqliteStore(databaseFile(home));
  try {
    store.append(receipt);
  } finally {
    store.close();
  }
  return receipt;
}
