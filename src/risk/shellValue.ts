/**
 * Values the classifier computes while it walks a script: words after expansion, and the data that
 * flows between commands (pipes, here-documents, files, downloads).
 */

/**
 * Marks a part of a value that cannot be known before the command runs (an environment variable,
 * the output of an arbitrary command). A private-use character, so it never occurs in real input
 * by accident; path and rule code treats any value containing it as dynamic.
 */
export const UNKNOWN = '\uE000';

/** Where a value came from, when that origin matters to a rule. */
export interface Provenance {
  /** Produced by a network download (curl, wget, ...). */
  download: boolean;
  /** Passed through a decoder or obfuscator (base64 -d, xxd -r, rev, tr, printf escapes, ...). */
  decoded: boolean;
  /** Contains a secret (a credentials file, a *_TOKEN variable, the environment dump). */
  secret: boolean;
}

/** No special origin. */
export const PLAIN: Provenance = Object.freeze({ download: false, decoded: false, secret: false });

/** The union of two provenances. */
export function mergeProvenance(a: Provenance, b: Provenance): Provenance {
  if (a === b) return a;
  return { download: a.download || b.download, decoded: a.decoded || b.decoded, secret: a.secret || b.secret };
}

/** True when any flag is set. */
export function hasProvenance(p: Provenance): boolean {
  return p.download || p.decoded || p.secret;
}

/** One shell word (a field, after expansion and splitting). */
export interface ShellWord {
  /** The value, with {@link UNKNOWN} standing for every part that cannot be known statically. */
  text: string;
  /** True when `text` contains {@link UNKNOWN}. */
  dynamic: boolean;
  /** True when the word holds an unquoted glob character (`*`, `?`, `[`). */
  glob: boolean;
  /** Origin of the parts computed from command output. */
  from: Provenance;
  /** When the whole word is a process substitution `<(…)`: what reading it yields. */
  procSub?: DataSource;
  /** When the whole word is the unknown output of one command substitution: that command's program. */
  producer?: string;
}

/** Build a static word. */
export function literalWord(text: string): ShellWord {
  return { text, dynamic: text.includes(UNKNOWN), glob: false, from: PLAIN };
}

/** The data a command reads on stdin or a shell executes as its script. */
export type DataSource =
  /** The session's own stdin: nothing is piped, so a shell reading it is interactive. */
  | { kind: 'terminal' }
  /** Statically known text (it may still contain {@link UNKNOWN} parts). */
  | { kind: 'text'; text: string; from: Provenance }
  /** The contents of a file (absolute path, or null when the path is not known). */
  | { kind: 'file'; path: string | null; from: Provenance }
  /**
   * Produced at run time by something we cannot evaluate; `under`: lines are paths below this
   * directory (find); `samples`: paths known to be among the lines (credentials files a find's name
   * tests let through), judged as items by whoever consumes them (`| xargs cat`).
   */
  | { kind: 'unknown'; from: Provenance; under?: string; whole?: boolean; producer?: string; samples?: string[] };

/** The empty input (`/dev/null`, a closed stdin). */
export const EMPTY_INPUT: DataSource = Object.freeze({ kind: 'text', text: '', from: PLAIN }) as DataSource;

/** Provenance of any data source. */
export function sourceProvenance(s: DataSource): Provenance {
  return s.kind === 'terminal' ? PLAIN : s.from;
}

/** A data source with extra provenance flags. */
export function withProvenance(s: DataSource, p: Provenance): DataSource {
  if (s.kind === 'terminal') return hasProvenance(p) ? { kind: 'unknown', from: p } : s;
  return { ...s, from: mergeProvenance(s.from, p) };
}
