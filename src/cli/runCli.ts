import type { CliCommand, CliIO } from './command.js';
import { VERSION } from '../util/version.js';
import { isVaibotError } from '../util/vaibotError.js';

/** Every verb, loaded lazily so `vaibot status` does not pay for `vaibot demo`. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ default: CliCommand }> }> = {
  status: { summary: 'breaker state, pending approvals, mode and receipts (--json)', load: () => import('./commands/status.js') },
  pending: { summary: 'actions waiting for a human (--json)', load: () => import('./commands/pending.js') },
  approve: { summary: 'approve <hash> [--scope once|session|until=<ISO time or 30m/2h>] [--session ID]', load: () => import('./commands/approve.js') },
  deny: { summary: 'deny <hash> [--reason TEXT]', load: () => import('./commands/deny.js') },
  recent: { summary: 'recent receipts [--limit N] [--json]', load: () => import('./commands/recent.js') },
  check: { summary: "classify without running: --tool Bash --command '…' [--cwd DIR] [--json]", load: () => import('./commands/check.js') },
  policy: { summary: 'print the effective policy', load: () => import('./commands/policy.js') },
  machines: { summary: 'the statecharts: --mermaid or --json', load: () => import('./commands/machines.js') },
  inspect: { summary: 'stream the live statecharts to the Stately inspector', load: () => import('./commands/inspect.js') },
  install: { summary: 'install the plugin into Codex and trust its hooks', load: () => import('./commands/install.js') },
  uninstall: { summary: 'remove the plugin from Codex', load: () => import('./commands/uninstall.js') },
  doctor: { summary: 'check that governance is really active', load: () => import('./commands/doctor.js') },
  demo: { summary: 'a real Codex session against a scripted local model, enforce mode', load: () => import('./commands/demo.js') },
  breaker: { summary: 'breaker reset: close the breaker (a human act)', load: () => import('./commands/breaker.js') },
  log: { summary: 'the receipts log: public-key | checkpoint | status | consistency --from M [--to N] --out DIR', load: () => import('./commands/log.js') },
  export: { summary: 'export <content_hash|receipt_id> [--out FILE]: a receipt bundle anyone can verify offline', load: () => import('./commands/export.js') },
  verify: { summary: 'verify BUNDLE [--key VKEY] [--chain RPC] | --log [--key VKEY] | --consistency OLD NEW PROOF --key VKEY', load: () => import('./commands/verify.js') },
  serve: { summary: 'serve [--port 8787] [--host 127.0.0.1] [--db <sqlite path | postgres URL>]: the governance server', load: () => import('./commands/serve.js') },
  anchor: { summary: 'anchor [--rpc URL --chain-id N --key-file F]: publish the newest checkpoint on an EVM chain', load: () => import('./commands/anchor.js') },
};

/**
 * Verbs only a human may run: deciding approvals, installing or removing the plugin, resetting the
 * breaker. They refuse to run inside a Codex session (agentAncestor.ts).
 */
const HUMAN_ONLY = new Set(['approve', 'deny', 'install', 'uninstall', 'breaker']);

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    `vaibot ${VERSION}: governance for the Codex CLI`,
    '',
    'Usage: vaibot <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    '',
  ].join('\n');
}

/** Run the CLI with the given arguments; returns the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout(usage());
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version' || verb === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[verb];
  if (!entry) {
    io.stderr(`vaibot: unknown command ${JSON.stringify(verb)}\n\n${usage()}`);
    return 2;
  }
  try {
    if (HUMAN_ONLY.has(verb)) {
      const { agentAncestor } = await import('./agentAncestor.js');
      const agent = agentAncestor();
      if (agent) {
        io.stderr(`vaibot ${verb}: refused: this runs inside a Codex session (process ${agent.pid}, ${agent.comm}), so the agent would be deciding for itself. `
          + `${verb} is a human act: run it in your own terminal${verb === 'approve' || verb === 'deny' ? ', or use the dashboard' : ''}.\n`);
        return 1;
      }
    }
    const mod = await entry.load();
    return await mod.default(rest, io);
  } catch (err) {
    if (isVaibotError(err)) {
      io.stderr(`vaibot ${verb}: ${err.message}\n`);
      return 1;
    }
    io.stderr(`vaibot ${verb}: unexpected error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 1;
  }
}
