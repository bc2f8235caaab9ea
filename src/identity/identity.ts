import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { writeFileAtomic, ensurePrivateDir } from '../state/secureFs.js';
import { withFileLock } from '../state/fileLock.js';
import { VaibotError } from '../util/vaibotError.js';

/** The local identity of this install: a random install id and the Ed25519 signing key's public half. */
export interface Identity {
  installId: string;
  createdAt: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
}

const identitySchema = z.object({
  version: z.literal(1),
  installId: z.string().check(z.minLength(8)),
  createdAt: z.string(),
  publicKey: z.string(),
});

/** Where the identity record lives. */
export function identityFile(home: string): string {
  return join(home, 'identity.json');
}

/** Where the Ed25519 signing key (PKCS#8 PEM, 0600) lives. */
export function signingKeyFile(home: string): string {
  return join(home, 'keys', 'signing-ed25519.pem');
}

/** Read the identity, or null if this install has none yet. Throws `state_corrupt` on a bad file. */
export function readIdentity(home: string): Identity | null {
  let text: string;
  try {
    text = readFileSync(identityFile(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VaibotError('state_unreadable', `cannot read ${identityFile(home)}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const parsed = identitySchema.parse(JSON.parse(text));
    return { installId: parsed.installId, createdAt: parsed.createdAt, publicKey: parsed.publicKey };
  } catch (err) {
    throw new VaibotError('state_corrupt', `${identityFile(home)} is invalid; restore it from backup or remove it together with ${signingKeyFile(home)} to start a new identity`, { cause: err });
  }
}

/**
 * Return this install's identity, creating it on first run (random install id, Ed25519 key pair,
 * 0600 files in 0700 dirs). Safe when several hook processes start at once.
 */
export function ensureIdentity(home: string, now: Date = new Date()): { identity: Identity; created: boolean } {
  const existing = readIdentity(home);
  if (existing) return { identity: existing, created: false };
  ensurePrivateDir(home);
  return withFileLock(identityFile(home), () => {
    const again = readIdentity(home);
    if (again) return { identity: again, created: false };
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const raw = spki.subarray(spki.length - 32);
    ensurePrivateDir(join(home, 'keys'));
    writeFileAtomic(signingKeyFile(home), pem);
    const identity: Identity = { installId: randomUUID(), createdAt: now.toISOString(), publicKey: raw.toString('base64') };
    writeFileAtomic(identityFile(home), `${JSON.stringify({ version: 1, ...identity }, null, 2)}\n`);
    return { identity, created: true };
  });
}
