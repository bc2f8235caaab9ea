import { randomUUID } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import type { Receipt, Decision } from '../receipts/receipt.js';
import { RECEIPT_VERSION } from '../receipts/receipt.js';
import { redactText, redactValue } from '../receipts/redact.js';
import type { ReceiptStore } from '../store/receiptStore.js';
import type { DecisionEngine, EngineVerdict } from './decisionEngine.js';
import type { DecisionRequest, FinalizeRequest, FinalizeResult, GovernanceService, Verdict } from './governanceService.js';
import { approvalGate, markBlockDelivered } from './approvalGate.js';
import { sweepSession } from './humanApprovals.js';
import { outcomeOf } from './toolResponse.js';
import type { Intent } from '../intent/intent.js';


/** What the embedded governance needs from its surroundings. */
export interface LocalGovernanceDeps {
  settings: Settings;
  /** Opened lazily, once. */
  store: () => ReceiptStore;
  engine: DecisionEngine;
  installId: string | null;
}

function baseReceipt(
  kind: Receipt['kind'],
  r: { intent: Intent; hash: string; sessionId: string; turnId: string | null; toolUseId: string | null; model: string | null; at: number },
  event: string,
  mode: Receipt['mode'],
  installId: string | null,
): Omit<Receipt, 'risk' | 'decision' | 'shadow_decision' | 'basis' | 'approval_state' | 'follows'> {
  return {
    v: RECEIPT_VERSION,
    id: randomUUID(),
    kind,
    mode,
    content_hash: r.hash,
    tool: r.intent.tool,
    cwd: r.intent.cwd,
    intent: redactValue(r.intent.body),
    session_id: r.sessionId,
    turn_id: r.turnId,
    tool_use_id: r.toolUseId,
    event,
    agent: { name: 'codex', model: r.model, install_id: installId },
    at: new Date(r.at).toISOString(),
  };
}

/**
 * Embedded governance: classify + policy locally, approvals through the approval statechart in
 * VAIBOT_HOME, every decision and outcome a durable receipt in SQLite before the hook answers.
 */
export function localGovernance(deps: LocalGovernanceDeps): GovernanceService {
  const { settings } = deps;
  return {
    async decide(req: DecisionRequest): Promise<Verdict> {
      const store = deps.store();
      const engine: EngineVerdict = deps.engine(req.intent, req.intent.body.kind === 'shell' ? store.sessionWrites(req.sessionId) : new Map());
      let decision: Decision = engine.action;
      let basis: Verdict['basis'] = engine.basis;
      let reason = engine.reason;
      let approvalState: string | null = null;
      let newBlock = false;
      // Approvals only where a human can act on them: PreToolUse in enforce mode.
      if (engine.action === 'approval_required' && req.event === 'PreToolUse' && req.mode === 'enforce') {
        const gate = approvalGate({
          home: settings.home, hash: req.hash, tool: req.intent.tool, sessionId: req.sessionId, at: req.at, ttlMs: settings.approvalTtlMs, reason: engine.reason,
        });
        approvalState = gate.state;
        basis = gate.basis;
        if (gate.kind === 'allow') decision = 'allow';
        else if (gate.kind === 'deny') { decision = 'deny'; reason = `a human denied this exact action (${gate.denialReason})`; }
        else newBlock = gate.isNew;
      }
      const receipt: Receipt = {
        ...baseReceipt('decision', req, req.event, req.mode, deps.installId),
        risk: { level: engine.risk.level, rule_ids: engine.ruleIds, reason: redactText(engine.risk.reason) },
        decision: req.mode === 'enforce' ? decision : 'allow',
        shadow_decision: decision,
        basis,
        approval_state: approvalState,
        follows: null,
      };
      const run = req.toolUseId && (req.mode === 'observe' || decision === 'allow')
        ? { toolUseId: req.toolUseId, sessionId: req.sessionId, contentHash: req.hash, decisionReceiptId: receipt.id, startedAt: req.at }
        : undefined;
      store.append(receipt, run);
      if (newBlock) approvalState = markBlockDelivered(settings.home, req.hash, req.at) ?? approvalState;
      return { decision, policyDecision: engine.action, basis, reason, risk: engine.risk, ruleIds: engine.ruleIds, approvalState, receiptId: receipt.id };
    },

    async finalize(req: FinalizeRequest): Promise<FinalizeResult> {
      const store = deps.store();
      const run = req.toolUseId ? store.run(req.toolUseId) : null;
      const outcome = outcomeOf(req.toolResponse, req.at, run?.startedAt ?? null, req.withheld);
      const receipt: Receipt = {
        ...baseReceipt('outcome', req, 'PostToolUse', req.mode, deps.installId),
        risk: null,
        decision: null,
        shadow_decision: null,
        basis: 'outcome',
        approval_state: null,
        follows: run?.decisionReceiptId ?? null,
        outcome,
      };
      store.appendOutcome(receipt, req.toolUseId);
      if (req.intent.body.kind === 'patch' && outcome.status !== 'failed') {
        for (const t of req.intent.body.targets) {
          if (t.op === 'add' || t.op === 'update') store.recordWrite(req.sessionId, t.path, t.added, req.at);
          if (t.op === 'move' && t.to) store.recordWrite(req.sessionId, t.to, t.added, req.at);
        }
      }
      return { receiptId: receipt.id };
    },

    async sweep(sessionId: string, at: number, mode): Promise<number> {
      const swept = sweepSession(settings.home, sessionId, at);
      if (swept.length > 0) {
        const store = deps.store();
        for (const hash of swept) {
          store.append({
            v: RECEIPT_VERSION, id: randomUUID(), kind: 'decision', content_hash: hash, tool: 'unknown', cwd: '', intent: null,
            risk: null, decision: 'deny', mode, shadow_decision: 'deny', basis: 'stop_sweep', approval_state: 'denied',
            session_id: sessionId, turn_id: null, tool_use_id: null, event: 'Stop',
            agent: { name: 'codex', model: null, install_id: deps.installId }, at: new Date(at).toISOString(), follows: null,
          });
        }
      }
      return swept.length;
    },
  };
}
