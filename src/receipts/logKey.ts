// The log's Ed25519 key: a dedicated key (not the install's identity key), so the log can be
// verified, published and one day rotated on its own. PKCS#8 PEM, 0600, created at first use.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { ensureIdentity } from '../identity/identity.js';
import { withFileLock } from '../state/fileLock.js';
import { writeFileAtomic, ensurePrivateDir } from '../state/secureFs.js';
import { ReceiptError } from './receiptError.js';
import type { NoteSigner } from './signedNote.js';
import { formatVerifierKey, isValidKeyName, keyIdOf } from './verifierKey.js';

/** The log key: its name (also every checkpoint's origin), public key, verifier key string and signer. */
export interface LogKey {
  name: string;
  publicKey: Uint8Array;
  /** `<name>+<key ID>+<base64(0x01 || pubkey)>`: what `vaibot log public-key` prints. */
  verifierKey: string;
  signer: NoteSigner;
}

const infoSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  publicKey: z.string(),
  createdAt: z.string(),
});

/** Where the log's private key lives (PKCS#8 PEM, 0600). */
export function logKeyFile(home: string): string {
  return join(home, 'keys', 'log-ed25519.pem');
}

/** Where the log key's name and public key are recorded. */
export function logKeyInfoFile(home: string): string {
  return join(home, 'keys', 'log-key.json');
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

function load(home: string): LogKey | null {
  let infoText: string;
  try {
    infoText = readFileSync(logKeyInfoFile(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ReceiptError('key_unavailable', `cannot read ${logKeyInfoFile(home)}: ${(err as Error).message}`, { cause: err });
  }
  let info: z.infer<typeof infoSchema>;
  let privateKey: KeyObject;
  try {
    info = infoSchema.parse(JSON.parse(infoText));
    privateKey = createPrivateKey(readFileSync(logKeyFile(home), 'utf8'));
  } catch (err) {
    throw new ReceiptError('key_unavailable', `the log key in ${join(home, 'keys')} is unreadable (${(err as Error).message}); restore it from backup`, { cause: err });
  }
  const publicKey = rawPublicKey(privateKey);
  if (Buffer.from(publicKey).toString('base64') !== info.publicKey || !isValidKeyName(info.name)) {
    throw new ReceiptError('key_unavailable', `${logKeyFile(home)} does not match ${logKeyInfoFile(home)}; restore both from backup`);
  }
  const keyId = keyIdOf(info.name, publicKey);
  return {
    name: info.name,
    publicKey,
    verifierKey: formatVerifierKey(info.name, publicKey),
    signer: { name: info.name, keyId, sign: (message) => new Uint8Array(sign(null, message, privateKey)) },
  };
}

/** The log key, or null if this install has none yet. Throws `key_unavailable` if it is damaged. */
export function readLogKey(home: string): LogKey | null {
  return load(home);
}

/**
 * The log key, created on first use: Ed25519, named `vaibot-codex/<install id>` (the install's
 * identity is created too if needed). Safe when several processes start at once.
 */
export function ensureLogKey(home: string, now: Date = new Date()): { key: LogKey; created: boolean } {
  const existing = load(home);
  if (existing) return { key: existing, created: false };
  const { identity } = ensureIdentity(home, now);
  ensurePrivateDir(join(home, 'keys'));
  return withFileLock(logKeyInfoFile(home), () => {
    const again = load(home);
    if (again) return { key: again, created: false };
    const { privateKey } = generateKeyPairSync('ed25519');
    const name = `vaibot-codex/${identity.installId}`;
    writeFileAtomic(logKeyFile(home), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const info = { version: 1, name, publicKey: Buffer.from(rawPublicKey(privateKey)).toString('base64'), createdAt: now.toISOString() };
    writeFileAtomic(logKeyInfoFile(home), `${JSON.stringify(info, null, 2)}\n`);
    const key = load(home);
    if (!key) throw new ReceiptError('key_unavailable', `the log key just written to ${logKeyFile(home)} cannot be read back`);
    return { key, created: true };
  });
}
