import type { SessionStartInput } from '../codex/hookInput.js';
import type { HookOutput } from '../codex/hookOutput.js';
import type { HookEnv } from './hookEnv.js';
import { readInstallRecord } from '../identity/installRecord.js';
import { VERSION } from '../util/version.js';
import { BUILD_ID } from '../util/buildId.js';
import { sweepHomeTemps } from '../state/sweepOrphanTemps.js';

/** The short note the model gets at session start, per mode. */
export function sessionContext(mode: 'observe' | 'enforce'): string {
  if (mode === 'observe') {
    return 'VAIBot records every tool call in this session (observe mode): verdicts are logged only and nothing is blocked.';
  }
  return [
    'VAIBot governs every tool call in this session (enforce mode).',
    'Some actions may be blocked pending a human approval, and dangerous ones are denied.',
    'When an action is blocked, tell the user what was blocked and give them the approval command from the message (vaibot approve <hash>);',
    'do not retry the action in another form or work around the block. Only a human can approve.',
  ].join(' ');
}

/** SessionStart: create the local identity on first run, print one status line on stderr, sweep orphan temp files, brief the model. */
export async function sessionStart(_input: SessionStartInput, env: HookEnv): Promise<HookOutput> {
  const { installId, created } = env.ensureIdentity();
  const { mode, apiUrl, home } = env.settings;
  const where = apiUrl ? `remote ${apiUrl}` : `embedded, receipts in ${home}`;
  env.breadcrumb(`VAIBot: governance active (${mode}, ${where})${created ? `; new install ${installId}` : ''}`);
  const installed = readInstallRecord(home);
  const stale = installed !== null && (installed.version !== VERSION || installed.build !== BUILD_ID)
    ? `VAIBot: the hooks running in this session are version ${VERSION} (${BUILD_ID}) but \`vaibot install\` last installed ${installed.version} (${installed.build}); run \`vaibot install\` again so Codex runs the current hooks`
    : undefined;
  if (stale) env.breadcrumb(stale);
  // once per session, off the per-call path: temp files of writers killed mid-write (kill -9)
  const swept = sweepHomeTemps(home);
  if (swept > 0) env.breadcrumb(`VAIBot: removed ${swept} temp file(s) left by interrupted writes`);
  return { kind: 'context', additionalContext: sessionContext(mode), ...(stale ? { systemMessage: stale } : {}) };
}
