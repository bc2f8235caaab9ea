import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync, verify as nodeVerify, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { ed25519 } from '@noble/curves/ed25519.js';
import { formatCheckpoint, parseCheckpoint } from '../../src/receipts/checkpoint.js';
import { openNote, parseNote, signNote, type NoteSigner } from '../../src/receipts/signedNote.js';
import { formatVerifierKey, keyIdOf, parseVerifierKey } from '../../src/receipts/verifierKey.js';
import { EMPTY_ROOT } from '../../src/receipts/merkle.js';
import { ensureLogKey, readLogKey, logKeyFile } from '../../src/receipts/logKey.js';
import { tempHome } from '../helpers/tempHome.js';
import { statSync } from 'node:fs';

function noteSigner(name: string, seed: Uint8Array): NoteSigner {
  const pub = ed25519.getPublicKey(seed);
  return { name, keyId: keyIdOf(name, pub), sign: (m) => ed25519.sign(m, seed) };
}

const seedA = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);
const seedB = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
const NAME = 'vaibot-codex/test-log';
const ROOT = createHash('sha256').update('some root').digest();

/**
 * An independent reading of C2SP signed-note + tlog-checkpoint, with node:crypto only:
 * returns [origin, size, rootBase64] or throws.
 */
function independentVerify(note: string, vkey: string): [string, string, string] {
  const [name, hexId, b64] = [vkey.slice(0, vkey.indexOf('+')), vkey.split('+')[1] as string, vkey.slice(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1)];
  const raw = Buffer.from(b64, 'base64');
  if (raw[0] !== 1 || raw.length !== 33) throw new Error('not an Ed25519 verifier key');
  const pub = raw.subarray(1);
  const id = createHash('sha256').update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), pub])).digest().subarray(0, 4);
  if (id.toString('hex') !== hexId) throw new Error('key id mismatch');
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]), format: 'der', type: 'spki' });
  const sep = note.lastIndexOf('\n\n');
  const body = note.slice(0, sep + 1);
  const sigLines = note.slice(sep + 2).split('\n');
  if (sigLines.pop() !== '') throw new Error('note does not end with a newline');
  let good = 0;
  for (const line of sigLines) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) throw new Error(`bad signature line ${line}`);
    const blob = Buffer.from(m[2] as string, 'base64');
    if (m[1] === name && blob.subarray(0, 4).equals(id)) {
      if (!nodeVerify(null, Buffer.from(body, 'utf8'), key, blob.subarray(4))) throw new Error('bad signature');
      good++;
    }
  }
  if (good === 0) throw new Error('no signature by the key');
  const lines = body.split('\n');
  return [lines[0] as string, lines[1] as string, lines[2] as string];
}

