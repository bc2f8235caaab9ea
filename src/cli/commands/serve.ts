import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { loadDefaultEngine } from '../../governance/defaultEngine.js';
import { isLoopback } from '../../server/startServer.js';
import { runServer, serverLogger } from '../../server/runServer.js';
import { VaibotError } from '../../util/vaibotError.js';
import { VERSION } from '../../util/version.js';

function port(raw: string | undefined): number {
  if (raw === undefined) return 8787;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new VaibotError('input_invalid', `--port must be 0..65535, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/**
 * `vaibot serve [--port 8787] [--host 127.0.0.1] [--db <sqlite path | postgres URL>] [--public-url URL]`:
 * the governance server (v2 API, dashboard, SSE, metrics) until SIGINT/SIGTERM.
 */
const serve: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['port', 'host', 'db', 'public-url'], []);
  const settings = loadSettings(io.env);
  const host = opt(args, 'host') ?? '127.0.0.1';
  const db = opt(args, 'db') ?? io.env.VAIBOT_SERVER_DB;
  const log = serverLogger(settings.debug);
  if (!isLoopback(host)) io.stderr(`vaibot serve: listening on ${host}, not loopback: put it behind TLS (and pass --public-url https://…)\n`);
  const server = await runServer({
    port: port(opt(args, 'port')), host, home: settings.home, engine: await loadDefaultEngine(settings, io.env, process.cwd()), log,
    ...(db ? { db } : {}),
    ...(opt(args, 'public-url') ? { publicUrl: opt(args, 'public-url') as string } : {}),
    app: { version: VERSION, approvalTtlMs: settings.approvalTtlMs, secureCookies: (opt(args, 'public-url') ?? '').startsWith('https:') },
    onLoginLink: (link) => io.stderr(`vaibot serve: first run. The operator signs in once with this link (valid 24 h), then sets a password:\n  ${link}\n`),
  });
  const where = server.spec.dialect === 'sqlite' ? `sqlite ${server.spec.file}` : `postgres ${new URL(server.spec.url).host}${new URL(server.spec.url).pathname}`;
  io.stderr(`vaibot serve: listening on ${server.url} (db: ${where})\n`);
  io.stdout(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
};

export default serve;
