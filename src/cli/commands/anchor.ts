import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { databaseFile } from '../../state/paths.js';
import { encodeBase64 } from '../../receipts/base64.js';
import { writeCheckpointMark } from '../../receipts/checkpointer.js';
import { ensureLogKey } from '../../receipts/logKey.js';
import { loadLogSettings } from '../../receipts/logSettings.js';
import { ReceiptError } from '../../receipts/receiptError.js';
import { parseNote } from '../../receipts/signedNote.js';
import { openSqliteLog } from '../../receipts/sqliteLog.js';

/**
 * `vaibot anchor [--rpc URL --chain-id N --key-file F] [--json]`: sign a checkpoint of the whole log if
 * it grew, publish its body on the chain in a self-send transaction, and record the transaction.
 */
const anchor: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, ['rpc', 'chain-id', 'key-file', 'timeout-ms'], ['json']);
  const { home } = loadSettings(io.env);
  try {
    const settings = loadLogSettings(io.env).anchor;
    const rpcUrl = opt(args, 'rpc') ?? settings.rpcUrl;
    const chainRaw = opt(args, 'chain-id');
    const chainId = chainRaw !== undefined ? Number(chainRaw) : settings.chainId;
    const keyFile = opt(args, 'key-file') ?? settings.keyFile;
    const timeoutRaw = opt(args, 'timeout-ms') ?? '60000';
    if (rpcUrl === undefined || chainId === undefined || keyFile === undefined) {
      throw new ReceiptError('config_invalid', 'anchoring needs --rpc, --chain-id and --key-file (or VAIBOT_ANCHOR_RPC_URL, VAIBOT_ANCHOR_CHAIN_ID, VAIBOT_ANCHOR_KEY_FILE)');
    }
    if (!Number.isSafeInteger(chainId) || chainId < 1) throw new ReceiptError('config_invalid', `--chain-id must be a positive whole number, got ${JSON.stringify(chainRaw)}`);
    if (!/^\d+$/.test(timeoutRaw)) throw new ReceiptError('config_invalid', '--timeout-ms must be a whole number');
    const { publishAnchor, readAnchorKeyFile } = await import('../../receipts/anchor.js');
    const privateKey = readAnchorKeyFile(keyFile);
    const { key } = ensureLogKey(home);
    const log = openSqliteLog(databaseFile(home));
    try {
      const { record } = log.issueCheckpoint(key.signer, new Date());
      if (!record) throw new ReceiptError('not_found', 'no checkpoint to anchor');
      writeCheckpointMark(home, record);
      let a = record.anchors.find((x) => x.chainId === chainId);
      const fresh = !a;
      if (!a) {
        a = await publishAnchor({ rpcUrl, chainId, privateKey, checkpointBody: parseNote(record.note).body, treeSize: record.treeSize, timeoutMs: Number(timeoutRaw) });
        log.addAnchor(a);
      }
      if (args.options.has('json')) {
        io.stdout(`${JSON.stringify({ tree_size: record.treeSize, root: encodeBase64(record.root), chain_id: a.chainId, tx_hash: a.txHash, block_number: a.blockNumber, sender: a.sender, created: fresh }, null, 2)}\n`);
      } else {
        io.stdout(`${fresh ? 'anchored' : 'already anchored'} checkpoint tree_size=${record.treeSize} root=${encodeBase64(record.root)} chain_id=${a.chainId} block=${a.blockNumber} tx=${a.txHash}\n`);
      }
      return 0;
    } finally { log.close(); }
  } catch (err) {
    if (err instanceof ReceiptError) { io.stderr(`error: ${err.message}\n`); return 1; }
    throw err;
  }
};
export default anchor;
