// C2SP signed notes (c2sp.org/signed-note), Ed25519 only: signing, parsing, and opening against a trusted key.
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { decodeBase64Canonical, encodeBase64 } from './base64.js';
import { ReceiptError } from './receiptError.js';
import { isValidKeyName, type VerifierKey } from './verifierKey.js';
import { isWellFormedText } from './strictJson.js';

/** U+2014 EM DASH and a space: the start of every signature line. */
export const SIGNATURE_PREFIX = '\u2014 ';

/** At most this many signature lines in one note. */
export const MAX_SIGNATURES = 100;

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  /** The signature bytes after the 4-byte key ID. */
  signature: Uint8Array;
}

/** A note split into its text (body) and signature lines, before any signature is checked. */
export interface ParsedNote {
  /** The signed text, ending with its final newline. */
  body: string;
  signatures: NoteSignature[];
}

/** Something that signs note bodies with an Ed25519 key under a name. */
export interface NoteSigner {
  name: string;
  keyId: Uint8Array;
  /** Ed25519 signature (64 bytes) over the message bytes. */
  sign(message: Uint8Array): Uint8Array;
}

function malformed(reason: string): never {
  throw new ReceiptError('note_malformed', `signed note: ${reason}`);
}

/** Split a note into body and signature lines, checking the signed-note grammar; throws `note_malformed`. */
export function parseNote(text: string): ParsedNote {
  if (!isWellFormedText(text)) malformed('not valid UTF-8');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) malformed(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} at offset ${i}`);
  }
  const split = text.lastIndexOf('\n\n');
  if (split < 0) malformed('no blank line between the text and the signatures');
  const body = text.slice(0, split + 1);
  const sigText = text.slice(split + 2);
  if (sigText === '') malformed('no signature lines after the blank line (or text after the last signature line)');
  if (!sigText.endsWith('\n')) malformed('the last signature line does not end with a newline');
  const lines = sigText.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) malformed(`more than ${MAX_SIGNATURES} signature lines`);
  const signatures = lines.map((line, n) => {
    if (!line.startsWith(SIGNATURE_PREFIX)) malformed(`signature line ${n + 1} does not start with an em dash (U+2014) and a space`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const sp = rest.indexOf(' ');
    if (sp < 0) malformed(`signature line ${n + 1} has no space between key name and signature`);
    const name = rest.slice(0, sp);
    const b64 = rest.slice(sp + 1);
    if (!isValidKeyName(name)) malformed(`signature line ${n + 1} has an invalid key name ${JSON.stringify(name)}`);
    const blob = decodeBase64Canonical(b64);
    if (!blob) malformed(`signature line ${n + 1}: the signature is not canonical standard padded base64`);
    if (blob.length < 5) malformed(`signature line ${n + 1}: the signature blob is shorter than 5 bytes`);
    return { name, keyId: blob.slice(0, 4), signature: blob.slice(4) };
  });
  return { body, signatures };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Open a note against a trusted key: every line well formed, every line by that key (same name and
 * key ID) a valid Ed25519 signature over the body, and at least one such line. Lines by other keys
 * are ignored. Returns the body; throws `note_malformed` or `signature_invalid`.
 */
export function openNote(text: string, key: VerifierKey): { body: string; signatures: NoteSignature[] } {
  const note = parseNote(text);
  const message = new TextEncoder().encode(note.body);
  let trusted = 0;
  for (const [n, sig] of note.signatures.entries()) {
    if (sig.name !== key.name || !sameBytes(sig.keyId, key.keyId)) continue;
    trusted++;
    let ok = false;
    if (sig.signature.length === 64) {
      try {
        // zip215: false = RFC 8032 (canonical encodings), the rule Node's crypto (OpenSSL) applies.
        ok = ed25519.verify(sig.signature, message, key.publicKey, { zip215: false });
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      throw new ReceiptError('signature_invalid', `signature line ${n + 1} by ${key.name} (key ID ${bytesToHex(key.keyId)}) does not verify over the checkpoint body`);
    }
  }
  if (trusted === 0) {
    throw new ReceiptError('signature_invalid', `no signature by the trusted key ${key.name} (key ID ${bytesToHex(key.keyId)})`);
  }
  return note;
}

/** Sign a note body (which must end with a newline) and return the complete note. */
export function signNote(body: string, signer: NoteSigner): string {
  if (!body.endsWith('\n') || body.includes('\n\n') || body === '\n') throw new ReceiptError('note_malformed', 'a note body is non-empty lines, each ending with a newline');
  const sig = signer.sign(new TextEncoder().encode(body));
  const blob = new Uint8Array(4 + sig.length);
  blob.set(signer.keyId, 0);
  blob.set(sig, 4);
  return `${body}\n${SIGNATURE_PREFIX}${signer.name} ${encodeBase64(blob)}\n`;
}
