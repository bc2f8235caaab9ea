import { existsSync, readFileSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { databaseFile } from '../../state/paths.js';
import { verifyBundle } from '../../receipts/verifyBundle.js';
import { ReceiptError } from '../../receipts/receiptError.js';
import { parseVerifierKey, type VerifierKey } from '../../receipts/verifierKey.js';
import { verifyCheckpointConsistency } from '../../receipts/verifyConsistencyFiles.js';

const USAGE = `Usage:
  vaibot verify BUNDLE [--key VKEY] [--chain RPC]     check a receipt bundle offline (and its anchor on a chain)
  vaibot verify --log [--key VKEY] [--chain RPC]      check the whole local log against every stored checkpoint
  vaibot verify --consistency OLD NEW PROOF --key VKEY  check that NEW extends OLD (two checkpoint files, a proof)
`;

/** A `--key` value: a verifier key string, or a file holding one. */
function keyArg(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!raw.includes('+') && existsSync(raw)) return readFileSync(raw, 'utf8').trim();
  return raw.trim();
}

function readInput(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file === '-' ? 0 : file));
  } catch (err) {
    throw new ReceiptError('not_found', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * `vaibot verify`: exit 0 with one summary line on stdout, or exit 1 with one `error: <reason>` line
 * on stderr (2 for usage errors).
 */
const verify: CliCommand = async (argv, io) => {
  let args;
  try {
    args = parseArgs(argv, ['key', 'chain'], ['log', 'consistency']);
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const chain = opt(args, 'chain');
  try {
    const trustedKey = keyArg(opt(args, 'key'));
    if (args.options.has('log')) {
      if (args.positional.length > 0) { io.stderr(USAGE); return 2; }
      const { home } = loadSettings(io.env);
      const db = databaseFile(home);
      if (!existsSync(db)) { io.stdout('ok receipts=0 checkpoints=0 (no receipts database yet)\n'); return 0; }
      const [{ openSqliteLog }, { auditLog }, { readLogKey }] = await Promise.all([
        import('../../receipts/sqliteLog.js'), import('../../receipts/auditLog.js'), import('../../receipts/logKey.js'),
      ]);
      let key: VerifierKey;
      if (trustedKey !== undefined) key = parseVerifierKey(trustedKey);
      else {
        const local = readLogKey(home);
        if (!local) throw new ReceiptError('key_unavailable', `no log key in ${home}/keys and no --key given`);
        key = parseVerifierKey(local.verifierKey);
      }
      const log = openSqliteLog(db, { readonly: true });
      try {
        const audit = auditLog(log, key);
        if (!audit.ok) {
          io.stderr(`error: ${audit.summary}\n`);
          for (const p of audit.problems.slice(1, 10)) io.stderr(`  also: ${p.message}\n`);
          return 1;
        }
        let line = audit.summary;
        if (chain !== undefined) {
          const { verifyAnchor } = await import('../../receipts/anchor.js');
          const { parseNote } = await import('../../receipts/signedNote.js');
          let anchors = 0;
          for (const cp of log.checkpoints()) {
            for (const a of cp.anchors) {
              await verifyAnchor({ rpcUrl: chain, anchor: a, checkpointBody: parseNote(cp.note).body });
              anchors++;
            }
          }
          line += ` anchors=${anchors}`;
        }
        io.stdout(`${line}\n`);
        return 0;
      } finally { log.close(); }
    }
    if (args.options.has('consistency')) {
      const [oldFile, newFile, proofFile, ...extra] = args.positional;
      if (oldFile === undefined || newFile === undefined || proofFile === undefined || extra.length > 0 || trustedKey === undefined) { io.stderr(USAGE); return 2; }
      const r = verifyCheckpointConsistency(readInput(oldFile), readInput(newFile), readInput(proofFile), trustedKey);
      io.stdout(`${r.summary}\n`);
      return 0;
    }
    const [file, ...extra] = args.positional;
    if (file === undefined || extra.length > 0) { io.stderr(USAGE); return 2; }
    const verified = verifyBundle(readInput(file), trustedKey !== undefined ? { trustedKey } : {});
    let line = verified.summary;
    if (chain !== undefined) {
      if (!verified.anchor) throw new ReceiptError('anchor_mismatch', 'the bundle has no anchor member: its checkpoint was not anchored (run `vaibot anchor`, then export again)');
      const { verifyAnchor } = await import('../../receipts/anchor.js');
      const a = verified.anchor;
      const c = await verifyAnchor({ rpcUrl: chain, anchor: { chainId: a.chain_id, txHash: a.tx_hash, blockNumber: a.block_number, sender: a.sender }, checkpointBody: verified.checkpointBody });
      line += ` anchored chain_id=${c.chainId} block=${c.blockNumber} confirmations=${c.confirmations} at=${new Date(c.blockTimestamp * 1000).toISOString()}`;
    }
    io.stdout(`${line}\n`);
    return 0;
  } catch (err) {
    // The contract is one `error:` line and exit 1, whatever went wrong.
    const message = err instanceof ReceiptError ? err.message : `unexpected: ${err instanceof Error ? err.message : String(err)}`;
    io.stderr(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
};
export default verify;
