import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { loadDefaultEngine } from '../../governance/defaultEngine.js';
import { isLoopback } from '../../server/startServer.js';
import { runServer, serverLogger } from '../../server/runServer.js';
import { VaibotError } from '../../util/vaibotError.js';
import { VERSION } from '../../util/version.js';
import { loadLogSettings } from '../../receipts/logSettings.js';
import type { ServerAnchorSettings } from '../../server/serverLog.js';

function port(raw: string | undefined): number {
  if (raw === undefined) return 8787;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new VaibotError('input_invalid', `--port must be 0..65535, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function seconds(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new VaibotError('input_invalid', `${flag} must be a whole number of seconds >= 1, got ${JSON.stringify(raw)}`);
  return Number(raw) * 1000;
}

/** `--anchor-every S` with the VAIBOT_ANCHOR_* settings (or --rpc/--chain-id/--key-file): the schedule's chain. */
async function anchorSettings(args: ReturnType<typeof parseArgs>, env: NodeJS.ProcessEnv): Promise<ServerAnchorSettings | undefined> {
  const every = opt(args, 'anchor-every');
  if (every === undefined) return undefined;
  const s = loadLogSettings(env).anchor;
  const rpcUrl = opt(args, 'rpc') ?? s.rpcUrl;
  const chainRaw = opt(args, 'chain-id');
  const chainId = chainRaw !== undefined ? Number(chainRaw) : s.chainId;
  const keyFile = opt(args, 'key-file') ?? s.keyFile;
  if (rpcUrl === undefined || chainId === undefined || keyFile === undefined) {
    throw new VaibotError('input_invalid', '--anchor-every needs --rpc, --chain-id and --key-file (or VAIBOT_ANCHOR_RPC_URL, VAIBOT_ANCHOR_CHAIN_ID, VAIBOT_ANCHOR_KEY_FILE)');
  }
  if (!Number.isSafeInteger(chainId) || chainId < 1) throw new VaibotError('input_invalid', `--chain-id must be a positive whole number, got ${JSON.stringify(chainRaw)}`);
  const { readAnchorKeyFile } = await import('../../receipts/anchor.js');
  return { rpcUrl, chainId, privateKey: readAnchorKeyFile(keyFile), everyMs: seconds(every, '--anchor-every') };
}

/**
 * `vaibot serve [--port 8787] [--host 127.0.0.1] [--db <sqlite path | postgres URL>] [--public-url URL]
 * [--log-key-dir DIR] [--anchor-every SECONDS [--rpc URL --chain-id N --key-file F]]`: the governance
 * server (v2 API, dashboard, SSE, metrics, each account's signed log) until SIGINT/SIGTERM.
 */
const serve: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['port', 'host', 'db', 'public-url', 'log-key-dir', 'anchor-every', 'rpc', 'chain-id', 'key-file'], []);
  const settings = loadSettings(io.env);
  const logSettings = loadLogSettings(io.env);
  const anchor = await anchorSettings(args, io.env);
  const host = opt(args, 'host') ?? '127.0.0.1';
  const db = opt(args, 'db') ?? io.env.VAIBOT_SERVER_DB;
  const log = serverLogger(settings.debug);
  if (!isLoopback(host)) io.stderr(`vaibot serve: listening on ${host}, not loopback: put it behind TLS (and pass --public-url https://…)\n`);
  const server = await runServer({
    port: port(opt(args, 'port')), host, home: settings.home, engine: await loadDefaultEngine(settings, io.env, process.cwd()), logger: log,
    log: { checkpoint: logSettings.checkpoint, ...(opt(args, 'log-key-dir') ? { keyDir: opt(args, 'log-key-dir') as string } : {}), ...(anchor ? { anchor } : {}) },
    ...(db ? { db } : {}),
    ...(opt(args, 'public-url') ? { publicUrl: opt(args, 'public-url') as string } : {}),
    app: { version: VERSION, approvalTtlMs: settings.approvalTtlMs, secureCookies: (opt(args, 'public-url') ?? '').startsWith('https:') },
    onLoginLink: (link) => io.stderr(`vaibot serve: first run. The operator signs in once with this link (valid 24 h), then sets a password:\n  ${link}\n`),
  });
  const where = server.spec.dialect === 'sqlite' ? `sqlite ${server.spec.file}` : `postgres ${new URL(server.spec.url).host}${new URL(server.spec.url).pathname}`;
  io.stderr(`vaibot serve: listening on ${server.url} (db: ${where})\n`);
  io.stderr(`vaibot serve: each account's receipts form a signed log (checkpoint every ${logSettings.checkpoint.every} receipts or ${logSettings.checkpoint.intervalMs / 1000} s; verifier key at GET /v2/log/checkpoint)${anchor ? `, anchored on chain ${anchor.chainId} at most every ${anchor.everyMs / 1000} s` : ''}\n`);
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
