/**
 * Erasing the record of what happened: the system journal vacuumed, local backups and snapshots
 * deleted, a shell's history file overwritten with an empty list. What was run can then no longer
 * be reconstructed outside VAIBOT's own receipts.
 */
import type { Handler } from '../call.js';
import { EMPTY_INPUT } from '../shellValue.js';
import { UNKNOWN_OUTPUT, display } from './support.js';

/** `journalctl --vacuum-size/--vacuum-time/--vacuum-files`, `--rotate` with them: stored logs deleted. */
const journalctl: Handler = (call) => {
  const vac = call.args.find((a) => /^--vacuum-(?:size|time|files)(?:=|$)/.test(a));
  if (vac) call.exec.run.add('fs.erase-logs', `journalctl ${call.args.map(display).join(' ')} deletes stored system logs`);
  return vac ? EMPTY_INPUT : UNKNOWN_OUTPUT;
};

/** `tmutil deletelocalsnapshots`, `tmutil delete`: Time Machine backups deleted. */
const tmutil: Handler = (call) => {
  const sub = call.args[0] ?? '';
  if (/^(?:delete|deletelocalsnapshots|thinlocalsnapshots|deleteinprogress|disable)$/.test(sub))
    call.exec.run.add('fs.erase-logs', `tmutil ${sub} deletes or turns off the machine's backups`);
  return UNKNOWN_OUTPUT;
};

/** `history -w` (and `-c` with it) overwrites the history file with the shell's list, empty in a non-interactive shell. */
const history: Handler = (call) => {
  const a = call.args;
  if (a.some((x) => /^-[a-z]*w/.test(x))) call.exec.run.add('fs.erase-history', `history ${a.map(display).join(' ')} overwrites the shell's history file`);
  return UNKNOWN_OUTPUT;
};

/** Handlers by program name. */
export const LOG_ERASURE_HANDLERS: Record<string, Handler> = { journalctl, tmutil, history };
