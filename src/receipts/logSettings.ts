import { ReceiptError } from './receiptError.js';

/** When the checkpointer signs a new checkpoint. */
export interface CheckpointPolicy {
  /** Sign once this many receipts are not yet covered by a checkpoint. */
  every: number;
  /** Also sign when the newest checkpoint is this old (ms) and receipts are waiting; 0 = count only. */
  intervalMs: number;
}

/** Where `vaibot anchor` publishes (each may also come from the command line). */
export interface AnchorSettings {
  rpcUrl: string | undefined;
  chainId: number | undefined;
  keyFile: string | undefined;
}

/** The receipts log's VAIBOT_* variables (documented in docs/receipts.md). */
export interface LogSettings {
  checkpoint: CheckpointPolicy;
  anchor: AnchorSettings;
}

/** Documentation of the log's variables: name, default, meaning. */
export const LOG_SETTINGS_DOC: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'VAIBOT_CHECKPOINT_EVERY', default: '100', meaning: 'Sign a checkpoint once this many receipts are not yet covered by one' },
  { name: 'VAIBOT_CHECKPOINT_INTERVAL_MS', default: '60000', meaning: 'Also sign when the newest checkpoint is this old and receipts are waiting (0: by count only)' },
  { name: 'VAIBOT_ANCHOR_RPC_URL', default: '(unset)', meaning: 'EVM JSON-RPC URL that `vaibot anchor` publishes checkpoints to' },
  { name: 'VAIBOT_ANCHOR_CHAIN_ID', default: '(unset)', meaning: 'Chain id expected at that RPC URL' },
  { name: 'VAIBOT_ANCHOR_KEY_FILE', default: '(unset)', meaning: 'File holding the 0x-hex private key of the account that pays for anchoring (0600)' },
];

function int(env: NodeJS.ProcessEnv, name: string, def: number | undefined, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const t = raw.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(n) || n < min) {
    throw new ReceiptError('config_invalid', `${name} must be a whole number >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function str(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** Parse the log's variables; throws `config_invalid` naming the first bad one. */
export function loadLogSettings(env: NodeJS.ProcessEnv = process.env): LogSettings {
  return {
    checkpoint: {
      every: int(env, 'VAIBOT_CHECKPOINT_EVERY', 100, 1) as number,
      intervalMs: int(env, 'VAIBOT_CHECKPOINT_INTERVAL_MS', 60_000, 0) as number,
    },
    anchor: {
      rpcUrl: str(env, 'VAIBOT_ANCHOR_RPC_URL'),
      chainId: int(env, 'VAIBOT_ANCHOR_CHAIN_ID', undefined, 1),
      keyFile: str(env, 'VAIBOT_ANCHOR_KEY_FILE'),
    },
  };
}
