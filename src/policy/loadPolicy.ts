/**
 * Loading the effective policy: the user's `<vaibotHome>/policy.yaml` and the nearest project
 * `.vaibot/policy.yaml` (cwd or an ancestor, below home), which can only tighten. The YAML parser
 * is imported only when a policy file exists, so the hook path stays fast without one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { RiskLevel } from '../risk/riskLevel.js';
import { RISK_LEVELS } from '../risk/riskLevel.js';
import { DEFAULT_POLICY } from './defaultPolicy.js';
import type { EffectiveRule, Policy, PolicySource } from './policy.js';
import { type PolicyAction, stricterAction } from './policyAction.js';
import { type PolicyFile, policyFileSchema } from './policySchema.js';

/** Where to look for policy files. */
export interface LoadPolicyOptions {
  /** VAIBOT's state directory; the user policy is `<vaibotHome>/policy.yaml`. */
  vaibotHome: string;
  /** The call's working directory; a project policy is searched from here upwards. */
  cwd: string;
  /** Home directory (for `~` in path globs, and where the project search stops). Default: os.homedir(). */
  home?: string;
}

/** The outcome of loading: the effective policy, or the first error with its file and line. */
export type LoadPolicyResult =
  | { ok: true; policy: Policy; warnings: string[] }
  | { ok: false; file: string; line: number | null; message: string };

/** The user's policy file path. */
export function userPolicyFile(vaibotHome: string): string {
  return join(vaibotHome, 'policy.yaml');
}

/** The nearest project policy file from `cwd` upwards (home and above excluded), if any. */
export function findProjectPolicy(cwd: string, home: string, userFile: string): string | undefined {
  let dir = resolve(cwd);
  const h = resolve(home);
  for (let i = 0; i < 64; i++) {
    if (dir === h) return undefined;
    const f = join(dir, '.vaibot', 'policy.yaml');
    if (f !== userFile && existsSync(f)) return f;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

type Parsed = { ok: true; data: PolicyFile } | { ok: false; file: string; line: number | null; message: string };

/** Read and validate one policy file. */
async function parsePolicyFile(file: string): Promise<Parsed> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, file, line: null, message: `cannot read the policy file: ${(e as Error).message}` };
  }
  const { parseDocument, LineCounter, isMap, isPair, isScalar } = await import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { ok: false, file, line: lc.linePos(e.pos[0]).line, message: `YAML syntax: ${e.message.split('\n')[0]}` };
  }
  const raw: unknown = doc.toJS() ?? { version: 1 };
  const lineOf = (path: readonly PropertyKey[], key?: string): number | null => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path as (string | number)[], true);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      const k = pair && isScalar(pair.key) ? pair.key : undefined;
      if (k?.range) return lc.linePos(k.range[0]).line;
    }
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lc.linePos(range[0]).line;
    if (path.length > 0) return lineOf(path.slice(0, -1));
    return 1;
  };
  const r = policyFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path as PropertyKey[];
    const where = path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'the file';
    const unknownKey = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys[0] : undefined;
    return { ok: false, file, line: lineOf(path, unknownKey), message: `${where}: ${describeIssue(issue as unknown as { code: string; message: string } & Record<string, unknown>)}` };
  }
  const seen = new Set<string>();
  for (const [i, rule] of (r.data.rules ?? []).entries()) {
    if (seen.has(rule.id)) return { ok: false, file, line: lineOf(['rules', i, 'id']), message: `rules[${i}].id: duplicate rule id "${rule.id}"` };
    seen.add(rule.id);
    for (const k of ['args', 'command'] as const) {
      const src = rule.match[k];
      if (src === undefined) continue;
      try {
        new RegExp(src);
      } catch (e) {
        return { ok: false, file, line: lineOf(['rules', i, 'match', k]), message: `rules[${i}].match.${k}: invalid regular expression: ${(e as Error).message}` };
      }
    }
    if (rule.upTo !== undefined && rule.action !== 'allow')
      return { ok: false, file, line: lineOf(['rules', i, 'upTo']), message: `rules[${i}].upTo: only allow rules take upTo` };
  }
  return { ok: true, data: r.data };
}

