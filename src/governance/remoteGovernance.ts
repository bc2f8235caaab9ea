import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Mode, Settings } from '../config/settings.js';
import { RECEIPT_VERSION, type Decision, type Receipt } from '../receipts/receipt.js';
import { redactText, redactValue } from '../receipts/redact.js';
import type { RiskAssessment } from '../risk/assessment.js';
import { recordBreakerEvent } from '../state/breakerStore.js';
import { apiCall, type ApiOutcome } from '../remote/apiCall.js';
import { credentialsFile, readCredentials, saveCredentials } from '../remote/credentials.js';
import { bootstrapFingerprint } from '../remote/fingerprint.js';
import { openSpool, type Spool, type SpoolItem } from '../remote/spool.js';
import { bootstrapResponseSchema, decideResponseSchema, fromWireRisk, type DecideRequest, type DecideResponse, type FinalizeWireRequest } from '../remote/wire.js';
import { breakerGate, type BreakerGate } from './breakerGate.js';
import type { DecisionEngine } from './decisionEngine.js';
import type { DecisionRequest, FinalizeRequest, FinalizeResult, GovernanceService, Verdict, VerdictBasis } from './governanceService.js';
import { outcomeOf } from './toolResponse.js';

/** What remote governance needs from the hook's surroundings. */
export interface RemoteGovernanceDeps {
  /** Settings with `apiUrl` set (VAIBOT_API_URL). */
  settings: Settings;
  /** Current time, ms (default Date.now). */
  now?: () => number;
  /** A line on stderr. */
  breadcrumb?: (line: string) => void;
  /** This install's random id (creating the identity if needed); called only to bootstrap. */
  installId: () => string;
  /** Optional local engine: classifies decisions taken locally while the server is unreachable (for their receipts only). */
  engine?: DecisionEngine;
  /** The spool (default: `<home>/remote-spool.db`, opened lazily). */
  spool?: () => Spool;
  /** Most spooled items delivered per decide call (default 20, in at most 2 requests). */
  flushBudget?: number;
}

/** What a flush delivered. */
export interface FlushResult {
  delivered: number;
  duplicates: number;
  rejected: number;
  remaining: number;
  /** Why it stopped early (breaker open, server unreachable), if it did. */
  stopped: string | null;
}

/** Remote governance plus spool control (for `vaibot status`, tests and the Stop hook). */
export interface RemoteGovernance extends GovernanceService {
  /** Deliver spooled receipts and outcomes (bounded by `maxRequests`). */
  flush(maxRequests?: number): Promise<FlushResult>;
}

type Guarded<T> = { kind: 'gate'; gate: Exclude<BreakerGate, { kind: 'call' }> } | { kind: 'result'; res: ApiOutcome<T> };

const okSchema = z.object({ ok: z.literal(true) }).passthrough();
const batchSchema = z.object({ ok: z.literal(true), stored: z.number(), duplicates: z.number() });
const finalizeSchema = z.object({ ok: z.literal(true), receipt_id: z.string().optional(), duplicate: z.boolean().optional() });
const BASES: ReadonlySet<string> = new Set(['policy', 'previously_approved', 'previously_denied', 'awaiting_approval', 'policy_invalid', 'breaker_open']);

const NOT_CLASSIFIED: RiskAssessment = { level: 'none', findings: [], reason: 'not classified: the governance server was not reached' };

/** The seed's message when the server has this machine's account but no key is stored locally. */
export function missingKeyMessage(home: string): string {
  return `VAIBot: account exists but API key not found locally.\nCheck ${credentialsFile(home)} or set VAIBOT_API_KEY manually.`;
}

