import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, writeFileAtomic } from '../state/secureFs.js';
import { VaibotError } from '../util/vaibotError.js';

/** The credentials file shared by every VAIBot plugin on the machine: `<VAIBOT_HOME>/credentials.json` (0600). */
export function credentialsFile(home: string): string {
  return join(home, 'credentials.json');
}

const entry = z.object({ api_key: z.string().min(8), user_id: z.string().optional(), api_url: z.string().optional() });
const fileSchema = entry.partial().extend({
  /** Keys per server URL (ours): lets one machine talk to the hosted API and a team server. */
  servers: z.record(z.string(), entry).optional(),
}).passthrough();

/** One server's credentials. */
export interface Credentials {
  apiKey: string;
  userId: string | null;
}

function readFile(home: string): z.infer<typeof fileSchema> | null {
  let text: string;
  try {
    text = readFileSync(credentialsFile(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VaibotError('state_unreadable', `cannot read ${credentialsFile(home)}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return fileSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new VaibotError('state_corrupt', `${credentialsFile(home)} is not valid credentials JSON; fix it or set VAIBOT_API_KEY`, { cause: err });
  }
}

/**
 * The key for `apiUrl`: the per-server entry, else the top-level (seed) key when the file names no
 * URL or the same URL. Null when there is none.
 */
export function readCredentials(home: string, apiUrl: string): Credentials | null {
  const f = readFile(home);
  if (!f) return null;
  const url = apiUrl.replace(/\/+$/, '');
  const s = f.servers?.[url];
  if (s) return { apiKey: s.api_key, userId: s.user_id ?? null };
  if (f.api_key && (f.api_url === undefined || f.api_url.replace(/\/+$/, '') === url)) return { apiKey: f.api_key, userId: f.user_id ?? null };
  return null;
}

/** Save a server's key (0600, atomically), keeping every other field; the first key also goes top-level for the seed's plugins. */
export function saveCredentials(home: string, apiUrl: string, c: Credentials): void {
  const url = apiUrl.replace(/\/+$/, '');
  const f = readFile(home) ?? {};
  const next: Record<string, unknown> = { ...f, servers: { ...(f.servers ?? {}), [url]: { api_key: c.apiKey, ...(c.userId ? { user_id: c.userId } : {}), api_url: url } } };
  if (!f.api_key) Object.assign(next, { api_key: c.apiKey, api_url: url, ...(c.userId ? { user_id: c.userId } : {}) });
  ensurePrivateDir(home);
  writeFileAtomic(credentialsFile(home), `${JSON.stringify(next, null, 2)}\n`);
}