/** A readable sentence for a zod issue (zod/mini ships no messages). */
function describeIssue(issue: { code: string; message: string } & Record<string, unknown>): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${String(issue.expected)}`;
    case 'invalid_value':
      return `must be ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'unrecognized_keys':
      return `unknown key${(issue.keys as string[]).length > 1 ? 's' : ''} ${(issue.keys as string[]).map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? 'must not be an empty list' : 'must not be empty';
    case 'invalid_format':
      return 'may only contain letters, digits and . _ : -';
    case 'invalid_union':
      return 'expected a string or a non-empty list of strings';
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : `invalid (${issue.code})`;
  }
}

function expandHome(glob: string, home: string): string {
  return glob === '~' ? home : glob.startsWith('~/') ? home + glob.slice(1) : glob;
}

function toRules(data: PolicyFile, source: PolicySource, file: string, home: string): EffectiveRule[] {
  return (data.rules ?? []).map((r) => {
    const match = { ...r.match };
    if (match.path !== undefined) match.path = Array.isArray(match.path) ? match.path.map((g) => expandHome(g, home)) : expandHome(match.path, home);
    return { ...r, match, source, file };
  });
}

/**
 * Load the effective policy. Without any policy file this returns the defaults without importing
 * the YAML parser. An invalid file yields `ok: false` with the file, line and error: callers in
 * enforce mode must then deny every call (see {@link invalidPolicyDecision}).
 */
export async function loadPolicy(opts: LoadPolicyOptions): Promise<LoadPolicyResult> {
  const home = opts.home ?? homedir();
  const userFile = userPolicyFile(opts.vaibotHome);
  const projectFile = findProjectPolicy(opts.cwd, home, userFile);
  const hasUser = existsSync(userFile);
  if (!hasUser && !projectFile) return { ok: true, policy: { ...DEFAULT_POLICY, escalation: { ...DEFAULT_POLICY.escalation }, rules: [], files: [], outputs: { secrets: 'withhold', unscanned: 'withhold' } }, warnings: [] };
  const escalation: Record<RiskLevel, PolicyAction> = { ...DEFAULT_POLICY.escalation };
  const rules: EffectiveRule[] = [];
  const files: string[] = [];
  const warnings: string[] = [];
  let secrets: 'withhold' | 'allow' = 'withhold';
  let unscanned: 'withhold' | 'pass' = 'withhold';
  if (hasUser) {
    const p = await parsePolicyFile(userFile);
    if (!p.ok) return p;
    Object.assign(escalation, p.data.escalation ?? {});
    secrets = p.data.outputs?.secrets ?? secrets;
    unscanned = p.data.outputs?.unscanned ?? unscanned;
    rules.push(...toRules(p.data, 'user', userFile, home));
    files.push(userFile);
  }
  if (projectFile) {
    const p = await parsePolicyFile(projectFile);
    if (!p.ok) return p;
    for (const level of RISK_LEVELS) {
      const want = p.data.escalation?.[level];
      if (!want) continue;
      const next = stricterAction(escalation[level], want);
      if (next !== want) warnings.push(`${projectFile}: escalation.${level}: ${want} ignored (a project policy can only tighten; the user policy says ${escalation[level]})`);
      escalation[level] = next;
    }
    for (const r of toRules(p.data, 'project', projectFile, home)) {
      if (r.action === 'allow') {
        warnings.push(`${projectFile}: rule ${r.id} ignored (a project policy cannot allow anything)`);
        continue;
      }
      rules.push(r);
    }
    if (p.data.outputs?.unscanned === 'withhold') unscanned = 'withhold';
    if (p.data.outputs?.secrets === 'withhold') secrets = 'withhold';
    else if (p.data.outputs?.secrets === 'allow' && secrets === 'withhold') warnings.push(`${projectFile}: outputs.secrets: allow ignored (a project policy can only tighten)`);
    files.push(projectFile);
  }
  return { ok: true, policy: { escalation, rules, files, outputs: { secrets, unscanned } }, warnings };
}
