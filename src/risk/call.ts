/**
 * The contract between the shell walker and the per-program command handlers.
 */
import type { Run } from './run.js';
import type { Scope } from './scope.js';
import type { DataSource, ShellWord } from './shellValue.js';

/** What handlers can ask the walker to do. */
export interface Exec {
  readonly run: Run;
  /**
   * Classify a Bash script one level deeper (bash -c, eval, ssh, a heredoc fed to sh, a file the
   * agent wrote). Returns what the script prints.
   */
  script(text: string, scope: Scope, stdin: DataSource, origin: string): DataSource;
  /** Run an argument vector (after a wrapper was peeled off) in a scope. Returns what it prints. */
  argv(call: Call): DataSource;
  /**
   * Judge text a command writes into a file at `path` (a redirect, `tee`, `sed -i`): what it plants
   * there for the tools that read the file later, as for a patch's added text.
   */
  written(path: string, text: string, verb: string, scope: Scope): void;
}

/** One program invocation, after expansion. */
export interface Call {
  readonly exec: Exec;
  /** The whole argument vector, program first. */
  readonly words: ShellWord[];
  /** The program as written (`/usr/bin/rm`, `./x.sh`, `rm`). */
  readonly name: string;
  /** The program's base name, lower-cased version suffixes kept (`rm`, `python3.12`). */
  readonly program: string;
  /** Text of every argument after the program. */
  readonly args: string[];
  /** The argument words after the program. */
  readonly argWords: ShellWord[];
  /** What the program reads on stdin. */
  readonly stdin: DataSource;
  readonly scope: Scope;
  /** Variables assigned for this command only (`FOO=1 cmd`, `env FOO=1 cmd`). */
  readonly env: ReadonlyMap<string, ShellWord>;
  /** Wrappers peeled off so far, outermost first (`sudo`, `timeout`, ...). */
  readonly via: readonly string[];
  /** Source text of the next pipeline stage, when stdout is piped (`env | grep PATH`). */
  readonly pipeTo?: string;
}

/** A command handler: judges one program's invocation and returns what it prints. */
export type Handler = (call: Call) => DataSource;
