import { writeFileSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { databaseFile } from '../../state/paths.js';
import { exportBundle } from '../../receipts/exportBundle.js';
import { ensureLogKey } from '../../receipts/logKey.js';
import { ReceiptError } from '../../receipts/receiptError.js';
import { openSqliteLog } from '../../receipts/sqliteLog.js';
import { writeCheckpointMark } from '../../receipts/checkpointer.js';

/** `vaibot export <content_hash|receipt_id> [--out FILE]`: write a receipt bundle (stdout without --out). */
const exportCommand: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['out']);
  const [selector, ...extra] = args.positional;
  if (selector === undefined || extra.length > 0) {
    io.stderr('Usage: vaibot export <content_hash|receipt_id> [--out FILE]\n');
    return 2;
  }
  const { home } = loadSettings(io.env);
  try {
    const { key } = ensureLogKey(home);
    const log = openSqliteLog(databaseFile(home));
    try {
      const exported = exportBundle(log, key, selector);
      if (exported.signedNow) {
        const latest = log.latestCheckpoint();
        if (latest) writeCheckpointMark(home, latest);
      }
      const out = opt(args, 'out');
      if (out !== undefined) writeFileSync(out, exported.text);
      else io.stdout(exported.text);
      const { entry, bundle, matches } = exported;
      io.stderr(`exported receipt ${entry.id} (leaf ${entry.index} of ${bundle.tree_size})${out !== undefined ? ` to ${out}` : ''}`
        + `${matches > 1 ? `; ${matches} receipts have this content hash, this is the newest (pass a receipt id to choose)` : ''}\n`);
      return 0;
    } finally { log.close(); }
  } catch (err) {
    if (err instanceof ReceiptError) { io.stderr(`error: ${err.message}\n`); return 1; }
    throw err;
  }
};
export default exportCommand;