function verdictFrom(res: DecideResponse): Verdict {
  const basis = (BASES.has(res.basis ?? '') ? res.basis : res.previously_approved ? 'previously_approved' : res.previously_denied ? 'previously_denied' : 'policy') as VerdictBasis;
  return {
    decision: res.decision.decision,
    policyDecision: res.shadow_decision,
    basis,
    reason: res.decision.reason,
    risk: {
      level: fromWireRisk(res.risk.risk),
      reason: res.risk.reason,
      findings: (res.risk.findings ?? []).map((f) => ({ ruleId: f.rule_id, category: f.category, level: fromWireRisk(f.level), reason: f.reason })),
    },
    ruleIds: res.risk.rule_ids ?? [],
    approvalState: res.approval_state ?? null,
    receiptId: res.receipt_id,
  };
}

function toWire(req: DecisionRequest): DecideRequest {
  const body = req.intent.body;
  return {
    session_id: req.sessionId,
    agent_id: 'codex',
    agent_model: req.model,
    tool: req.intent.tool,
    workspace_dir: req.intent.cwd,
    intent: {
      command: body.kind === 'shell' ? body.command : body.kind === 'patch' ? body.patch : null,
      target: body.kind === 'patch' ? (body.targets[0]?.path ?? null) : null,
      cwd: req.intent.cwd,
      body: body as DecideRequest['intent']['body'],
    },
    content_hash: req.hash as `sha256:${string}`,
    mode: req.mode,
    event: req.event,
    turn_id: req.turnId,
    tool_use_id: req.toolUseId,
  };
}

/**
 * Remote governance (VAIBOT_API_URL set): every call to the server is one attempt with
 * VAIBOT_TIMEOUT_MS, guarded by the persisted breaker (call.requested before, call.succeeded /
 * call.failed after; only network errors, timeouts, 5xx and unparseable bodies are transient).
 * While the breaker is open, or a call fails, the seed's rules decide locally (allowlist passes,
 * the rest is denied with an actionable reason, observe never blocks), and the receipts of those
 * decisions and of outcomes the server did not take are spooled and uploaded once it answers:
 * idempotent by receipt id, so nothing is lost and nothing is stored twice.
 */
