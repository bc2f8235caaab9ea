// C2SP signed-note verifier keys for Ed25519: `<name>+<hex key ID>+<base64(0x01 || pubkey)>`.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { decodeBase64Canonical, encodeBase64 } from './base64.js';
import { ReceiptError } from './receiptError.js';
import { isWellFormedText } from './strictJson.js';

/** The signed-note signature type byte of Ed25519. */
export const ED25519_KEY_TYPE = 0x01;

/** A parsed verifier key: who signs (name, key ID) and the Ed25519 public key. */
export interface VerifierKey {
  name: string;
  /** 4 bytes: SHA-256(name || 0x0A || 0x01 || publicKey)[0:4]. */
  keyId: Uint8Array;
  /** Raw 32-byte Ed25519 public key (RFC 8032 encoding). */
  publicKey: Uint8Array;
  /** The verifier key string. */
  text: string;
}

/**
 * Whether a key name is valid for signed notes: non-empty, no Unicode white space, no `+`,
 * no control characters (general category Cc).
 */
export function isValidKeyName(name: string): boolean {
  return name !== '' && isWellFormedText(name) && !/[\p{White_Space}\p{Cc}+]/u.test(name);
}

/** The signed-note key ID of an Ed25519 key: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || publicKey). */
export function keyIdOf(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const buf = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  buf.set(nameBytes, 0);
  buf[nameBytes.length] = 0x0a;
  buf[nameBytes.length + 1] = ED25519_KEY_TYPE;
  buf.set(publicKey, nameBytes.length + 2);
  return sha256(buf).slice(0, 4);
}

/** The verifier key string for an Ed25519 public key under `name`. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new ReceiptError('key_invalid', `invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new ReceiptError('key_invalid', 'an Ed25519 public key is 32 bytes');
  const typed = new Uint8Array(33);
  typed[0] = ED25519_KEY_TYPE;
  typed.set(publicKey, 1);
  return `${name}+${bytesToHex(keyIdOf(name, publicKey))}+${encodeBase64(typed)}`;
}

/** Parse and check a verifier key string; throws `key_invalid` naming the problem. */
export function parseVerifierKey(text: string): VerifierKey {
  const p1 = text.indexOf('+');
  const p2 = p1 < 0 ? -1 : text.indexOf('+', p1 + 1);
  if (p1 < 0 || p2 < 0) throw new ReceiptError('key_invalid', 'a verifier key has the form <name>+<key ID>+<base64 key>');
  const name = text.slice(0, p1);
  const idHex = text.slice(p1 + 1, p2);
  const b64 = text.slice(p2 + 1);
  if (!isValidKeyName(name)) throw new ReceiptError('key_invalid', `invalid key name ${JSON.stringify(name)} (empty, white space, + or a control character)`);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw new ReceiptError('key_invalid', `the key ID must be 8 hex digits, got ${JSON.stringify(idHex)}`);
  const raw = decodeBase64Canonical(b64);
  if (!raw) throw new ReceiptError('key_invalid', 'the key is not canonical standard padded base64');
  if (raw.length !== 33) throw new ReceiptError('key_invalid', `the key must decode to 33 bytes (0x01 and an Ed25519 key), got ${raw.length}`);
  if (raw[0] !== ED25519_KEY_TYPE) throw new ReceiptError('key_invalid', `unsupported key type 0x${(raw[0] as number).toString(16).padStart(2, '0')} (only Ed25519, 0x01)`);
  const publicKey = raw.slice(1);
  const keyId = keyIdOf(name, publicKey);
  if (bytesToHex(keyId) !== idHex.toLowerCase()) {
    throw new ReceiptError('key_invalid', `the key ID ${idHex} does not match the key (expected ${bytesToHex(keyId)})`);
  }
  return { name, keyId, publicKey, text };
}
