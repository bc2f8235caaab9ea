import { existsSync, statSync } from 'node:fs';
import { createWebSocketInspector } from '@statelyai/inspect';
import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { breakerMachine } from '../../../machines/breaker.machine.js';
import { approvalMachine } from '../../../machines/approval.machine.js';
import { loadBreaker } from '../../state/breakerStore.js';
import { listApprovalHashes, loadApproval } from '../../state/approvalStore.js';
import { approvalFile, breakerFile } from '../../state/paths.js';
import { readLastEvent } from '../../state/snapshotFile.js';
import { startInspectorRelay } from '../../inspect/inspectorRelay.js';
import { VaibotError, isVaibotError } from '../../util/vaibotError.js';

/**
 * `vaibot inspect [--port 8080] [--seconds N]`: send the live statecharts to the Stately inspector.
 * Snapshots are rehydrated from disk, then every change hook processes persist is sent as it happens
 * (with the event that caused it). Runs until interrupted, or for N seconds.
 */
const inspect: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['port', 'seconds', 'interval-ms']);
  const port = Number(opt(args, 'port') ?? '8080');
  const seconds = opt(args, 'seconds') === undefined ? undefined : Number(opt(args, 'seconds'));
  const intervalMs = Number(opt(args, 'interval-ms') ?? '250');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new VaibotError('input_invalid', '--port must be 0..65535');
  if (seconds !== undefined && !(seconds > 0)) throw new VaibotError('input_invalid', '--seconds must be positive');
  const { home } = loadSettings(io.env);
  const relay = await startInspectorRelay(port);
  const inspector = createWebSocketInspector({ url: relay.wsUrl });
  const seen = new Map<string, number>(); // file -> mtime sent
  const definitions = { breaker: JSON.stringify(breakerMachine.definition), approval: JSON.stringify(approvalMachine.definition) };

  const publish = (id: string, file: string, kind: 'breaker' | 'approval', snapshot: { value: unknown; context: unknown; status: string } | null) => {
    let mtime = 0;
    try { mtime = existsSync(file) ? statSync(file).mtimeMs : 0; } catch { /* vanished */ }
    const prev = seen.get(file);
    if (prev === mtime) return;
    const shown = snapshot ?? { value: 'closed', context: {}, status: 'active' };
    const inspected = { value: shown.value, context: shown.context, status: shown.status as 'active' | 'done' };
    if (prev === undefined) {
      inspector.actor(id, inspected, { definition: definitions[kind] });
    } else {
      const event = readLastEvent(file) ?? { type: 'snapshot.changed' };
      inspector.event(id, event);
      inspector.snapshot(id, inspected, { event });
      io.stdout(`${id}: ${event.type} -> ${String(shown.value)}\n`);
    }
    seen.set(file, mtime);
  };

  const scan = () => {
    try {
      publish('breaker:codex', breakerFile(home), 'breaker', loadBreaker(home));
      for (const hash of listApprovalHashes(home)) publish(`approval:${hash.slice(7, 19)}`, approvalFile(home, hash), 'approval', loadApproval(home, hash));
    } catch (err) {
      if (!isVaibotError(err)) throw err;
      io.stderr(`vaibot inspect: ${err.message}\n`);
    }
  };

  io.stdout(`Stately inspector bridge: open ${relay.pageUrl} in a browser (loopback only).\nWatching ${home}; Ctrl-C to stop.\n`);
  scan();
  await new Promise<void>((done) => {
    const timer = setInterval(scan, Math.max(50, intervalMs));
    const finish = () => { clearInterval(timer); process.off('SIGINT', finish); done(); };
    process.once('SIGINT', finish);
    if (seconds !== undefined) setTimeout(finish, seconds * 1000);
  });
  inspector.stop();
  await relay.stop();
  return 0;
};
export default inspect;
