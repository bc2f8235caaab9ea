import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { findProjectPolicy, loadPolicy, userPolicyFile } from '../policy/loadPolicy.js';
import type { PolicyRuleView, PolicyView, PolicyViewer } from './policyView.js';

const LEVELS = ['none', 'low', 'medium', 'high', 'dangerous'] as const;

function when(match: Record<string, unknown>, upTo: string | undefined): string {
  const parts = Object.entries(match)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(' | ') : String(v)}`);
  if (upTo) parts.push(`risk ≤ ${upTo}`);
  return parts.length ? parts.join(' and ') : 'any call';
}

/**
 * The effective policy as the hook's policy engine (src/policy) loads it: the user's policy file, a
 * project's (from `cwd` upwards; it can only tighten), the escalation per risk level, and the rules in
 * order. An invalid file is reported with its file, line and error (enforce mode then denies every call).
 */
export function policyEngineViewer(env: NodeJS.ProcessEnv): PolicyViewer {
  return async (settings, cwd) => {
    const home = env.HOME && env.HOME !== '' ? env.HOME : homedir();
    const userFile = userPolicyFile(settings.home);
    const projectFile = cwd ? findProjectPolicy(cwd, home, userFile) : undefined;
    const files: PolicyView['files'] = [{ path: userFile, scope: 'user', exists: existsSync(userFile), error: null }];
    if (projectFile) files.push({ path: projectFile, scope: 'project', exists: true, error: null });
    const loaded = await loadPolicy({ vaibotHome: settings.home, cwd: cwd ?? settings.home, home });
    if (!loaded.ok) {
      const file = files.find((f) => f.path === loaded.file);
      const error = `${loaded.line !== null ? `line ${loaded.line}: ` : ''}${loaded.message}`;
      if (file) file.error = error;
      else files.push({ path: loaded.file, scope: 'project', exists: true, error });
      return { source: 'file', files, rules: [], mode: settings.mode, notes: [`the policy file ${loaded.file} is invalid, so VAIBot ${settings.mode === 'enforce' ? 'denies every tool call' : 'would deny every tool call in enforce mode'} until it is fixed`] };
    }
    const { policy, warnings } = loaded;
    const rules: PolicyRuleView[] = [
      ...policy.rules.map((r) => ({ id: r.id, when: when(r.match as Record<string, unknown>, r.upTo), action: r.action, source: r.file ?? r.source })),
      ...LEVELS.map((level) => ({ id: `escalation.${level}`, when: `risk = ${level}`, action: policy.escalation[level], source: policy.files.length ? 'policy' : 'builtin' })),
    ];
    return {
      source: policy.files.length ? 'file' : 'builtin',
      files,
      rules,
      mode: settings.mode,
      notes: [...warnings, ...(policy.files.length ? [] : ['no policy file: the built-in escalation defaults apply'])],
    };
  };
}
