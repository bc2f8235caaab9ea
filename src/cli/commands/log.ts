import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { databaseFile } from '../../state/paths.js';
import { encodeBase64 } from '../../receipts/base64.js';
import { writeCheckpointMark } from '../../receipts/checkpointer.js';
import { ensureLogKey } from '../../receipts/logKey.js';
import { openSqliteLog } from '../../receipts/sqliteLog.js';
import { ReceiptError } from '../../receipts/receiptError.js';

const USAGE = `Usage:
  vaibot log public-key                 print the log's verifier key (<name>+<key ID>+<base64 key>)
  vaibot log checkpoint [--json]        sign a checkpoint of the whole log now
  vaibot log status [--json]            tree size, newest checkpoint, anchors
  vaibot log consistency --from M [--to N] --out DIR
                                        write old.checkpoint, new.checkpoint and proof.json (RFC 9162)
`;

function size(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new ReceiptError('config_invalid', `--${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** `vaibot log public-key | checkpoint | status | consistency`: the receipts log and its key. */
const log: CliCommand = async (argv, io) => {
  const [sub, ...rest] = argv;
  const { home } = loadSettings(io.env);
  try {
    switch (sub) {
      case 'public-key': {
        parseArgs(rest, []);
        io.stdout(`${ensureLogKey(home).key.verifierKey}\n`);
        return 0;
      }
      case 'checkpoint': {
        const args = parseArgs(rest, [], ['json']);
        const { key } = ensureLogKey(home);
        const l = openSqliteLog(databaseFile(home));
        try {
          const { record, created } = l.issueCheckpoint(key.signer, new Date());
          if (!record) throw new ReceiptError('not_found', 'no checkpoint could be signed');
          writeCheckpointMark(home, record);
          if (args.options.has('json')) {
            io.stdout(`${JSON.stringify({ tree_size: record.treeSize, root: encodeBase64(record.root), issued_at: record.issuedAt, created, checkpoint: record.note }, null, 2)}\n`);
          } else {
            io.stdout(`${created ? 'signed' : 'unchanged'} checkpoint tree_size=${record.treeSize} root=${encodeBase64(record.root)}\n`);
          }
          return 0;
        } finally { l.close(); }
      }
      case 'status': {
        const args = parseArgs(rest, [], ['json']);
        const db = databaseFile(home);
        if (!existsSync(db)) { io.stdout(args.options.has('json') ? '{"tree_size":0,"receipts":0,"checkpoint":null}\n' : 'No receipts yet.\n'); return 0; }
        const l = openSqliteLog(db, { readonly: true });
        try {
          const cp = l.latestCheckpoint();
          const { rows } = l.receiptCount();
          const status = {
            receipts: rows, tree_size: l.treeSize(),
            checkpoint: cp ? { tree_size: cp.treeSize, root: encodeBase64(cp.root), issued_at: cp.issuedAt, anchors: cp.anchors } : null,
          };
          if (args.options.has('json')) io.stdout(`${JSON.stringify(status, null, 2)}\n`);
          else {
            io.stdout(`receipts ${rows}, tree ${status.tree_size}, ${cp ? `newest checkpoint ${cp.treeSize} at ${cp.issuedAt} (${rows - cp.treeSize} waiting)` : 'no checkpoint yet'}\n`);
            for (const a of cp?.anchors ?? []) io.stdout(`anchored on chain ${a.chainId} in block ${a.blockNumber}: ${a.txHash}\n`);
          }
          return 0;
        } finally { l.close(); }
      }
      case 'consistency': {
        const args = parseArgs(rest, ['from', 'to', 'out']);
        const from = size(opt(args, 'from'), 'from');
        const out = opt(args, 'out');
        if (from === undefined || out === undefined) { io.stderr(USAGE); return 2; }
        const l = openSqliteLog(databaseFile(home));
        try {
          const to = size(opt(args, 'to'), 'to') ?? l.latestCheckpoint()?.treeSize;
          const oldCp = l.checkpointAt(from);
          const newCp = to === undefined ? null : l.checkpointAt(to);
          if (!oldCp) throw new ReceiptError('not_found', `no checkpoint of size ${from}`);
          if (!newCp) throw new ReceiptError('not_found', `no checkpoint of size ${to}`);
          const proof = l.consistencyProof(oldCp.treeSize, newCp.treeSize).map(encodeBase64);
          mkdirSync(out, { recursive: true });
          writeFileSync(join(out, 'old.checkpoint'), oldCp.note);
          writeFileSync(join(out, 'new.checkpoint'), newCp.note);
          writeFileSync(join(out, 'proof.json'), `${JSON.stringify(proof, null, 2)}\n`);
          io.stdout(`consistency ${oldCp.treeSize} -> ${newCp.treeSize}: ${proof.length} hashes written to ${out}\n`);
          return 0;
        } finally { l.close(); }
      }
      default:
        io.stderr(USAGE);
        return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
    }
  } catch (err) {
    if (err instanceof ReceiptError) { io.stderr(`error: ${err.message}\n`); return 1; }
    throw err;
  }
};
export default log;
