import type { Context } from 'hono';
import { ApiError } from './apiError.js';

/**
 * Refuse a browser request sent from another site: its `Origin` must name this server's host.
 * No `Origin` is a non-browser client (which still needs the session and its CSRF token); `null`
 * comes from sandboxed frames, data: and file: pages, never from our own pages, so it is refused.
 * Used for every state change a dashboard session makes, form posts and API calls alike.
 */
export function refuseCrossSite(c: Context): void {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  const host = c.req.header('host');
  let ok = false;
  try {
    ok = new URL(origin).host === host;
  } catch {
    ok = false;
  }
  if (!ok) throw new ApiError('forbidden', 'cross-site requests are refused');
}
