import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { databaseFile } from '../../src/state/paths.js';
import { openSqliteLog } from '../../src/receipts/sqliteLog.js';
import { ensureLogKey } from '../../src/receipts/logKey.js';
import { exportBundle } from '../../src/receipts/exportBundle.js';
import { verifyBundle } from '../../src/receipts/verifyBundle.js';
import { formatVerifierKey, keyIdOf } from '../../src/receipts/verifierKey.js';
import { signNote } from '../../src/receipts/signedNote.js';
import { formatCheckpoint } from '../../src/receipts/checkpoint.js';
import { parseStrictJson } from '../../src/receipts/strictJson.js';
import { tempHome } from '../helpers/tempHome.js';
import { fillLog } from './logFixture.js';
import { SPEC_BUNDLE, SPEC_NAME, SPEC_SEED } from './fixtures.js';

type Json = Record<string, unknown>;

function exported(n: number, pick: number): { text: string; vkey: string; home: string } {
  const home = tempHome();
  const receipts = fillLog(home, n);
  const { key } = ensureLogKey(home);
  const log = openSqliteLog(databaseFile(home));
  try {
    return { text: exportBundle(log, key, (receipts[pick] as { id: string }).id).text, vkey: key.verifierKey, home };
  } finally {
    log.close();
  }
}

const spec = (): Json => JSON.parse(SPEC_BUNDLE) as Json;
const fails = (bundle: Json | string, reason: RegExp, key?: string) => {
  const text = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
  expect(() => verifyBundle(text, key !== undefined ? { trustedKey: key } : {})).toThrow(reason);
};

