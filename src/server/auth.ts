import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { KeyRecord, ServerStore } from '../serverStore/serverStore.js';
import { ApiError } from './apiError.js';
import { hashSecret } from './secrets.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'vaibot_session';

/** Who is calling. Agents decide and read; approvers (humans) also approve and deny. */
export type Principal =
  | { kind: 'agent'; accountId: string; installId: string | null; hint: string }
  | {
      kind: 'approver';
      /** Null: an operator, every account. */
      accountIds: string[] | null;
      id: string;
      name: string;
      via: 'api' | 'dashboard';
      /** The session's CSRF token (dashboard sessions only). */
      csrf: string | null;
      sessionHash: string | null;
    };

/** Resolves bearer keys and session cookies to principals (keys cached briefly in memory). */
export interface Authenticator {
  principal(c: Context): Promise<Principal | null>;
  /** Forget cached keys (after a revocation). */
  clear(): void;
}

/** The account ids a principal may read (null = every account). */
export function readableAccounts(p: Principal): string[] | null {
  return p.kind === 'agent' ? [p.accountId] : p.accountIds;
}

/** Create the authenticator over the store. */
export function authenticator(store: ServerStore, now: () => number, cacheMs = 10_000): Authenticator {
  const cache = new Map<string, { rec: KeyRecord | null; until: number }>();
  async function keyRecord(hash: string): Promise<KeyRecord | null> {
    const t = now();
    const hit = cache.get(hash);
    if (hit && hit.until > t) return hit.rec;
    const rec = await store.key(hash);
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { rec, until: t + cacheMs });
    return rec;
  }
  return {
    clear: () => cache.clear(),
    async principal(c) {
      const header = c.req.header('authorization');
      if (header !== undefined) {
        const m = /^Bearer\s+(\S{16,512})\s*$/i.exec(header);
        if (!m) throw new ApiError('unauthorized', 'Authorization must be "Bearer <key>"');
        const rec = await keyRecord(hashSecret(m[1] as string));
        if (!rec) throw new ApiError('unauthorized', 'unknown or revoked key');
        if (rec.kind === 'agent') {
          if (rec.accountId === null) throw new ApiError('unauthorized', 'agent key without an account');
          return { kind: 'agent', accountId: rec.accountId, installId: rec.installId, hint: rec.hint };
        }
        return { kind: 'approver', accountIds: rec.accountId === null ? null : [rec.accountId], id: rec.keyHash.slice(0, 12), name: rec.label, via: 'api', csrf: null, sessionHash: null };
      }
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie === undefined || cookie.length < 16 || cookie.length > 200) return null;
      const sessionHash = hashSecret(cookie);
      const s = await store.session(sessionHash, now());
      if (!s) return null;
      const a = await store.approver(s.approverId);
      if (!a) return null;
      return { kind: 'approver', accountIds: a.accountId === null ? null : [a.accountId], id: a.id, name: a.name, via: 'dashboard', csrf: s.csrf, sessionHash };
    },
  };
}
