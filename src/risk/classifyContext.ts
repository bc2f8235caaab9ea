import { realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Resolves symlinks in an absolute path; returns the path itself when nothing along it exists. */
export type PathResolver = (absolutePath: string) => string;

/** What the classifier needs to know about the machine and the session. */
export interface ClassifyContext {
  /** The user's home directory (absolute). */
  home: string;
  /** VAIBOT's state directory (VAIBOT_HOME, default ~/.vaibot). */
  vaibotHome: string;
  /** Codex's home (CODEX_HOME, default ~/.codex). */
  codexHome: string;
  /** Extra absolute paths to protect like VAIBOT's own files (policy files, ...). */
  protectedPaths?: string[];
  /**
   * Files the agent wrote earlier in this session (absolute path -> content). A later call that
   * executes one of them is judged by what it contains.
   */
  sessionWrites?: ReadonlyMap<string, string>;
  /**
   * Symlink resolution (the classifier's only I/O). Defaults to {@link realpathResolver}; tests pass
   * `(p) => p` to stay pure.
   */
  resolvePath?: PathResolver;
}

/**
 * The default {@link PathResolver}: `realpath` of the deepest existing ancestor, with the rest of the
 * path appended. Never throws.
 */
export function realpathResolver(absolutePath: string): string {
  let head = absolutePath;
  const tail: string[] = [];
  for (let i = 0; i < 64; i++) {
    // probe before resolving: a missing path is common (files about to be created), and a throwing
    // realpath costs several times a stat that answers undefined
    let exists = false;
    try { exists = statSync(head, { throwIfNoEntry: false }) !== undefined; } catch { exists = false; }
    if (exists) {
      try {
        const real = realpathSync.native(head);
        return tail.length === 0 ? real : join(real, ...tail.reverse());
      } catch { /* gone in between, or unreadable: go up as for a missing one */ }
    }
    const parent = dirname(head);
    if (parent === head) return absolutePath;
    tail.push(head.slice(parent === '/' ? 1 : parent.length + 1));
    head = parent;
  }
  return absolutePath;
}
