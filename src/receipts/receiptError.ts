/** Every way checking or building the receipt log can fail; each names what failed. */
export type ReceiptErrorCode =
  /** The bundle file is not UTF-8 / strict I-JSON, or lacks a member. */
  | 'bundle_malformed'
  /** A bundle member has the wrong type or is out of range. */
  | 'bundle_invalid'
  /** A verifier key string is malformed or its key ID is wrong. */
  | 'key_invalid'
  /** The signed note is not well formed. */
  | 'note_malformed'
  /** A signature by the trusted key does not verify, or there is none. */
  | 'signature_invalid'
  /** The checkpoint body is not a well-formed C2SP tlog-checkpoint. */
  | 'checkpoint_malformed'
  /** The checkpoint is well formed but does not match the bundle or key (origin, size). */
  | 'checkpoint_mismatch'
  /** The inclusion or consistency proof does not lead to the signed root. */
  | 'proof_invalid'
  /** The local log differs from what its checkpoints signed (edited, removed, reordered). */
  | 'log_tampered'
  /** The receipts table has a hole in its sequence numbers. */
  | 'log_gap'
  /** The log key is missing or unreadable. */
  | 'key_unavailable'
  /** No receipt, checkpoint or anchor matches. */
  | 'not_found'
  /** Publishing or checking an on-chain anchor failed. */
  | 'anchor_failed'
  /** The chain does not hold what the anchor record says. */
  | 'anchor_mismatch'
  /** A setting or argument of the receipts log is invalid. */
  | 'config_invalid';

/** A failure of the receipts log, with a stable `code` and a reason a person can act on. */
export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
  constructor(
    readonly code: ReceiptErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Type guard for {@link ReceiptError}, optionally of one code. */
export function isReceiptError(err: unknown, code?: ReceiptErrorCode): err is ReceiptError {
  return err instanceof ReceiptError && (code === undefined || err.code === code);
}