export function remoteGovernance(deps: RemoteGovernanceDeps): RemoteGovernance {
  const { settings } = deps;
  if (!settings.apiUrl) throw new TypeError('remoteGovernance needs settings.apiUrl');
  const apiUrl = settings.apiUrl;
  const now = deps.now ?? Date.now;
  const say = deps.breadcrumb ?? (() => undefined);
  let spool: Spool | undefined;
  const spoolOf = () => (spool ??= deps.spool ? deps.spool() : openSpool(settings.home));
  let key: string | undefined = settings.apiKey;

  async function guarded<T>(tool: string, mode: Mode, call: () => Promise<ApiOutcome<T>>): Promise<Guarded<T>> {
    const id = randomUUID();
    const at = now();
    const { after } = recordBreakerEvent(settings.home, settings.breaker, { type: 'call.requested', at, id });
    const gate = breakerGate(after, id, tool, mode, settings.breaker, at);
    if (gate.kind !== 'call') return { kind: 'gate', gate };
    const res = await call();
    const { before, after: next } = recordBreakerEvent(settings.home, settings.breaker, res.ok
      ? { type: 'call.succeeded', at: now(), id }
      : { type: 'call.failed', at: res.at, transient: res.transient, id });
    if (before?.value !== 'open' && next.value === 'open') {
      spoolOf().add({ kind: 'breaker', id: randomUUID(), body: { event: 'tripped', at: res.ok ? now() : res.at } }, now());
      say(`VAIBot: the governance server failed ${settings.breaker.failureThreshold} times; breaker open for ${Math.round(next.context.cooldownMs / 1000)}s`);
    } else if (before?.value === 'half_open' && next.value === 'closed') {
      spoolOf().add({ kind: 'breaker', id: randomUUID(), body: { event: 'closed', at: now() } }, now());
    }
    return { kind: 'result', res };
  }

  /** The key: VAIBOT_API_KEY, else credentials.json, else bootstrap (saved 0600). Throws a message for the user. */
  async function ensureKey(tool: string, mode: Mode): Promise<{ key: string } | { fail: string; transient: boolean; gate?: Exclude<BreakerGate, { kind: 'call' }> }> {
    if (key) return { key };
    const saved = readCredentials(settings.home, apiUrl);
    if (saved) return { key: (key = saved.apiKey) };
    const installId = deps.installId();
    const g = await guarded(tool, mode, () => apiCall({
      baseUrl: apiUrl, method: 'POST', path: '/v2/bootstrap', body: { fingerprint: bootstrapFingerprint(installId), agent: 'codex', install_id: installId },
      timeoutMs: settings.timeoutMs, schema: bootstrapResponseSchema, now,
    }));
    if (g.kind === 'gate') return { fail: 'breaker open', transient: true, gate: g.gate };
    if (!g.res.ok) return { fail: `bootstrap failed: ${g.res.message}`, transient: g.res.transient };
    const b = g.res.body;
    if (!b.api_key) {
      const again = readCredentials(settings.home, apiUrl); // another hook may have just saved it
      if (again) return { key: (key = again.apiKey) };
      return { fail: missingKeyMessage(settings.home), transient: false };
    }
    saveCredentials(settings.home, apiUrl, { apiKey: b.api_key, userId: b.user_id || null });
    say(`VAIBot: new account ${b.user_id} on ${apiUrl}; key saved to ${credentialsFile(settings.home)}${b.message ? `. ${b.message}` : ''}`);
    return { key: (key = b.api_key) };
  }

  /** A decision taken here (server not reached): the seed's breaker rules, recorded in a spooled receipt. */
  function localVerdict(req: DecisionRequest, why: { gate?: Exclude<BreakerGate, { kind: 'call' }>; failure?: string; transient: boolean }): Verdict {
    let decision: Decision;
    let reason: string;
    const basis: VerdictBasis = 'breaker_open';
    if (why.gate) {
      decision = why.gate.kind === 'pass' ? 'allow' : 'deny';
      reason = why.gate.kind === 'pass' ? why.gate.breadcrumb : why.gate.reason;
      if (why.gate.kind === 'pass') say(why.gate.breadcrumb);
    } else if (!why.transient) {
      decision = 'deny';
      reason = `VAIBot: the governance server refused the request (${why.failure}). Fix the configuration (VAIBOT_API_URL, VAIBOT_API_KEY, ${credentialsFile(settings.home)}) and retry`;
    } else {
      const tool = req.intent.tool;
      const { allowlist, denylist } = settings.breaker;
      if (denylist.includes(tool)) { decision = 'deny'; reason = `VAIBot: the governance server is unreachable (${why.failure}) and ${tool} is in VAIBOT_BREAKER_DENYLIST`; }
      else if (allowlist.includes(tool)) { decision = 'allow'; reason = `VAIBot: governance server unreachable (${why.failure}); ${tool} passes (VAIBOT_BREAKER_ALLOWLIST)`; say(reason); }
      else if (settings.failOpen) { decision = 'allow'; reason = `VAIBot: governance server unreachable (${why.failure}); allowed because VAIBOT_FAIL_OPEN=true`; say(reason); }
      else {
        decision = 'deny';
        reason = `VAIBot: the governance server is unreachable (${why.failure}), so ${tool} cannot be checked and is blocked. Next steps: retry in a moment; or add ${tool} to VAIBOT_BREAKER_ALLOWLIST; or check that ${apiUrl} is up`;
      }
    }
    const local = deps.engine ? deps.engine(req.intent, new Map()) : null;
    const risk = local?.risk ?? NOT_CLASSIFIED;
    const receipt: Receipt = {
      v: RECEIPT_VERSION, id: randomUUID(), kind: 'decision', mode: req.mode, content_hash: req.hash, tool: req.intent.tool, cwd: req.intent.cwd,
      intent: redactValue(req.intent.body), risk: { level: risk.level, rule_ids: local?.ruleIds ?? [], reason: redactText(risk.reason) },
      decision: req.mode === 'enforce' ? decision : 'allow', shadow_decision: decision, basis: why.gate ? 'breaker_open' : why.transient ? 'remote_unavailable' : 'remote_refused',
      approval_state: null, session_id: req.sessionId, turn_id: req.turnId, tool_use_id: req.toolUseId, event: req.event,
      agent: { name: 'codex', model: req.model, install_id: null }, at: new Date(req.at).toISOString(), follows: null,
    };
    const s = spoolOf();
    s.add({ kind: 'receipt', id: receipt.id, body: receipt }, now());
    if (req.toolUseId && (req.mode === 'observe' || decision === 'allow')) s.putRun({ toolUseId: req.toolUseId, runId: null, localReceiptId: receipt.id, startedAt: req.at });
    return { decision, policyDecision: local?.action ?? decision, basis, reason, risk, ruleIds: local?.ruleIds ?? [], approvalState: null, receiptId: receipt.id };
  }

  async function flush(maxRequests = 2): Promise<FlushResult> {
    const result: FlushResult = { delivered: 0, duplicates: 0, rejected: 0, remaining: 0, stopped: null };
    const s = spoolOf();
    if (s.size() === 0 || !key) {
      result.remaining = s.size();
      return result;
    }
    for (let req = 0; req < maxRequests; req++) {
      const items = s.lease(Math.max(1, deps.flushBudget ?? 20), now(), settings.timeoutMs * 2 + 1000);
      if (items.length === 0) break;
      const receipts = items.filter((i): i is Extract<SpoolItem, { kind: 'receipt' }> => i.kind === 'receipt');
      const others = items.filter((i) => i.kind !== 'receipt');
      const calls: Array<{ ids: string[]; run: () => Promise<ApiOutcome<unknown>>; count: (b: unknown) => void }> = [];
      if (receipts.length) {
        calls.push({
          ids: receipts.map((r) => r.id),
          run: () => apiCall({ baseUrl: apiUrl, method: 'POST', path: '/v2/receipts/batch', key: key as string, body: { receipts: receipts.map((r) => r.body) }, timeoutMs: settings.timeoutMs, schema: batchSchema, now }),
          count: (b) => { const x = b as { stored: number; duplicates: number }; result.delivered += x.stored; result.duplicates += x.duplicates; },
        });
      }
      for (const o of others) {
        calls.push({
          ids: [o.id],
          run: () => o.kind === 'finalize'
            ? apiCall({ baseUrl: apiUrl, method: 'POST', path: `/v2/governance/finalize/${encodeURIComponent(o.runId)}`, key: key as string, body: o.body, timeoutMs: settings.timeoutMs, schema: finalizeSchema, now })
            : apiCall({ baseUrl: apiUrl, method: 'POST', path: '/v2/telemetry/breaker', key: key as string, body: o.body, timeoutMs: settings.timeoutMs, schema: okSchema, now }),
          count: (b) => { if ((b as { duplicate?: boolean }).duplicate) result.duplicates++; else result.delivered++; },
        });
      }
      for (const c of calls) {
        const g = await guarded('vaibot-spool', 'observe', c.run);
        if (g.kind === 'gate') { result.stopped = 'breaker open'; break; }
        if (g.res.ok) { c.count(g.res.body); for (const id of c.ids) s.done(id); continue; }
        if (g.res.transient) { result.stopped = g.res.message; break; }
        for (const id of c.ids) s.rejected(id, g.res.message, now(), 5);
        result.rejected += c.ids.length;
      }
      if (result.stopped) break;
    }
    result.remaining = s.size();
    return result;
  }

  return {
    flush,

    async decide(req: DecisionRequest): Promise<Verdict> {
      const k = await ensureKey(req.intent.tool, req.mode);
      if ('fail' in k) return localVerdict(req, { ...(k.gate ? { gate: k.gate } : {}), failure: k.fail, transient: k.transient });
      const g = await guarded(req.intent.tool, req.mode, () => apiCall({
        baseUrl: apiUrl, method: 'POST', path: '/v2/governance/decide', key: k.key, body: toWire(req), timeoutMs: settings.timeoutMs, schema: decideResponseSchema, now,
      }));
      if (g.kind === 'gate') return localVerdict(req, { gate: g.gate, transient: true });
      if (!g.res.ok) {
        const failure = g.res.status === 401 ? `401: the API key was rejected: ${g.res.message}` : g.res.status ? `${g.res.status}: ${g.res.message}` : g.res.message;
        return localVerdict(req, { failure, transient: g.res.transient });
      }
      const res = g.res.body;
      if (req.toolUseId) spoolOf().putRun({ toolUseId: req.toolUseId, runId: res.run_id, localReceiptId: null, startedAt: req.at });
      if (spoolOf().size() > 0) await flush(1).catch(() => undefined);
      return verdictFrom(res);
    },

    async finalize(req: FinalizeRequest): Promise<FinalizeResult> {
      const s = spoolOf();
      const run = req.toolUseId ? s.takeRun(req.toolUseId) : null;
      const outcome = outcomeOf(req.toolResponse, req.at, run?.startedAt ?? null, req.withheld);
      const receiptId = randomUUID();
      if (run?.runId) {
        const body: FinalizeWireRequest = {
          outcome: 'allowed',
          result: { summary: null, error: outcome.error, duration_ms: outcome.duration_ms, exit_code: outcome.exit_code, status: outcome.status, output_sha256: outcome.output_sha256 as `sha256:${string}` },
          receipt_id: receiptId,
        };
        const runId = run.runId;
        const k = key ?? readCredentials(settings.home, apiUrl)?.apiKey;
        if (k) {
          key = k;
          const g = await guarded(req.intent.tool, req.mode, () => apiCall({ baseUrl: apiUrl, method: 'POST', path: `/v2/governance/finalize/${encodeURIComponent(runId)}`, key: k, body, timeoutMs: settings.timeoutMs, schema: finalizeSchema, now }));
          if (g.kind === 'result' && g.res.ok) return { receiptId: g.res.body.receipt_id ?? receiptId };
          if (g.kind === 'result' && !g.res.ok && !g.res.transient && g.res.status !== 401) {
            say(`VAIBot: the server refused the outcome of ${req.intent.tool} (${g.res.message}); it is kept in the spool`);
          }
        }
        s.add({ kind: 'finalize', id: receiptId, runId, body }, now());
        return { receiptId };
      }
      const receipt: Receipt = {
        v: RECEIPT_VERSION, id: receiptId, kind: 'outcome', mode: req.mode, content_hash: req.hash, tool: req.intent.tool, cwd: req.intent.cwd,
        intent: redactValue(req.intent.body), risk: null, decision: null, shadow_decision: null, basis: 'outcome', approval_state: null,
        session_id: req.sessionId, turn_id: req.turnId, tool_use_id: req.toolUseId, event: 'PostToolUse',
        agent: { name: 'codex', model: req.model, install_id: null }, at: new Date(req.at).toISOString(), follows: run?.localReceiptId ?? null, outcome,
      };
      s.add({ kind: 'receipt', id: receipt.id, body: receipt }, now());
      return { receiptId };
    },

    async sweep(): Promise<number> {
      // The server marks a block delivered when it answers, so nothing stays `pending` there to sweep.
      // Stop is the natural moment to deliver what the spool holds.
      key ??= settings.apiKey ?? readCredentials(settings.home, apiUrl)?.apiKey;
      if (key) await flush(5).catch(() => undefined);
      return 0;
    },
  };
}
