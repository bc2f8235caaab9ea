import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';

/** One rule of the effective policy, as a person reads it. */
export interface PolicyRuleView {
  id: string;
  /** What the rule matches, in words (e.g. `risk = dangerous`, `tool = Bash and program = curl`). */
  when: string;
  action: 'allow' | 'deny' | 'approval_required';
  /** Where the rule comes from: `builtin`, or the policy file that declares it. */
  source: string;
}

/** The effective policy: what decides allow / deny / approval_required. */
export interface PolicyView {
  /** `builtin`: no policy file is in effect; `file`: rules come from the policy file(s) listed. */
  source: 'builtin' | 'file';
  /** Policy files considered, whether each exists, and any load error (an invalid policy denies everything in enforce mode). */
  files: Array<{ path: string; scope: 'user' | 'project'; exists: boolean; error: string | null }>;
  rules: PolicyRuleView[];
  mode: Settings['mode'];
  /** Anything the reader should know (e.g. which engine produced the view). */
  notes: string[];
}

/** Produces the effective policy for a session rooted at `cwd` (`null`: the user's policy alone). */
export type PolicyViewer = (settings: Settings, cwd: string | null) => PolicyView | Promise<PolicyView>;

/** The escalation defaults every policy starts from: dangerous -> deny, high -> approval_required. */
export const BUILTIN_RULES: readonly PolicyRuleView[] = [
  { id: 'default.dangerous', when: 'risk = dangerous', action: 'deny', source: 'builtin' },
  { id: 'default.high', when: 'risk = high', action: 'approval_required', source: 'builtin' },
  { id: 'default.rest', when: 'risk < high', action: 'allow', source: 'builtin' },
];

/** Where the user's policy file lives. */
export function userPolicyFile(home: string): string {
  return join(home, 'policy.yaml');
}

/**
 * The viewer used until the policy engine (src/policy) is wired in: the built-in escalation defaults and
 * whether a policy file exists. It never claims to have read a file it does not understand.
 */
export const builtinPolicyViewer: PolicyViewer = (settings) => {
  const file = userPolicyFile(settings.home);
  const exists = existsSync(file);
  return {
    source: 'builtin',
    files: [{ path: file, scope: 'user', exists, error: null }],
    rules: [...BUILTIN_RULES],
    mode: settings.mode,
    notes: exists
      ? [`${file} exists, but this MCP server shows only the built-in escalation defaults; \`vaibot policy\` prints the effective policy`]
      : ['no policy file: the built-in escalation defaults apply'],
  };
};
