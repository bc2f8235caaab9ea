import { readFileSync, realpathSync, statSync } from 'node:fs';
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
  /**
   * The root of the repository that holds the call's cwd, or null (the workspace is then the cwd
   * alone). Defaults to {@link gitRepositoryRoot} when `resolvePath` is the default too; a caller
   * that passes its own `resolvePath` (tests) gets none unless it passes this as well.
   */
  repositoryRoot?: (cwd: string) => string | null;
}

/** How many directories above the cwd {@link gitRepositoryRoot} looks for a repository. */
const REPOSITORY_SEARCH_DEPTH = 8;

/** True when `dir/.git` is a git directory (with HEAD) or a worktree/submodule file (`gitdir: …`). */
function isGitMarker(dir: string): boolean {
  const marker = join(dir, '.git');
  try {
    const st = statSync(marker, { throwIfNoEntry: false });
    if (!st) return false;
    if (st.isDirectory()) return statSync(join(marker, 'HEAD'), { throwIfNoEntry: false })?.isFile() === true;
    return st.isFile() && st.size < 4096 && readFileSync(marker, 'utf8').startsWith('gitdir:');
  } catch {
    return false;
  }
}

/**
 * The nearest directory at or above `cwd` (at most {@link REPOSITORY_SEARCH_DEPTH} levels up) that
 * is a git repository's top level, or null. A session started in a package of a monorepo works on
 * the whole repository: the caller decides whether the root found may be the workspace.
 */
export function gitRepositoryRoot(cwd: string): string | null {
  let dir = cwd;
  for (let i = 0; i <= REPOSITORY_SEARCH_DEPTH; i++) {
    if (isGitMarker(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
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