describe('bundle export and offline verification', () => {
  it('round-trips: every receipt of a 37-receipt log exports to a bundle that verifies with the pinned key', () => {
    const home = tempHome();
    const receipts = fillLog(home, 37);
    const { key } = ensureLogKey(home);
    const log = openSqliteLog(databaseFile(home));
    try {
      for (const [i, r] of receipts.entries()) {
        const b = exportBundle(log, key, r.id);
        expect(b.entry.index).toBe(i);
        const v = verifyBundle(new TextEncoder().encode(b.text), { trustedKey: key.verifierKey });
        expect(v.summary).toMatch(new RegExp(`^ok tree_size=37 leaf_index=${i} root=[A-Za-z0-9+/]{43}=$`));
        expect(v.receipt).toEqual(JSON.parse(JSON.stringify(r)));
      }
      expect(log.checkpoints()).toHaveLength(1); // one checkpoint served all 37 exports
    } finally { log.close(); }
  });

  it('exports by content hash (the newest of several) and signs a new checkpoint only when the receipt is not yet covered', () => {
    const home = tempHome();
    const first = fillLog(home, 5);
    const { key } = ensureLogKey(home);
    const log = openSqliteLog(databaseFile(home));
    try {
      const a = exportBundle(log, key, (first[2] as { content_hash: string }).content_hash);
      expect(a.signedNow).toBe(true);
      expect(a.bundle.tree_size).toBe(5);
      fillLog(home, 3, 100);
      const b = exportBundle(log, key, (first[1] as { id: string }).id);
      expect(b.signedNow).toBe(false); // checkpoint 5 still covers leaf 1
      expect(b.bundle.tree_size).toBe(5);
      const newest = log.findEntries(`sha256:${(100).toString(16).padStart(64, '0')}`);
      const c = exportBundle(log, key, (100).toString(16).padStart(64, '0'));
      expect(c.entry.id).toBe(newest[0]?.id);
      expect(c.bundle.tree_size).toBe(8);
      expect(() => exportBundle(log, key, 'no-such-receipt')).toThrow(/no receipt has the id or content hash/);
    } finally { log.close(); }
  });

  it('accepts what the spec accepts: 5.0 for 5, equivalent receipt spellings, extra members, reordered members', () => {
    const text = SPEC_BUNDLE.replace('"leaf_index": 1', '"leaf_index": 1.0').replace('"score": 0.99', '"score": 99e-2').replace('"note": "café €"', '"note": "caf\\u00e9 \\u20ac"');
    expect(verifyBundle(text).summary).toBe('ok tree_size=3 leaf_index=1 root=KjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=');
    const b = spec();
    const reordered = { log_public_key: b.log_public_key, checkpoint: b.checkpoint, extra: [1, { x: null }], ...b };
    expect(verifyBundle(JSON.stringify(reordered)).leafIndex).toBe(1);
  });

  describe('rejects a tampered bundle with a precise reason', () => {
    it.each<[string, (b: Json) => unknown, RegExp]>([
      ['receipt: a value changed', (b) => { (b.receipt as Json).decision = 'allow'; }, /inclusion proof for leaf 1 of 3 leads to a different root/],
      ['receipt: a member added', (b) => { (b.receipt as Json).extra = true; }, /different root/],
      ['receipt: a member removed', (b) => { delete (b.receipt as Json).note; }, /different root/],
      ['receipt: a number changed', (b) => { ((b.receipt as Json).risk as Json).score = 0.98; }, /different root/],
      ['receipt: not an object', (b) => { b.receipt = [b.receipt]; }, /receipt must be a JSON object/],
      ['leaf_index: another leaf', (b) => { b.leaf_index = 0; }, /different root/],
      ['leaf_index: not below tree_size', (b) => { b.leaf_index = 3; }, /leaf_index 3 must be below tree_size 3/],
      ['leaf_index: negative', (b) => { b.leaf_index = -1; }, /leaf_index must be at least 0/],
      ['leaf_index: fractional', (b) => { b.leaf_index = 1.5; }, /leaf_index must be an integer/],
      ['leaf_index: a string', (b) => { b.leaf_index = '1'; }, /leaf_index must be a number, got string/],
      ['leaf_index: beyond 2^53', (b) => { b.leaf_index = 2 ** 53; }, /at most 2\^53 - 1/],
      ['tree_size: differs from the checkpoint', (b) => { b.tree_size = 4; }, /tree_size 4 differs from the checkpoint's tree size 3/],
      ['tree_size: zero', (b) => { b.tree_size = 0; }, /tree_size must be at least 1/],
      ['inclusion_proof: a hash changed', (b) => { (b.inclusion_proof as string[])[0] = 'I24syZ58BX2jhOtOk9cySh9v8Yzlv4m5RpOD8oC0kMU='; }, /different root/],
      ['inclusion_proof: reordered', (b) => { (b.inclusion_proof as string[]).reverse(); }, /different root/],
      ['inclusion_proof: a hash removed', (b) => { (b.inclusion_proof as string[]).pop(); }, /too short/],
      ['inclusion_proof: a hash added', (b) => { (b.inclusion_proof as string[]).push('H24syZ58BX2jhOtOk9cySh9v8Yzlv4m5RpOD8oC0kMU='); }, /too long/],
      ['inclusion_proof: hex', (b) => { (b.inclusion_proof as string[])[0] = '1f6e2cc99e7c057da384eb4e93d7324a1f6ff18ce5bf89b9469383f280b490c5'; }, /inclusion_proof\[0\] is 48 bytes/],
      ['inclusion_proof: base64url', (b) => { (b.inclusion_proof as string[])[1] = '6cAK0tireazvDfiWxvY5FhtW8jwznz3tOWn6lPqhwns'; }, /inclusion_proof\[1\] is not canonical/],
      ['inclusion_proof: non-zero padding bits', (b) => { (b.inclusion_proof as string[])[0] = 'H24syZ58BX2jhOtOk9cySh9v8Yzlv4m5RpOD8oC0kMV='; }, /inclusion_proof\[0\] is not canonical/],
      ['inclusion_proof: 65 entries', (b) => { b.inclusion_proof = Array(65).fill('H24syZ58BX2jhOtOk9cySh9v8Yzlv4m5RpOD8oC0kMU='); }, /at most 64/],
      ['inclusion_proof: not an array', (b) => { b.inclusion_proof = 'H24='; }, /inclusion_proof must be an array/],
      ['checkpoint: root changed', (b) => { b.checkpoint = (b.checkpoint as string).replace('KjeM', 'KjeN'); }, /does not verify/],
      ['checkpoint: size changed', (b) => { b.checkpoint = (b.checkpoint as string).replace('\n3\n', '\n4\n'); }, /does not verify/],
      ['checkpoint: signature changed', (b) => { b.checkpoint = (b.checkpoint as string).replace('NlJcS700', 'NlJcS701'); }, /does not verify/],
      ['checkpoint: key ID changed', (b) => { b.checkpoint = (b.checkpoint as string).replace('NlJcS7', 'NlJdS7'); }, /no signature by the trusted key/],
      ['checkpoint: hyphen for em dash', (b) => { b.checkpoint = (b.checkpoint as string).replace('\u2014', '-'); }, /em dash/],
      ['checkpoint: CRLF', (b) => { b.checkpoint = (b.checkpoint as string).replace(/\n/g, '\r\n'); }, /control character/],
      ['checkpoint: a trailing blank line', (b) => { b.checkpoint = `${b.checkpoint as string}\n`; }, /no signature lines/],
      ['checkpoint: not a string', (b) => { b.checkpoint = 3; }, /checkpoint must be a string/],
      ['log_public_key: another key', (b) => { b.log_public_key = formatVerifierKey(SPEC_NAME, ed25519.getPublicKey(new Uint8Array(32).fill(7))); }, /no signature by the trusted key/],
      ['log_public_key: wrong key ID', (b) => { b.log_public_key = (b.log_public_key as string).replace('36525c4b', '36525c4c'); }, /log_public_key: the key ID 36525c4c does not match/],
      ['log_public_key: missing', (b) => { delete b.log_public_key; }, /no log_public_key member/],
    ])('%s', (_what, mutate, reason) => {
      const b = spec();
      mutate(b);
      fails(b, reason);
    });

    it('origin differing from the key name, even when correctly signed', () => {
      const other = 'example.com/other-log';
      const pub = ed25519.getPublicKey(SPEC_SEED);
      const note = signNote(formatCheckpoint({ origin: other, size: 3, root: Buffer.from('KjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=', 'base64') }), {
        name: SPEC_NAME, keyId: keyIdOf(SPEC_NAME, pub), sign: (m) => ed25519.sign(m, SPEC_SEED),
      });
      const b = spec();
      b.checkpoint = note;
      fails(b, /origin "example.com\/other-log" is not the key name "example.com\/receipts-log"/);
    });

    it('a bundle that verifies on its own key but not on the pinned one', () => {
      fails(spec(), /no signature by the trusted key/, formatVerifierKey(SPEC_NAME, ed25519.getPublicKey(new Uint8Array(32).fill(9))));
      fails(spec(), /--key: a verifier key has the form/, 'not-a-key');
    });

    it('every single-character change of the checkpoint, of each proof hash and of each receipt string', () => {
      const { text, vkey } = exported(11, 6);
      const b = JSON.parse(text) as Json;
      const variants: Json[] = [];
      const cp = b.checkpoint as string;
      for (let i = 0; i < cp.length; i++) variants.push({ ...b, checkpoint: cp.slice(0, i) + (cp[i] === 'Q' ? 'R' : 'Q') + cp.slice(i + 1) });
      (b.inclusion_proof as string[]).forEach((p, j) => {
        for (let i = 0; i < p.length; i++) {
          const proof = [...(b.inclusion_proof as string[])];
          proof[j] = p.slice(0, i) + (p[i] === 'Q' ? 'R' : 'Q') + p.slice(i + 1);
          variants.push({ ...b, inclusion_proof: proof });
        }
      });
      const receipt = b.receipt as Json;
      for (const [k, v] of Object.entries(receipt)) {
        if (typeof v !== 'string') continue;
        for (let i = 0; i < v.length; i++) variants.push({ ...b, receipt: { ...receipt, [k]: v.slice(0, i) + (v[i] === 'x' ? 'y' : 'x') + v.slice(i + 1) } });
      }
      expect(variants.length).toBeGreaterThan(400);
      for (const [n, v] of variants.entries()) expect(() => verifyBundle(JSON.stringify(v), { trustedKey: vkey }), `variant ${n}`).toThrow();
      expect(verifyBundle(text, { trustedKey: vkey }).leafIndex).toBe(6);
    });
  });

  describe('reads the file as strict I-JSON', () => {
    it.each<[string, string | Uint8Array, RegExp]>([
      ['a byte order mark', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SPEC_BUNDLE)]), /byte order mark/],
      ['invalid UTF-8', new Uint8Array([...new TextEncoder().encode(SPEC_BUNDLE.slice(0, 20)), 0xc3, 0x28, ...new TextEncoder().encode(SPEC_BUNDLE.slice(20))]), /not valid UTF-8/],
      ['a duplicate member', SPEC_BUNDLE.replace('"leaf_index": 1,', '"leaf_index": 1, "leaf_index": 1,'), /duplicate member name "leaf_index"/],
      ['a duplicate member spelled with an escape', SPEC_BUNDLE.replace('"tool": "shell",', '"tool": "shell", "t\\u006fol": "shell",'), /duplicate member name "tool"/],
      ['a lone surrogate escape', SPEC_BUNDLE.replace('"note": "café €"', '"note": "\\ud800"'), /lone surrogate/],
      ['a number beyond doubles', SPEC_BUNDLE.replace('"score": 0.99', '"score": 1e400'), /not a finite IEEE-754 double/],
      ['a trailing comma', SPEC_BUNDLE.replace('"r-0002",', '"r-0002",,'), /expected a member name/],
      ['a comment', `// hi\n${SPEC_BUNDLE}`, /unexpected character/],
      ['a top-level array', `[${SPEC_BUNDLE}]`, /must be a JSON object/],
      ['a leading zero', SPEC_BUNDLE.replace('"tree_size": 3', '"tree_size": 03'), /expected , or }/],
      ['nesting beyond 500 levels', SPEC_BUNDLE.replace('"note": "café €"', `"note": ${'['.repeat(500)}${']'.repeat(500)}`), /nesting deeper than 500/],
    ])('%s', (_what, input, reason) => {
      expect(() => verifyBundle(input)).toThrow(reason);
    });

    it('allows nesting of exactly 500 levels and keeps __proto__ an ordinary member', () => {
      expect(() => parseStrictJson(`${'['.repeat(500)}${']'.repeat(500)}`)).not.toThrow();
      const v = parseStrictJson('{"__proto__": {"a": 1}}') as Json;
      expect(Object.keys(v)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(v)).toBeNull();
    });
  });
});
