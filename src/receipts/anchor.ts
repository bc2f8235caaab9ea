// On-chain anchoring with viem: a checkpoint body is published as the data of a zero-value self-send
// transaction on an EVM chain; the transaction is recorded with the checkpoint, and anyone with an RPC
// endpoint can check that the chain holds exactly that body. Loaded lazily: never on the hook path.
import { statSync, readFileSync } from 'node:fs';
import { createPublicClient, createWalletClient, defineChain, http, stringToHex, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ReceiptError } from './receiptError.js';
import type { AnchorRecord } from './receiptLog.js';

/** The transaction data that anchors a checkpoint: the UTF-8 bytes of its body (`origin\nsize\nroot\n`). */
export function anchorData(checkpointBody: string): Hex {
  return stringToHex(checkpointBody);
}

/** Read an anchoring key file: one 0x-prefixed 32-byte hex private key; refused if others can read it. */
export function readAnchorKeyFile(file: string): Hex {
  let text: string;
  try {
    const st = statSync(file);
    if ((st.mode & 0o077) !== 0) throw new ReceiptError('config_invalid', `${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if (err instanceof ReceiptError) throw err;
    throw new ReceiptError('config_invalid', `cannot read the anchoring key file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const hex = text.startsWith('0x') ? text : `0x${text}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new ReceiptError('config_invalid', `${file} must hold one 32-byte private key in hex`);
  return hex as Hex;
}

function client(rpcUrl: string, timeoutMs: number): PublicClient {
  return createPublicClient({ transport: http(rpcUrl, { timeout: timeoutMs, retryCount: 1 }) }) as PublicClient;
}

async function expectChain(pub: PublicClient, chainId: number, rpcUrl: string): Promise<void> {
  let actual: number;
  try {
    actual = await pub.getChainId();
  } catch (err) {
    throw new ReceiptError('anchor_failed', `cannot reach the chain at ${rpcUrl}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (actual !== chainId) throw new ReceiptError('anchor_mismatch', `the RPC at ${rpcUrl} serves chain ${actual}, not ${chainId}`);
}

/** What publishing needs. */
export interface PublishOptions {
  rpcUrl: string;
  chainId: number;
  privateKey: Hex;
  /** The checkpoint body to publish. */
  checkpointBody: string;
  treeSize: number;
  /** Bound on every RPC call and on waiting for the receipt (ms). */
  timeoutMs?: number;
  now?: () => Date;
}

/** Publish a checkpoint body in a self-send transaction and wait for it to be mined. */
export async function publishAnchor(opts: PublishOptions): Promise<AnchorRecord> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pub = client(opts.rpcUrl, timeoutMs);
  await expectChain(pub, opts.chainId, opts.rpcUrl);
  const account = privateKeyToAccount(opts.privateKey);
  const chain = defineChain({
    id: opts.chainId, name: `chain-${opts.chainId}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const wallet = createWalletClient({ account, chain, transport: http(opts.rpcUrl, { timeout: timeoutMs, retryCount: 1 }) });
  let hash: Hex;
  try {
    hash = await wallet.sendTransaction({ account, chain, to: account.address, value: 0n, data: anchorData(opts.checkpointBody) });
  } catch (err) {
    throw new ReceiptError('anchor_failed', `the anchoring transaction was not accepted: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  let receipt;
  try {
    receipt = await pub.waitForTransactionReceipt({ hash, timeout: timeoutMs, pollingInterval: 200 });
  } catch (err) {
    throw new ReceiptError('anchor_failed', `transaction ${hash} was sent but not mined within ${timeoutMs} ms: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (receipt.status !== 'success') throw new ReceiptError('anchor_failed', `transaction ${hash} was mined but reverted`);
  return {
    treeSize: opts.treeSize, chainId: opts.chainId, txHash: hash, blockNumber: Number(receipt.blockNumber),
    sender: account.address, anchoredAt: (opts.now ?? (() => new Date()))().toISOString(),
  };
}

/** What the chain confirmed about an anchor. */
export interface AnchorConfirmation {
  chainId: number;
  blockNumber: number;
  /** Blocks since (and including) the anchoring block. */
  confirmations: number;
  /** The block's timestamp (seconds since the epoch): the checkpoint existed then. */
  blockTimestamp: number;
}

/**
 * Check against the chain that `anchor` is a successful self-send by `anchor.sender`, mined in
 * `anchor.blockNumber` on `anchor.chainId`, whose data is exactly `checkpointBody`. Throws
 * `anchor_mismatch` naming the first difference, `anchor_failed` if the chain cannot be asked.
 */
export async function verifyAnchor(opts: {
  rpcUrl: string;
  anchor: { chainId: number; txHash: string; blockNumber: number; sender: string };
  checkpointBody: string;
  timeoutMs?: number;
}): Promise<AnchorConfirmation> {
  const { anchor } = opts;
  const pub = client(opts.rpcUrl, opts.timeoutMs ?? 30_000);
  await expectChain(pub, anchor.chainId, opts.rpcUrl);
  const hash = anchor.txHash as Hex;
  let tx;
  let receipt;
  let head: bigint;
  try {
    [tx, receipt, head] = await Promise.all([pub.getTransaction({ hash }), pub.getTransactionReceipt({ hash }), pub.getBlockNumber()]);
  } catch (err) {
    throw new ReceiptError('anchor_mismatch', `chain ${anchor.chainId} has no mined transaction ${hash}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (receipt.status !== 'success') throw new ReceiptError('anchor_mismatch', `transaction ${hash} reverted`);
  if (tx.blockNumber === null || Number(tx.blockNumber) !== anchor.blockNumber) {
    throw new ReceiptError('anchor_mismatch', `transaction ${hash} is in block ${tx.blockNumber}, not ${anchor.blockNumber}`);
  }
  const sender = anchor.sender.toLowerCase();
  if (tx.from.toLowerCase() !== sender || (tx.to ?? '').toLowerCase() !== sender) {
    throw new ReceiptError('anchor_mismatch', `transaction ${hash} is not a self-send by ${anchor.sender} (from ${tx.from} to ${tx.to})`);
  }
  if (tx.input.toLowerCase() !== anchorData(opts.checkpointBody).toLowerCase()) {
    throw new ReceiptError('anchor_mismatch', `transaction ${hash} carries different data than this checkpoint's body`);
  }
  const block = await pub.getBlock({ blockNumber: BigInt(anchor.blockNumber) });
  return {
    chainId: anchor.chainId, blockNumber: anchor.blockNumber, confirmations: Number(head - BigInt(anchor.blockNumber)) + 1, blockTimestamp: Number(block.timestamp),
  };
}
