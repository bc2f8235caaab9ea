/** Every failure code the product names. Each maps to a reason a person can act on. */
export type VaibotErrorCode =
  | 'state_corrupt'
  | 'state_unreadable'
  | 'state_unwritable'
  | 'lock_timeout'
  | 'config_invalid'
  | 'policy_invalid'
  | 'input_invalid'
  | 'input_too_large'
  | 'unknown_event'
  | 'store_failed'
  | 'remote_unavailable'
  | 'deadline_exceeded'
  | 'not_found'
  | 'internal';

/** The base error: a stable `code`, a message for humans, and the underlying `cause`. */
export class VaibotError extends Error {
  override readonly name = 'VaibotError';
  constructor(
    readonly code: VaibotErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Type guard for {@link VaibotError}, optionally of one code. */
export function isVaibotError(err: unknown, code?: VaibotErrorCode): err is VaibotError {
  return err instanceof VaibotError && (code === undefined || err.code === code);
}
