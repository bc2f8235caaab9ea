import { loadSettings } from '../config/settings.js';
import { localGovernance } from '../governance/localGovernance.js';
import { loadDefaultEngine } from '../governance/defaultEngine.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import type { ReceiptStore } from '../store/receiptStore.js';
import { databaseFile } from '../state/paths.js';
import { dirname } from 'node:path';
import { withCheckpoints } from '../receipts/checkpointingStore.js';
import { loadLogSettings } from '../receipts/logSettings.js';
import { ensureIdentity, readIdentity } from '../identity/identity.js';
import type { HookEnv } from './hookEnv.js';

/** Open receipt stores by database file: a long-lived daemon reuses one connection per home. */
const stores = new Map<string, ReceiptStore>();

function storeFor(file: string, env: NodeJS.ProcessEnv): ReceiptStore {
  let store = stores.get(file);
  if (!store) {
    // Every append may sign a checkpoint when one is due; a failed checkpoint never fails the append.
    store = withCheckpoints(openSqliteStore(file, { busyTimeoutMs: 5_000 }), { // with the state locks' waits, still inside Codex's 30 s
      home: dirname(file),
      dbFile: file,
      policy: loadLogSettings(env).checkpoint,
      onError: (err) => { process.stderr.write(`VAIBot: no checkpoint signed this time (${err instanceof Error ? err.message : String(err)})\n`); },
    });
    stores.set(file, store);
  }
  return store;
}

/** Build the hook's environment from the process environment: settings, governance, clock, stderr. */
export async function buildHookEnv(env: NodeJS.ProcessEnv, breadcrumb: (line: string) => void, cwd: string): Promise<HookEnv> {
  const settings = loadSettings(env);
  const identityOf = () => {
    const { identity, created } = ensureIdentity(settings.home);
    return { installId: identity.installId, created };
  };
  if (settings.apiUrl !== undefined) {
    // Remote mode: loaded only when configured, so the embedded path stays small.
    const { remoteGovernance } = await import('../governance/remoteGovernance.js');
    const engine = await loadDefaultEngine(settings, env, cwd);
    const governance = remoteGovernance({ settings, installId: () => identityOf().installId, breadcrumb, engine });
    return { settings, governance, now: () => Date.now(), breadcrumb, ensureIdentity: identityOf, secretsInOutput: engine.secretsInOutput ?? 'withhold', unscannedOutput: engine.unscannedOutput ?? 'withhold' };
  }
  let installId: string | null | undefined;
  const identityId = (): string | null => {
    if (installId === undefined) installId = readIdentity(settings.home)?.installId ?? null;
    return installId;
  };
  const engine = await loadDefaultEngine(settings, env, cwd);
  const governance = localGovernance({
    settings,
    store: () => storeFor(databaseFile(settings.home), env),
    engine,
    get installId() { return identityId(); },
  });
  return {
    settings,
    governance,
    now: () => Date.now(),
    breadcrumb,
    secretsInOutput: engine.secretsInOutput ?? 'withhold',
    unscannedOutput: engine.unscannedOutput ?? 'withhold',
    ensureIdentity: () => {
      const r = identityOf();
      installId = r.installId;
      return r;
    },
  };
}
