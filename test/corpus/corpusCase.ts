import type { PatchTarget } from '../../src/intent/intent.js';
import type { PolicyAction } from '../../src/policy/policyAction.js';

/** One labelled case: a tool call and the decision the default policy must reach. */
export interface CorpusCase {
  /** A shell command (tool `Bash`). */
  command?: string;
  /** apply_patch targets (tool `apply_patch`), paths absolute. */
  patch?: PatchTarget[];
  /** An MCP call. */
  mcp?: { server: string; name: string; arguments: unknown };
  /** Any other tool (input kept opaque). */
  unknownTool?: string;
  /** Working directory (default: the corpus workspace, or `<home>/project` when `home` is set). */
  cwd?: string;
  /** The user's home (default {@link CORPUS_HOME}): e.g. `/root` for an agent running as root. */
  home?: string;
  /** Files the agent wrote earlier in the session (absolute path -> content). */
  sessionWrites?: Record<string, string>;
  /** The decision under the default policy. */
  expect: PolicyAction;
  /** A rule id that must be among the findings. */
  rule?: string;
  /** Why this case exists, when not obvious. */
  note?: string;
}

/** The machine every corpus case runs on (paths only: nothing is read from disk). */
export const CORPUS_HOME = '/home/user';
export const CORPUS_CWD = '/home/user/project';