describe('checkpoints as C2SP signed notes', () => {
  it('formats the body as origin, size, base64 root, each line ending in a newline', () => {
    expect(formatCheckpoint({ origin: NAME, size: 42, root: ROOT })).toBe(`${NAME}\n42\n${ROOT.toString('base64')}\n`);
    expect(parseCheckpoint(`${NAME}\n42\n${ROOT.toString('base64')}\n`)).toEqual({ origin: NAME, size: 42n, root: new Uint8Array(ROOT), extensions: [] });
    expect(parseCheckpoint(`${NAME}\n42\n${ROOT.toString('base64')}\nextension line\n`).extensions).toEqual(['extension line']);
    expect(parseCheckpoint(`${NAME}\n0\n${Buffer.from(EMPTY_ROOT).toString('base64')}\n`).size).toBe(0n);
  });

  it.each([
    ['two lines only', `${NAME}\n42\n`, /at least 3/],
    ['an empty body line', `${NAME}\n\n42\n${ROOT.toString('base64')}\n`, /line 2 is empty/],
    ['a leading zero in the size', `${NAME}\n042\n${ROOT.toString('base64')}\n`, /leading zeros/],
    ['a signed size', `${NAME}\n+42\n${ROOT.toString('base64')}\n`, /without sign/],
    ['a size of 2^64', `${NAME}\n18446744073709551616\n${ROOT.toString('base64')}\n`, /2\^64/],
    ['a hex root', `${NAME}\n42\n${ROOT.toString('hex')}\n`, /48 bytes, not 32/],
    ['a base64url root', `${NAME}\n42\n${ROOT.toString('base64url')}\n`, /base64/],
    ['a short root', `${NAME}\n42\n${ROOT.subarray(0, 31).toString('base64')}\n`, /31 bytes/],
    ['an empty tree with another root', `${NAME}\n0\n${ROOT.toString('base64')}\n`, /empty tree/],
    ['no final newline', `${NAME}\n42\n${ROOT.toString('base64')}`, /newline/],
  ])('rejects a body with %s', (_what, body, reason) => {
    expect(() => parseCheckpoint(body)).toThrow(reason);
  });

  it('signs exactly the body bytes with a key-ID-prefixed Ed25519 blob, and an independent reading of the spec verifies it', () => {
    const s = noteSigner(NAME, seedA);
    const pub = ed25519.getPublicKey(seedA);
    const vkey = formatVerifierKey(NAME, pub);
    const body = formatCheckpoint({ origin: NAME, size: 7, root: ROOT });
    const note = signNote(body, s);
    expect(note.startsWith(`${body}\n\u2014 ${NAME} `)).toBe(true);
    expect(note.endsWith('\n')).toBe(true);
    expect(independentVerify(note, vkey)).toEqual([NAME, '7', ROOT.toString('base64')]);
    expect(openNote(note, parseVerifierKey(vkey)).body).toBe(body);
    const blob = Buffer.from(note.slice(note.lastIndexOf(' ') + 1, -1), 'base64');
    expect(blob.length).toBe(68);
    expect(blob.subarray(0, 4)).toEqual(Buffer.from(keyIdOf(NAME, pub)));
  });

  it('is accepted by an independent implementation (@sigstore/verify verifyCheckpoint) and rejected by it when altered', () => {
    const require = createRequire(import.meta.url);
    const { verifyCheckpoint } = require('@sigstore/verify/dist/tlog/checkpoint.js') as {
      verifyCheckpoint: (entry: unknown, tlogs: unknown[]) => { origin: string; logSize: bigint; logHash: Buffer };
    };
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }).subarray(-32));
    const keyId = keyIdOf(NAME, raw);
    const signer: NoteSigner = { name: NAME, keyId, sign: (m) => new Uint8Array(require('node:crypto').sign(null, m, privateKey)) };
    const note = signNote(formatCheckpoint({ origin: NAME, size: 1234, root: ROOT }), signer);
    const tlogs = [{ logID: Buffer.concat([Buffer.from(keyId), Buffer.alloc(28)]), baseURL: `https://${NAME}`, publicKey }];
    const cp = verifyCheckpoint({ inclusionProof: { checkpoint: { envelope: note } } }, tlogs);
    expect(cp.origin).toBe(NAME);
    expect(cp.logSize).toBe(1234n);
    expect(Buffer.from(cp.logHash)).toEqual(ROOT);
    const altered = note.replace('\n1234\n', '\n1235\n');
    expect(() => verifyCheckpoint({ inclusionProof: { checkpoint: { envelope: altered } } }, tlogs)).toThrow(/signature/);
  });

  it('accepts cosignatures by other keys, rejects a bad signature by the trusted key even beside a good one', () => {
    const a = noteSigner(NAME, seedA);
    const b = noteSigner('witness.example/w1', seedB);
    const key = parseVerifierKey(formatVerifierKey(NAME, ed25519.getPublicKey(seedA)));
    const body = formatCheckpoint({ origin: NAME, size: 3, root: ROOT });
    const note = signNote(body, a);
    const witnessLine = signNote(body, b).slice(body.length + 1);
    expect(openNote(note + witnessLine, key).body).toBe(body);
    expect(openNote(body + '\n' + witnessLine + note.slice(body.length + 1), key).body).toBe(body);
    // only a witness signature: no signature by the trusted key
    expect(() => openNote(body + '\n' + witnessLine, key)).toThrow(/no signature by the trusted key/);
    // a second line by the trusted key with a broken signature
    const good = note.slice(body.length + 1);
    const blob = Buffer.from(good.slice(good.lastIndexOf(' ') + 1, -1), 'base64');
    blob[10] = (blob[10] as number) ^ 1;
    const badLine = `\u2014 ${NAME} ${blob.toString('base64')}\n`;
    expect(() => openNote(note + badLine, key)).toThrow(/signature line 2 .* does not verify/);
    // same name, other key ID: another key, ignored
    const otherId = Buffer.from(blob);
    otherId[0] = (otherId[0] as number) ^ 0xff;
    expect(openNote(note + `\u2014 ${NAME} ${otherId.toString('base64')}\n`, key).body).toBe(body);
  });

  it.each([
    ['a hyphen instead of the em dash', (n: string) => n.replace('\u2014 ', '- '), /em dash/],
    ['an en dash instead of the em dash', (n: string) => n.replace('\u2014 ', '\u2013 '), /em dash/],
    ['CRLF line endings', (n: string) => n.replace(/\n/g, '\r\n'), /control character/],
    ['a tab', (n: string) => n.replace(`${NAME}\n`, `${NAME}\t\n`), /control character/],
    ['an extra blank line at the end', (n: string) => `${n}\n`, /no signature lines/],
    ['no final newline', (n: string) => n.slice(0, -1), /does not end with a newline/],
    ['no blank line before the signatures', (n: string) => n.replace('\n\n', '\n'), /no blank line/],
    ['a blob without the key ID', (n: string) => n.replace(/ (\S+)\n$/, (_m, b64: string) => ` ${Buffer.from(b64, 'base64').subarray(4).toString('base64')}\n`), /does not verify|no signature/],
    ['an unpadded blob', (n: string) => n.replace(/ (\S+)\n$/, (_m, b64: string) => ` ${b64.replace(/=+$/, '')}\n`), /base64/],
    ['a body signed without its final newline', (_n: string) => {
      const s = noteSigner(NAME, seedA);
      const body = formatCheckpoint({ origin: NAME, size: 3, root: ROOT });
      const sig = Buffer.concat([Buffer.from(s.keyId), Buffer.from(s.sign(new TextEncoder().encode(body.slice(0, -1))))]);
      return `${body}\n\u2014 ${NAME} ${sig.toString('base64')}\n`;
    }, /does not verify/],
    ['a key name with a space', (n: string) => n.replace(`\u2014 ${NAME} `, `\u2014 a b `), /invalid key name|base64/],
  ])('rejects a note with %s', (_what, mutate, reason) => {
    const key = parseVerifierKey(formatVerifierKey(NAME, ed25519.getPublicKey(seedA)));
    const note = signNote(formatCheckpoint({ origin: NAME, size: 3, root: ROOT }), noteSigner(NAME, seedA));
    expect(() => openNote(mutate(note), key)).toThrow(reason);
  });

  it('rejects every single-character change of a signed note', () => {
    const key = parseVerifierKey(formatVerifierKey(NAME, ed25519.getPublicKey(seedA)));
    const note = signNote(formatCheckpoint({ origin: NAME, size: 3, root: ROOT }), noteSigner(NAME, seedA));
    let rejected = 0;
    for (let i = 0; i < note.length; i++) {
      const c = note[i] === 'A' ? 'B' : 'A';
      const changed = note.slice(0, i) + c + note.slice(i + 1);
      expect(() => openNote(changed, key), `change at ${i}`).toThrow();
      rejected++;
    }
    expect(rejected).toBe(note.length);
  });

  it.each([
    ['no plus signs', 'abc', /form/],
    ['a short key ID', `${NAME}+36525c4+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4`, /8 hex digits/],
    ['a wrong key ID', `${NAME}+00000000+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4`, /does not match/],
    ['another key type', `${NAME}+36525c4b+AgOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4`, /key type 0x02/],
    ['a short key', `${NAME}+36525c4b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVQ==`, /33 bytes/],
    ['a name with white space', 'a b+36525c4b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4', /key name/],
    ['an empty name', '+36525c4b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4', /key name/],
  ])('rejects a verifier key with %s', (_what, text, reason) => {
    expect(() => parseVerifierKey(text)).toThrow(reason);
  });

  it('creates one dedicated 0600 log key per install, named after the install', () => {
    const home = tempHome();
    expect(readLogKey(home)).toBeNull();
    const first = ensureLogKey(home);
    expect(first.created).toBe(true);
    expect(first.key.name).toMatch(/^vaibot-codex\/[0-9a-f-]{36}$/);
    expect(statSync(logKeyFile(home)).mode & 0o777).toBe(0o600);
    const again = ensureLogKey(home);
    expect(again.created).toBe(false);
    expect(again.key.verifierKey).toBe(first.key.verifierKey);
    const parsed = parseVerifierKey(first.key.verifierKey);
    const note = signNote(formatCheckpoint({ origin: parsed.name, size: 1, root: ROOT }), first.key.signer);
    expect(independentVerify(note, first.key.verifierKey)[0]).toBe(parsed.name);
    expect(parseNote(note).signatures).toHaveLength(1);
  });
});
