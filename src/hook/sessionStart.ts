import type { SessionStartInput } from '../codex/hookInput.js';
import type { HookOutput } from '../codex/hookOutput.js';
import type { HookEnv } from './hookEnv.js';

/** SessionStart: create the local identity on first run and print one status line on stderr. */
export async function sessionStart(_input: SessionStartInput, env: HookEnv): Promise<HookOutput> {
  const { installId, created } = env.ensureIdentity();
  const { mode, apiUrl, home } = env.settings;
  const where = apiUrl ? `remote ${apiUrl}` : `embedded, receipts in ${home}`;
  env.breadcrumb(`VAIBot: governance active (${mode}, ${where})${created ? `; new install ${installId}` : ''}`);
  return { kind: 'allow' };
}
