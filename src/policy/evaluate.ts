/**
 * Policy evaluation: escalation by risk level, then the rules. Deny and approval rules can only
 * make a decision stricter; allow rules can relax the escalation up to their `upTo` level, never
 * for self-protection or unparseable commands.
 */
import type { Intent } from '../intent/intent.js';
import type { RiskAssessment } from '../risk/assessment.js';
import { riskRank } from '../risk/riskLevel.js';
import { matchNameGlob, matchPathGlob } from './glob.js';
import type { EffectiveRule, Policy } from './policy.js';
import { type PolicyAction, stricterAction } from './policyAction.js';
import type { PolicyDecision } from './policyDecision.js';

const regexCache = new Map<string, RegExp | null>();
function regex(src: string): RegExp | null {
  let re = regexCache.get(src);
  if (re === undefined) {
    try {
      re = new RegExp(src);
    } catch {
      re = null;
    }
    regexCache.set(src, re);
  }
  return re;
}

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** The text a `command` regex is matched against. */
function commandText(intent: Intent): string {
  switch (intent.body.kind) {
    case 'shell': return intent.body.command;
    case 'patch': return intent.body.patch;
    case 'mcp': return JSON.stringify(intent.body.arguments ?? null);
    default: return JSON.stringify(intent.body.input ?? null);
  }
}

/** Does one rule match this call? */
export function ruleMatches(rule: EffectiveRule, intent: Intent, a: RiskAssessment): boolean {
  const m = rule.match;
  const tools = list(m.tool);
  if (tools && !tools.some((g) => matchNameGlob(g, intent.tool))) return false;
  if (m.risk && riskRank(a.level) < riskRank(m.risk)) return false;
  const programs = list(m.program);
  if (programs || m.args !== undefined) {
    const re = m.args !== undefined ? regex(m.args) : null;
    if (m.args !== undefined && !re) return false;
    const ok = (a.commands ?? []).some(
      (c) => (!programs || programs.some((g) => matchNameGlob(g, c.program))) && (!re || re.test(c.args.join(' '))),
    );
    if (!ok) return false;
  }
  if (m.command !== undefined) {
    const re = regex(m.command);
    if (!re || !re.test(commandText(intent))) return false;
  }
  const paths = list(m.path);
  if (paths) {
    const touched = (a.paths ?? []).filter((p) => !m.access || p.access === m.access);
    if (!touched.some((p) => paths.some((g) => matchPathGlob(g, p.path)))) return false;
  } else if (m.access && !(a.paths ?? []).some((p) => p.access === m.access)) return false;
  const ids = list(m.ruleId);
  if (ids && !a.findings.some((f) => ids.some((g) => matchNameGlob(g, f.ruleId)))) return false;
  const cats = list(m.category);
  if (cats && !a.findings.some((f) => cats.includes(f.category))) return false;
  return true;
}

/** Findings no allow rule may relax. */
function unrelaxable(a: RiskAssessment): boolean {
  return a.findings.some((f) => f.category === 'self-protection' || f.category === 'parse');
}

function trimPeriod(s: string): string {
  return s.replace(/[.\s]+$/, '');
}

/** Decide a tool call: escalation of the assessed level, adjusted by the policy's rules. */
export function evaluate(intent: Intent, assessment: RiskAssessment, policy: Policy): PolicyDecision {
  const base = policy.escalation[assessment.level];
  const matched = policy.rules.filter((r) => ruleMatches(r, intent, assessment));
  const allowRule = matched.find(
    (r) => r.action === 'allow' && riskRank(assessment.level) <= riskRank(r.upTo ?? 'high') && !unrelaxable(assessment),
  );
  let action: PolicyAction = allowRule ? 'allow' : base;
  let decisive: EffectiveRule | undefined = allowRule && base !== 'allow' ? allowRule : undefined;
  for (const r of matched) {
    if (r.action === 'allow') continue;
    const next = stricterAction(action, r.action);
    if (next !== action || (!decisive && r.action === action)) decisive = r;
    action = next;
  }
  const ids = [...new Set(assessment.findings.map((f) => f.ruleId))];
  for (const r of matched) if (r.action !== 'allow' || r === allowRule) ids.push(`policy:${r.id}`);
  let reason: string;
  if (decisive && decisive.action === action) {
    const why = decisive.description ? trimPeriod(decisive.description) : `${decisive.action === 'allow' ? 'allows' : 'matches'} this call`;
    reason = `policy rule ${decisive.id} (${decisive.source}): ${why}`;
    if (action !== 'allow' && assessment.findings.length > 0) reason += `; risk ${assessment.level}: ${trimPeriod(assessment.reason)}`;
  } else {
    reason = `risk ${assessment.level}: ${trimPeriod(assessment.reason)}`;
    if (action === 'approval_required') reason += ' (needs a human approval)';
  }
  return { action, reason: trimPeriod(reason), ruleIds: ids, risk: assessment.level };
}
