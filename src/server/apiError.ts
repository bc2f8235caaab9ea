/** Every error code the HTTP API answers with. */
export type ApiErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ApiErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503 | 500> = {
  bad_request: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409,
  payload_too_large: 413, rate_limited: 429, unavailable: 503, internal: 500,
};

/** An error the API reports as `{ok:false, error:{code, message, field?}}` with the code's HTTP status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503 | 500;
  constructor(readonly code: ApiErrorCode, message: string, readonly field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = STATUS[code];
  }

  /** The JSON body. */
  toJSON(): { ok: false; error: { code: ApiErrorCode; message: string; field?: string } } {
    return { ok: false, error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** Type guard for {@link ApiError}. */
export function isApiError(err: unknown, code?: ApiErrorCode): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}
