import { VaibotError } from '../util/vaibotError.js';

/** A database failure as the `store_failed` error callers see (a VaibotError passes through as it is). */
export function storeError(what: string, err: unknown): VaibotError {
  if (err instanceof VaibotError) return err;
  return new VaibotError('store_failed', `${what} failed: ${(err as Error).message}`, { cause: err });
}

/** Errors raised by the database driver (not by our own code running inside a transaction). */
export function isDbError(err: unknown): boolean {
  if (err instanceof VaibotError) return err.code === 'store_failed';
  const e = err as { code?: unknown; name?: string };
  if (e?.name === 'ApiError') return false;
  return typeof e?.code === 'string' || e?.name === 'SqliteError' || e?.name === 'DatabaseError';
}
