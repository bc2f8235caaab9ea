import { ofetch, type FetchOptions } from 'ofetch';
import type { z } from 'zod';

/** How a call to the governance API ended. Only `network`, `timeout`, `server` and `unparseable` are transient. */
export type ApiFailureKind = 'network' | 'timeout' | 'server' | 'unparseable' | 'client';

/** The result of one call (a single attempt, never retried here). */
export type ApiOutcome<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; kind: ApiFailureKind; transient: boolean; status: number | null; message: string; body: unknown; at: number };

/** One request to the governance API. */
export interface ApiRequest<S extends z.ZodType> {
  baseUrl: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  key?: string;
  body?: unknown;
  timeoutMs: number;
  /** The shape a 2xx body must have; anything else is `unparseable` (transient). */
  schema: S;
  now: () => number;
}

function errorMessage(body: unknown, fallback: string): string {
  const m = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof m === 'string' ? m : fallback;
}

/**
 * Call the API once with ofetch (no retries) and classify the result: network error, timeout (`at`
 * is when the timeout fired), 5xx and unparseable 2xx bodies are transient; 4xx never is.
 */
export async function apiCall<S extends z.ZodType>(r: ApiRequest<S>): Promise<ApiOutcome<z.infer<S>>> {
  const opts: FetchOptions<'text'> = {
    method: r.method,
    retry: 0,
    timeout: r.timeoutMs,
    responseType: 'text',
    ignoreResponseError: true,
    headers: {
      accept: 'application/json',
      ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(r.key ? { authorization: `Bearer ${r.key}` } : {}),
    },
    ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
  };
  const t0 = r.now();
  let status: number;
  let text: string;
  try {
    const res = await ofetch.raw(`${r.baseUrl.replace(/\/+$/, '')}${r.path}`, opts);
    status = res.status;
    text = typeof res._data === 'string' ? res._data : '';
  } catch (err) {
    const at = r.now();
    const e = err as { name?: string; cause?: { name?: string; code?: string }; message?: string };
    const timedOut = e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError' || ((e.name === 'AbortError' || e.cause?.name === 'AbortError') && at - t0 >= r.timeoutMs - 5);
    return timedOut
      ? { ok: false, kind: 'timeout', transient: true, status: null, message: `no answer within ${r.timeoutMs} ms`, body: null, at }
      : { ok: false, kind: 'network', transient: true, status: null, message: e.cause?.code ?? e.message ?? 'network error', body: null, at };
  }
  const at = r.now();
  let parsed: unknown;
  let parsedOk = true;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsedOk = false;
  }
  if (status >= 500) return { ok: false, kind: 'server', transient: true, status, message: errorMessage(parsed, `server error ${status}`), body: parsed ?? null, at };
  if (status >= 400) return { ok: false, kind: 'client', transient: false, status, message: errorMessage(parsed, `HTTP ${status}`), body: parsed ?? null, at };
  if (!parsedOk) return { ok: false, kind: 'unparseable', transient: true, status, message: 'the server answered with a body that is not JSON', body: null, at };
  const checked = r.schema.safeParse(parsed);
  if (!checked.success) return { ok: false, kind: 'unparseable', transient: true, status, message: 'the server answered with JSON of the wrong shape', body: parsed, at };
  return { ok: true, status, body: checked.data };
}
