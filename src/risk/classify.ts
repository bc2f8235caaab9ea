/**
 * The classifier: a pure, synchronous function from an intent to a risk assessment.
 */
import type { Intent } from '../intent/intent.js';
import type { RiskAssessment } from './assessment.js';
import { type ClassifyContext, type PathResolver, gitRepositoryRoot, realpathResolver } from './classifyContext.js';
import { judgeMcp } from './mcpRules.js';
import { judgePatch } from './patchRules.js';
import { makeZones, normalizeAbsolute } from './pathZones.js';
import { type RiskLevel, riskRank } from './riskLevel.js';
import { Run } from './run.js';
import type { Scope } from './scope.js';
import { ShellWalker } from './shellWalker.js';

export type { ClassifyContext } from './classifyContext.js';

/** Programs that only read or print: a command made of these alone is `none`. */
const HARMLESS = new Set([
  'ls', 'pwd', 'echo', 'printf', 'cat', 'head', 'tail', 'wc', 'grep', 'egrep', 'fgrep', 'rg', 'find', 'stat', 'file',
  'which', 'type', 'true', 'false', ':', 'test', '[', 'date', 'whoami', 'id', 'uname', 'hostname', 'env', 'sort',
  'uniq', 'cut', 'tr', 'diff', 'less', 'more', 'tree', 'du', 'df', 'realpath', 'readlink', 'basename', 'dirname',
  'sleep', 'cd', 'jq', 'nl', 'tac', 'column', 'sed', 'awk', 'git',
]);
const READ_ONLY_GIT = new Set(['status', 'log', 'diff', 'show', 'branch', 'rev-parse', 'ls-files', 'blame', 'remote', 'describe', 'tag', 'shortlog', 'grep']);

function memoize(fn: PathResolver): PathResolver {
  const cache = new Map<string, string>();
  return (p) => {
    let v = cache.get(p);
    if (v === undefined) {
      v = fn(p);
      cache.set(p, v);
    }
    return v;
  };
}

/**
 * Classify one intent. Pure and synchronous; its only I/O is symlink resolution through
 * `ctx.resolvePath` (default: realpath of paths that exist).
 */
export function classify(intent: Intent, ctx: ClassifyContext): RiskAssessment {
  const zones = makeZones({
    home: ctx.home,
    cwd: intent.cwd,
    vaibotHome: ctx.vaibotHome,
    codexHome: ctx.codexHome,
    ...(ctx.protectedPaths ? { protectedPaths: ctx.protectedPaths } : {}),
    repositoryRoot: (ctx.repositoryRoot ?? (ctx.resolvePath ? null : gitRepositoryRoot))?.(normalizeAbsolute(intent.cwd)) ?? null,
  });
  const resolver = memoize(ctx.resolvePath ?? realpathResolver);
  const body = intent.body;
  const text = body.kind === 'shell' ? body.command : body.kind === 'patch' ? body.patch : '';
  const run = new Run(ctx, zones, resolver, text);
  const walker = new ShellWalker(run);
  const scope: Scope = {
    depth: 0,
    // relative paths resolve against the cwd, not the repository root
    cwd: zones.workspace === null ? intent.cwd : zones.cwd,
    vars: new Map(),
    positional: [],
    scriptName: 'bash',
    functions: new Map(),
    aliases: new Map(),
    callStack: [],
    remote: false,
  };
  let base: RiskLevel = 'low';
  switch (body.kind) {
    case 'shell': {
      if (body.command.trim() === '') return { level: 'none', findings: [], reason: 'empty command', commands: [], paths: [] };
      walker.script(body.command, scope, { kind: 'terminal' }, 'the command');
      if (run.commands.every((c) => HARMLESS.has(c.program) && (c.program !== 'git' || READ_ONLY_GIT.has(c.args.find((a) => !a.startsWith('-')) ?? '')))) base = 'none';
      break;
    }
    case 'patch':
      judgePatch(run, body, intent.cwd);
      break;
    case 'mcp':
      judgeMcp(run, walker, body, scope);
      break;
    case 'unknown':
      run.add('tool.unknown', `${intent.tool} is not a tool the classifier knows; its input is not inspected`);
      break;
  }
  const findings = [...run.findings].sort((a, b) => riskRank(b.level) - riskRank(a.level));
  const top = findings[0];
  const finalLevel: RiskLevel = top && riskRank(top.level) > riskRank(base) ? top.level : base;
  return {
    level: finalLevel,
    findings,
    reason: top?.reason ?? 'no risky operation found',
    commands: run.commands,
    paths: run.paths,
  };
}
