import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecisionEngine } from '../../src/governance/decisionEngine.js';
import { openServerStore, type DatabaseSpec } from '../../src/serverStore/openServerStore.js';
import type { ServerStore } from '../../src/serverStore/serverStore.js';
import { createServerApp, type ServerApp, type ServerAppOptions } from '../../src/server/createServerApp.js';

/**
 * A small deterministic engine for server tests: `rm -rf` is dangerous (deny), `curl` is high
 * (approval_required), anything else allowed. The real engine is covered by the classifier's tests.
 */
export const stubEngine: DecisionEngine = (intent) => {
  const text = intent.body.kind === 'shell' ? intent.body.command : JSON.stringify(intent.body);
  if (/rm\s+-rf/.test(text)) {
    return { action: 'deny', reason: 'recursive delete', ruleIds: ['fs.rm-recursive'], basis: 'policy', risk: { level: 'dangerous', reason: 'recursive delete', findings: [{ ruleId: 'fs.rm-recursive', category: 'destroy-files', level: 'dangerous', reason: 'recursive delete' }] } };
  }
  if (/\bcurl\b/.test(text)) {
    return { action: 'approval_required', reason: 'outbound network call', ruleIds: ['net.curl'], basis: 'policy', risk: { level: 'high', reason: 'outbound network call', findings: [{ ruleId: 'net.curl', category: 'network', level: 'high', reason: 'outbound network call' }] } };
  }
  return { action: 'allow', reason: 'no rule matched', ruleIds: [], basis: 'policy', risk: { level: 'none', reason: 'no rule matched', findings: [] } };
};

/** A temporary directory removed by the returned function. */
export function tempDir(prefix = 'vaibot-server-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An app over a fresh SQLite database (or the given spec). */
export async function testApp(opts: Partial<ServerAppOptions> & { spec?: DatabaseSpec } = {}): Promise<ServerApp & { store: ServerStore; close: () => Promise<void> }> {
  const tmp = tempDir();
  const store = await openServerStore(opts.spec ?? { dialect: 'sqlite', file: join(tmp.dir, 'server.db') }, { sqliteSync: 'NORMAL' });
  const server = createServerApp({ store, engine: stubEngine, bootstrapLimit: { capacity: 1000, refillMs: 1 }, ...opts });
  return { ...server, store, close: async () => { await store.close(); tmp.remove(); } };
}

let fp = 0;
/** A fresh, well-formed fingerprint (random install id inside). */
export function fingerprint(): string {
  fp++;
  return `v2:test:${process.pid}:${fp}:${crypto.randomUUID()}`;
}

/** JSON request init. */
export function json(method: string, body: unknown, key?: string, extra: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/** Bootstrap an account through the app; returns its key and id. */
export async function bootstrap(app: { request: (p: string, i?: RequestInit) => Response | Promise<Response> }): Promise<{ key: string; accountId: string }> {
  const res = await app.request('/v2/bootstrap', json('POST', { fingerprint: fingerprint(), agent: 'codex' }));
  if (res.status !== 201) throw new Error(`bootstrap failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { api_key: string; user_id: string };
  return { key: body.api_key, accountId: body.user_id };
}

/** A decide request body for a shell command. */
export function decideBody(command: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { session_id: 'sess-1', agent_id: 'codex', tool: 'Bash', workspace_dir: '/work', intent: { command, cwd: '/work' }, mode: 'enforce', ...extra };
}
