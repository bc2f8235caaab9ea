// Bench target (bundled by bench/server.bench.mjs): the governance server and, on another port, a
// bare Hono JSON endpoint that does no work. Prints {"server": url, "bare": url} once both listen.
import { Hono } from 'hono';
import { loadSettings } from '../src/config/settings.js';
import type { DecisionEngine } from '../src/governance/decisionEngine.js';
import { runServer } from '../src/server/runServer.js';
import { startServer } from '../src/server/startServer.js';

const [home, db, engineKind, sync] = process.argv.slice(2) as [string, string, string, string];
const settings = loadSettings({ ...process.env, VAIBOT_HOME: home });
let engine: DecisionEngine;
if (engineKind === 'real') {
  const m = await import('../src/governance/defaultEngine.js');
  engine = await m.loadDefaultEngine(settings, { ...process.env, VAIBOT_HOME: home }, home);
} else {
  engine = () => ({ action: 'allow', reason: 'stub', ruleIds: [], basis: 'policy', risk: { level: 'none', reason: 'stub', findings: [] } });
}
const server = await runServer({ port: 0, host: '127.0.0.1', home, db, engine, store: { sqliteSync: sync === 'NORMAL' ? 'NORMAL' : 'FULL', poolSize: 16 } });
const bare = new Hono();
bare.post('/bare', (c) => c.json({ ok: true }));
const bareHttp = await startServer(bare, { port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ server: server.url, bare: bareHttp.url })}\n`);
process.on('SIGTERM', () => { void Promise.all([server.close(), bareHttp.close()]).then(() => process.exit(0)); });
