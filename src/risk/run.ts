/**
 * The mutable state of one classify() call: findings, programs and paths seen, files written
 * earlier in the same command (for download-then-exec and write-then-run), and the work budget.
 */
import type { ParsedCommand, PathAccess, RiskFinding, TouchedPath } from './assessment.js';
import type { ClassifyContext, PathResolver } from './classifyContext.js';
import { type Zones, isUnder } from './pathZones.js';
import { type RuleId, finding } from './rules.js';
import type { Provenance } from './shellValue.js';

/** Maximum nesting of scripts inside scripts (bash -c, eval, ssh, interpreter one-liners, ...). */
export const MAX_DEPTH = 8;
/** Maximum simple commands walked in one call before giving up (budget). */
export const MAX_STEPS = 4000;

/** What a file holds after a write earlier in the same command. */
export type WrittenContent =
  /** `appended`: only what was added to a file as it was on disk is known (`>>`). */
  | { kind: 'text'; text: string; from: Provenance; appended?: true }
  | { kind: 'unknown'; from: Provenance };

/** The per-call classification state shared by the walker and every command handler. */
export class Run {
  readonly findings: RiskFinding[] = [];
  readonly commands: ParsedCommand[] = [];
  readonly paths: TouchedPath[] = [];
  /** Files written earlier in this very command (absolute path -> content). */
  readonly writes = new Map<string, WrittenContent>();
  /** Symlinks created earlier in this command (link path -> target). */
  readonly links = new Map<string, string>();
  /** Directories filled from the network earlier in this command (`git clone URL dir`): dir -> how. */
  readonly fetchedTrees = new Map<string, string>();
  /** Copies of programs made earlier in this command (path -> program name): `cp /bin/rm ./x; ./x`. */
  readonly programCopies = new Map<string, string>();
  steps = 0;
  private readonly seen = new Set<string>();
  private readonly pathSeen = new Set<string>();

  constructor(
    readonly ctx: ClassifyContext,
    readonly zones: Zones,
    readonly resolver: PathResolver,
    /** The whole top-level text of the call (for checks like "mentions VAIBOT_"). */
    readonly text: string,
  ) {}

  /** Record a finding (deduplicated by rule id and reason). */
  add(ruleId: RuleId, reason: string): void {
    const key = ruleId + '\0' + reason;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(finding(ruleId, reason));
  }

  /** True when a finding with this rule id exists. */
  has(ruleId: RuleId): boolean {
    return this.findings.some((f) => f.ruleId === ruleId);
  }

  /** Record a program run. */
  command(program: string, args: string[]): void {
    if (this.commands.length < 500) this.commands.push({ program, args });
  }

  /** Record a touched path. */
  touch(path: string, access: PathAccess): void {
    const key = access + ':' + path;
    if (this.pathSeen.has(key) || this.paths.length >= 500) return;
    this.pathSeen.add(key);
    this.paths.push({ path, access });
  }

  /** Count one unit of work; false once the budget is spent (and records that once). */
  step(): boolean {
    this.steps++;
    if (this.steps === MAX_STEPS + 1) this.add('parse.budget-exceeded', `more than ${MAX_STEPS} commands: the rest was not classified`);
    return this.steps <= MAX_STEPS;
  }

  /** Content written to a path earlier in this command or this session, if known. */
  contentOf(path: string): WrittenContent | undefined {
    const w = this.writes.get(path);
    if (w) return w;
    const s = this.ctx.sessionWrites?.get(path);
    if (s !== undefined) return { kind: 'text', text: s, from: { download: false, decoded: false, secret: false } };
    return undefined;
  }

  /** How the directory holding `path` (or `path` itself) was fetched from the network earlier in this command, if it was. */
  fetchedTreeOf(path: string): { dir: string; how: string } | undefined {
    for (const [dir, how] of this.fetchedTrees) if (isUnder(path, dir)) return { dir, how };
    return undefined;
  }
}
