import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalJsonOfParsed } from '../../src/receipts/canonicalJson.js';

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
});
