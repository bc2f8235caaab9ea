import type { RiskLevel } from './riskLevel.js';

/** One rule that matched a tool call. */
export interface RiskFinding {
  /** Stable rule id, e.g. `fs.rm-recursive-home`. */
  ruleId: string;
  /** Rule category, e.g. `destroy-files`, `vcs-history`, `secrets`, `self-protection`. */
  category: string;
  /** The level this finding alone implies. */
  level: RiskLevel;
  /** A sentence for the person reading Codex's screen. */
  reason: string;
}

/** One program the classifier saw being run (after unwrapping), for policy rules on program and arguments. */
export interface ParsedCommand {
  /** The program's name as the shell would look it up, without directories (`rm`, `git`, `python3`). */
  program: string;
  /** Its arguments after expansion; parts unknown until run time are shown as `…`. */
  args: string[];
}

/** How a call touches a path. */
export type PathAccess = 'read' | 'write' | 'delete' | 'exec';

/** One path a call touches, absolute and normalized (symlinks resolved where the file exists). */
export interface TouchedPath {
  path: string;
  access: PathAccess;
}

/** The classifier's verdict on one intent: the highest finding wins. */
export interface RiskAssessment {
  level: RiskLevel;
  /** Every finding, highest level first. Empty when nothing matched. */
  findings: RiskFinding[];
  /** The top finding's reason, or a neutral sentence when none matched. */
  reason: string;
  /** Every program run, after unwrapping wrappers and nested shells (shell and MCP-shell intents). */
  commands?: ParsedCommand[];
  /** Every path read, written, deleted or executed that the classifier could resolve. */
  paths?: TouchedPath[];
}
