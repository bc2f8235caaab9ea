import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalJson, canonicalJsonOfParsed } from '../../src/receipts/canonicalJson.js';

describe('the fast RFC 8785 writer for parsed JSON', () => {
  it('writes the same bytes as the canonicalize package for any JSON value that round-trips through JSON.parse', () => {
    const key = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('\ud83d\ude00', '\ufb33', '__proto__', 'a', 'A', 'é'));
    const value = fc.letrec((tie) => ({
      json: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string({ unit: 'grapheme' }),
        fc.array(tie('json')), fc.dictionary(key, tie('json'))),
    })).json;
    fc.assert(fc.property(value, (v) => {
      const parsed = JSON.parse(JSON.stringify(v)) as unknown;
      expect(canonicalJsonOfParsed(parsed)).toBe(canonicalize(parsed));
    }), { numRuns: 2000 });
  });

  it('sorts by UTF-16 code units and writes numbers as ECMAScript does', () => {
    expect(canonicalJsonOfParsed(JSON.parse('{"\\ufb33":1,"\\ud83d\\ude00":2,"b":1e21,"a":-0,"c":1.0,"d":0.000001,"e":1e-7}')))
      .toBe('{"a":0,"b":1e+21,"c":1,"d":0.000001,"e":1e-7,"😀":2,"דּ":1}');
  });

  it('canonicalJson: for any value, the same bytes as the package, or the same refusal (NaN, infinities, lone surrogates, cycles)', () => {
    const outcome = (f: () => string | undefined) => { try { return { ok: f() }; } catch { return { threw: true }; } };
    const value = fc.oneof(
      fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, maxDepth: 4 }),
      fc.jsonValue(),
      fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.string(), fc.double(), fc.constant(Symbol('s')), fc.constant(() => 1))),
      fc.array(fc.oneof(fc.constant(undefined), fc.integer(), fc.constant('\ud800'))),
    );
    fc.assert(fc.property(value, (v) => {
      const ours = outcome(() => canonicalJson(v));
      const pkg = outcome(() => { const r = canonicalize(v); if (r === undefined) throw new Error('undefined'); return r; });
      expect(ours).toEqual(pkg);
    }), { numRuns: 3000 });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow();
    expect(() => canonicalJson({ s: 'a\udc00b' })).toThrow();
    expect(() => canonicalJson({ ['\ud800']: 1 })).toThrow();
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(canonicalJson({ b: undefined, a: [1, 'x'], d: new Date(0) })).toBe('{"a":[1,"x"],"d":"1970-01-01T00:00:00.000Z"}');
    const arr = Object.assign([1, 2], { toJSON: () => 'X' });
    class List extends Array<number> {}
    for (const v of [arr, { a: arr }, List.from([1, 2]), { toJSON: () => ({ z: 1, a: 2 }) }]) expect(canonicalJson(v)).toBe(canonicalize(v));
  });
});
