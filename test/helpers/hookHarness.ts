import { loadSettings } from '../../src/config/settings.js';
import { localGovernance } from '../../src/governance/localGovernance.js';
import type { DecisionEngine } from '../../src/governance/decisionEngine.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import type { ReceiptStore } from '../../src/store/receiptStore.js';
import { databaseFile } from '../../src/state/paths.js';
import { ensureIdentity } from '../../src/identity/identity.js';
import { runHook } from '../../src/hook/runHook.js';
import type { HookEnv } from '../../src/hook/hookEnv.js';

/** A decision engine for hook-mechanics tests: `curl` needs approval, `DANGER` is denied, the rest allowed. */
export const tableEngine: DecisionEngine = (intent) => {
  const text = intent.body.kind === 'shell' ? intent.body.command : JSON.stringify(intent.body);
  const risk = (level: 'none' | 'high' | 'dangerous', reason: string, ruleId?: string) => ({
    level, reason, findings: ruleId ? [{ ruleId, category: 'test', level, reason }] : [],
  });
  if (text.includes('DANGER')) return { action: 'deny', reason: 'test danger', ruleIds: ['test.danger'], risk: risk('dangerous', 'test danger', 'test.danger'), basis: 'policy' };
  if (text.includes('curl')) return { action: 'approval_required', reason: 'outbound network call', ruleIds: ['net.outbound'], risk: risk('high', 'outbound network call', 'net.outbound'), basis: 'policy' };
  return { action: 'allow', reason: 'no risk found', ruleIds: [], risk: risk('none', 'no risk found'), basis: 'policy' };
};

/** Run one hook call in-process with a given engine and environment; returns stdout and breadcrumbs. */
export async function callHook(event: string, input: unknown, env: NodeJS.ProcessEnv, engine: DecisionEngine = tableEngine, now = Date.now(), secretsInOutput: 'withhold' | 'allow' = 'withhold') {
  const lines: string[] = [];
  let store: ReceiptStore | undefined;
  const breadcrumb = (l: string) => { lines.push(l); };
  const out = await runHook(
    event,
    async () => (typeof input === 'string' ? input : JSON.stringify(input)),
    env,
    async (): Promise<HookEnv> => {
      const settings = loadSettings(env);
      return {
        settings,
        governance: localGovernance({ settings, store: () => (store ??= openSqliteStore(databaseFile(settings.home))), engine, installId: 'test-install' }),
        now: () => now,
        breadcrumb,
        secretsInOutput,
        ensureIdentity: () => { const r = ensureIdentity(settings.home); return { installId: r.identity.installId, created: r.created }; },
      };
    },
    breadcrumb,
  );
  store?.close();
  return { ...out, lines };
}

/** A PreToolUse input for a shell command. */
export function bashInput(command: string, extra: Record<string, unknown> = {}) {
  return {
    session_id: 's1', turn_id: 't1', transcript_path: null, cwd: '/tmp/work', hook_event_name: 'PreToolUse', model: 'gpt-5.5',
    permission_mode: 'bypassPermissions', tool_name: 'Bash', tool_input: { command }, tool_use_id: `call_${Math.random().toString(36).slice(2)}`, ...extra,
  };
}
