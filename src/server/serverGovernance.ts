import { createHash, randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { Approver } from '../../machines/approval.types.js';
import type { DecisionEngine } from '../governance/decisionEngine.js';
import type { Intent, IntentBody } from '../intent/intent.js';
import { contentHash } from '../intent/contentHash.js';
import { intentOf } from '../intent/intentOf.js';
import { RECEIPT_VERSION, type Decision, type Outcome, type Receipt } from '../receipts/receipt.js';
import { redactText, redactValue } from '../receipts/redact.js';
import type { ApprovalScope } from '../../machines/approval.types.js';
import type { DecideRequest, DecideResponse, FinalizeWireRequest } from '../remote/wire.js';
import { toWireRisk } from '../remote/wire.js';
import type { AccountTx, ServerReceipt, ServerStore } from '../serverStore/serverStore.js';
import type { PersistedApproval } from '../state/approvalStore.js';
import { ApiError } from './apiError.js';
import { approveStep, decisionApprovalStep, denyStep, type ApprovalStep, type HumanStepResult } from './approvalStep.js';
import type { EventBus } from './eventBus.js';

/** What the server's governance needs. */
export interface ServerGovernanceDeps {
  store: ServerStore;
  /** The same decision engine as embedded mode (classifier + policy). */
  engine: DecisionEngine;
  bus: EventBus;
  now: () => number;
  /** How long a blocked action waits for a human, ms. */
  approvalTtlMs: number;
}

/** The agent a decide/finalize request comes from. */
export interface AgentCaller {
  accountId: string;
  installId: string | null;
}

/** Receipts accepted from a spool upload. */
export interface UploadResult {
  stored: number;
  duplicates: number;
}

/** A human act's outcome for the API. */
export interface HumanActOutcome {
  accountId: string;
  contentHash: string;
  approvalStatus: string;
  changed: boolean;
  why?: string;
}

const SHELL_TOOLS = new Set(['Bash', 'exec_command', 'shell', 'local_shell']);

/** Build the intent a decide request names: the full body when the client sent it, else from command/target/params. */
export function intentFromWire(req: DecideRequest): Intent {
  const rawCwd = req.intent.cwd ?? req.workspace_dir ?? '/';
  if (!isAbsolute(rawCwd)) throw new ApiError('bad_request', 'intent.cwd must be an absolute path', 'intent.cwd');
  if (req.intent.body !== undefined) {
    return { tool: req.tool, cwd: rawCwd, body: req.intent.body as IntentBody };
  }
  if (SHELL_TOOLS.has(req.tool) && typeof req.intent.command === 'string') {
    return { tool: req.tool, cwd: rawCwd, body: { kind: 'shell', command: req.intent.command } };
  }
  const input = req.params !== undefined ? req.params : { command: req.intent.command ?? null, target: req.intent.target ?? null };
  return intentOf(req.tool, input, rawCwd);
}

function actorOf(by: Approver | undefined): string | null {
  return by ? `${by.via}:${by.id}` : null;
}

async function applyStep<R>(tx: AccountTx, hash: string, step: ApprovalStep<R>, at: number, bus: EventBus, emitted: Array<() => void>): Promise<R> {
  if (step.next) await tx.putApproval(hash, step.next, at);
  const state: string = step.next?.value ?? (await tx.approval(hash))?.value ?? 'unknown';
  for (const e of step.events) {
    await tx.addApprovalEvent({ contentHash: hash, type: e.type, at: e.at, actor: 'by' in e ? actorOf(e.by) : null, stateAfter: state, body: e });
  }
  if (step.next && step.events.length) {
    const s = step.next.value;
    emitted.push(() => bus.publish({ type: 'approval', accountId: tx.accountId, contentHash: hash, state: s, at }));
  }
  return step.result;
}

function receiptEvent(bus: EventBus, s: ServerReceipt): () => void {
  const r = s.receipt;
  return () => bus.publish({ type: 'receipt', accountId: s.accountId, receiptId: r.id, contentHash: r.content_hash, kind: r.kind, decision: r.decision, tool: r.tool, at: r.at });
}

/**
 * Governance on the server: the embedded rules over the shared database. A decision, its
 * approval step and its receipt are written in one account transaction; events go out after commit.
 */
export function serverGovernance(deps: ServerGovernanceDeps) {
  const { store, engine, bus } = deps;

  async function decide(caller: AgentCaller, req: DecideRequest): Promise<DecideResponse> {
    const intent = intentFromWire(req);
    const hash = contentHash(intent);
    if (req.content_hash !== undefined && req.content_hash !== hash) {
      throw new ApiError('bad_request', `content_hash ${req.content_hash} does not match the intent (server computed ${hash})`, 'content_hash');
    }
    const mode = req.mode ?? 'enforce';
    const event = req.event ?? 'PreToolUse';
    const at = deps.now();
    const writes = intent.body.kind === 'shell' ? await store.sessionWrites(caller.accountId, req.session_id) : new Map<string, string>();
    const verdict = engine(intent, writes);
    const emitted: Array<() => void> = [];
    const out = await store.withAccount(caller.accountId, async (tx) => {
      let decision: Decision = verdict.action;
      let basis: string = verdict.basis;
      let reason = verdict.reason;
      let approvalState: string | null = null;
      if (verdict.action === 'approval_required' && event === 'PreToolUse' && mode === 'enforce') {
        const step = decisionApprovalStep(await tx.approval(hash), {
          hash, tool: intent.tool, sessionId: req.session_id, at, ttlMs: deps.approvalTtlMs, reason: verdict.reason,
        });
        const gate = await applyStep(tx, hash, step, at, bus, emitted);
        approvalState = gate.state;
        if (gate.kind === 'allow') { decision = 'allow'; basis = 'previously_approved'; }
        else if (gate.kind === 'deny') { decision = 'deny'; basis = 'previously_denied'; reason = `a human denied this exact action (${gate.denialReason})`; }
        else basis = 'awaiting_approval';
      }
      const receipt: Receipt = {
        v: RECEIPT_VERSION, id: randomUUID(), kind: 'decision', mode, content_hash: hash, tool: intent.tool, cwd: intent.cwd,
        intent: redactValue(intent.body), risk: { level: verdict.risk.level, rule_ids: verdict.ruleIds, reason: redactText(verdict.risk.reason) },
        decision: mode === 'enforce' ? decision : 'allow', shadow_decision: decision, basis, approval_state: approvalState,
        session_id: req.session_id, turn_id: req.turn_id ?? null, tool_use_id: req.tool_use_id ?? null, event,
        agent: { name: req.agent_id ?? 'codex', model: req.agent_model ?? null, install_id: caller.installId }, at: new Date(at).toISOString(), follows: null,
      };
      const { stored } = await tx.appendReceipt(receipt, { fresh: true });
      emitted.push(receiptEvent(bus, stored));
      await tx.openRun({ runId: receipt.id, contentHash: hash, sessionId: req.session_id, tool: intent.tool, cwd: intent.cwd, intentBody: intent.body, mode, startedAt: at });
      return { receipt, decision, basis, reason, approvalState };
    });
    for (const e of emitted) e();
    return {
      ok: true,
      run_id: out.receipt.id,
      receipt_id: out.receipt.id,
      content_hash: hash,
      risk: {
        risk: toWireRisk(verdict.risk.level),
        reason: verdict.risk.reason,
        rule_ids: verdict.ruleIds,
        findings: verdict.risk.findings.map((f) => ({ rule_id: f.ruleId, category: f.category, level: toWireRisk(f.level), reason: f.reason })),
      },
      decision: { decision: out.decision, reason: out.reason },
      shadow_decision: verdict.action,
      previously_approved: out.basis === 'previously_approved',
      previously_denied: out.basis === 'previously_denied',
      basis: out.basis,
      approval_state: out.approvalState,
    };
  }

  async function finalize(caller: AgentCaller, runId: string, req: FinalizeWireRequest): Promise<{ receiptId: string; duplicate: boolean }> {
    const at = deps.now();
    const emitted: Array<() => void> = [];
    const out = await store.withAccount(caller.accountId, async (tx) => {
      const run = await tx.run(runId);
      if (!run) throw new ApiError('not_found', `no run ${runId} in this account`, 'run_id');
      if (run.outcomeReceiptId !== null) return { receiptId: run.outcomeReceiptId, duplicate: true };
      const r = req.result ?? {};
      const status = r.status ?? (req.outcome !== 'allowed' ? 'unknown' : r.error ? 'failed' : r.exit_code === undefined || r.exit_code === null ? 'unknown' : r.exit_code === 0 ? 'succeeded' : 'failed');
      const outcome: Outcome = {
        status,
        exit_code: r.exit_code ?? null,
        duration_ms: r.duration_ms ?? Math.max(0, at - run.startedAt),
        error: r.error ? redactText(r.error) : null,
        output_sha256: r.output_sha256 ?? `sha256:${createHash('sha256').update(r.summary ?? '', 'utf8').digest('hex')}`,
      };
      const receipt: Receipt = {
        v: RECEIPT_VERSION, id: req.receipt_id ?? randomUUID(), kind: 'outcome', mode: run.mode, content_hash: run.contentHash, tool: run.tool, cwd: run.cwd,
        intent: redactValue(run.intentBody), risk: null, decision: null, shadow_decision: null, basis: req.outcome === 'allowed' ? 'outcome' : `outcome:${req.outcome}`,
        approval_state: null, session_id: run.sessionId, turn_id: null, tool_use_id: null, event: 'PostToolUse',
        agent: { name: 'codex', model: null, install_id: caller.installId }, at: new Date(at).toISOString(), follows: run.runId, outcome,
      };
      const { stored, duplicate } = await tx.appendReceipt(receipt);
      await tx.closeRun(runId, stored.receipt.id);
      const body = run.intentBody as IntentBody;
      if (req.outcome === 'allowed' && body.kind === 'patch' && status !== 'failed') {
        for (const t of body.targets) {
          if (t.op === 'add' || t.op === 'update') await tx.recordWrite(run.sessionId, t.path, t.added, at);
          if (t.op === 'move' && t.to) await tx.recordWrite(run.sessionId, t.to, t.added, at);
        }
      }
      if (!duplicate) emitted.push(receiptEvent(bus, stored));
      return { receiptId: stored.receipt.id, duplicate };
    });
    for (const e of emitted) e();
    return out;
  }

  async function upload(caller: AgentCaller, receipts: Receipt[]): Promise<UploadResult> {
    const emitted: Array<() => void> = [];
    const result = await store.withAccount(caller.accountId, async (tx) => {
      let stored = 0;
      let duplicates = 0;
      for (const r of receipts) {
        const res = await tx.appendReceipt({ ...r, agent: { ...r.agent, install_id: r.agent.install_id ?? caller.installId } });
        if (res.duplicate) duplicates++;
        else { stored++; emitted.push(receiptEvent(bus, res.stored)); }
      }
      return { stored, duplicates };
    });
    for (const e of emitted) e();
    return result;
  }

  async function humanAct(
    accountIds: string[] | null,
    hash: string,
    accountId: string | undefined,
    step: (cur: PersistedApproval, at: number) => ApprovalStep<HumanStepResult>,
  ): Promise<HumanActOutcome> {
    const scope = accountId === undefined ? accountIds : accountIds === null || accountIds.includes(accountId) ? [accountId] : [];
    const found = await store.approvalsOf(scope, hash);
    if (found.length === 0) throw new ApiError('not_found', `no approval request for ${hash}`, 'content_hash');
    if (found.length > 1) {
      throw new ApiError('conflict', `${hash} is pending in several accounts (${found.map((f) => f.accountId).join(', ')}); name one with account_id`, 'account_id');
    }
    const target = (found[0] as { accountId: string }).accountId;
    const at = deps.now();
    const emitted: Array<() => void> = [];
    const res = await store.withAccount(target, async (tx) => {
      const cur = await tx.approval(hash);
      if (!cur) throw new ApiError('not_found', `no approval request for ${hash}`, 'content_hash');
      return applyStep(tx, hash, step(cur, at), at, bus, emitted);
    });
    for (const e of emitted) e();
    return { accountId: target, contentHash: hash, approvalStatus: res.state, changed: res.changed, ...(res.changed ? {} : { why: res.why }) };
  }

  return {
    decide,
    finalize,
    upload,
    /** A human approves the exact action with this hash (idempotent). */
    approve: (accountIds: string[] | null, hash: string, by: Approver, scope: ApprovalScope, accountId?: string) =>
      humanAct(accountIds, hash, accountId, (cur, at) => approveStep(cur, by, scope, at)),
    /** A human denies it (final, idempotent). */
    deny: (accountIds: string[] | null, hash: string, by: Approver, reason: string | undefined, accountId?: string) =>
      humanAct(accountIds, hash, accountId, (cur, at) => denyStep(cur, by, reason, at)),
  };
}

/** The server governance object. */
export type ServerGovernance = ReturnType<typeof serverGovernance>;
