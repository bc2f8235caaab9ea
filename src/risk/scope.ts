/**
 * The shell state the walker carries through a script: working directory, variables, positional
 * parameters, functions and aliases, nesting depth.
 */
import type { ShellNode, ShellTree } from './shellSyntax.js';
import type { ShellWord } from './shellValue.js';
import type { VarValue } from './wordEval.js';

/** A function defined in the script, with the tree it lives in. */
export interface FunctionDef {
  tree: ShellTree;
  body: ShellNode;
}

/** Shell state at one point of the walk. */
export interface Scope {
  /** Nesting depth (0 = the command Codex runs). */
  depth: number;
  /** Current directory, or null once it cannot be known (`cd "$X"`). */
  cwd: string | null;
  /** Variables set in the script. A null value means "set, to something unknown" (`read x`). */
  vars: Map<string, VarValue | null>;
  /** `$1...`, or null when unknown. */
  positional: ShellWord[] | null;
  /** `$0`. */
  scriptName: string;
  functions: Map<string, FunctionDef>;
  aliases: Map<string, string>;
  /** Functions currently being expanded (recursion guard, fork-bomb detection). */
  callStack: string[];
  /** True while walking a command that runs on another host (ssh). */
  remote: boolean;
  /** Names bound to programs with `hash -p PATH NAME` (looked up like a command found on PATH). */
  hashed?: Map<string, string>;
  /** Namerefs (`declare -n ref=target`): ref name -> target variable name. */
  namerefs?: Map<string, string>;
  /** `set -a` (allexport): every variable assigned from now on is exported. */
  allexport?: boolean;
}

/** A copy for a subshell or pipeline stage: changes do not leak back. */
export function childScope(s: Scope): Scope {
  return {
    ...s,
    vars: new Map(s.vars),
    functions: new Map(s.functions),
    aliases: new Map(s.aliases),
    callStack: [...s.callStack],
    ...(s.hashed ? { hashed: new Map(s.hashed) } : {}),
    ...(s.namerefs ? { namerefs: new Map(s.namerefs) } : {}),
  };
}

/** A scope for a nested script one level deeper (bash -c, eval, ...), optionally with new positional parameters. */
export function nestedScope(s: Scope, opts: { positional?: ShellWord[] | null; scriptName?: string; share?: boolean } = {}): Scope {
  const base = opts.share ? s : childScope(s);
  return {
    ...base,
    depth: s.depth + 1,
    positional: opts.positional !== undefined ? opts.positional : s.positional,
    scriptName: opts.scriptName ?? s.scriptName,
  };
}
