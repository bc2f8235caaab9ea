// A strict RFC 8259 parser that also enforces I-JSON (RFC 7493): no duplicate member names
// (compared after unescaping), no lone surrogates (raw or escaped), finite numbers only, and a
// nesting limit. JSON.parse accepts all of these silently, so the verifier cannot use it.
import { ReceiptError } from './receiptError.js';

/** Whether a string is well-formed UTF-16 (no lone surrogates), i.e. encodes to valid UTF-8. */
export function isWellFormedText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Containers (objects and arrays) may nest at most this deep; the top-level value is level 1. */
export const MAX_JSON_DEPTH = 500;

class Parser {
  private i = 0;
  constructor(private readonly s: string, private readonly maxDepth: number) {}

  fail(what: string): never {
    throw new ReceiptError('bundle_malformed', `not strict I-JSON: ${what} at offset ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  parseDocument(): unknown {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected text after the JSON value');
    return v;
  }

  value(depth: number): unknown {
    const c = this.s[this.i];
    switch (c) {
      case '{': return this.object(depth + 1);
      case '[': return this.array(depth + 1);
      case '"': return this.string();
      case 't': return this.literal('true', true);
      case 'f': return this.literal('false', false);
      case 'n': return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
    }
  }

  literal<T>(word: string, v: T): T {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    return this.fail('invalid literal');
  }

  number(): number {
    const re = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    if (!m) return this.fail('invalid number');
    const n = Number(m[0]);
    if (!Number.isFinite(n)) this.fail(`number ${m[0]} is not a finite IEEE-754 double`);
    this.i += m[0].length;
    return n;
  }

  string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let runStart = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(runStart, this.i);
        this.i++;
        break;
      }
      if (c < 0x20) this.fail('unescaped control character in a string');
      if (c === 0x5c) {
        out += s.slice(runStart, this.i);
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default: this.fail('invalid escape');
        }
        runStart = this.i;
        continue;
      }
      this.i++;
    }
    if (!isWellFormedText(out)) this.fail('lone surrogate in a string');
    return out;
  }

  array(depth: number): unknown[] {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === ']') { this.i++; return out; }
    for (;;) {
      this.ws();
      out.push(this.value(depth));
      this.ws();
      const c = this.s[this.i];
      if (c === ',') { this.i++; continue; }
      if (c === ']') { this.i++; return out; }
      this.fail('expected , or ] in an array');
    }
  }

  object(depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
    this.i++;
    // A null prototype: a member named "__proto__" is an ordinary member.
    const out = Object.create(null) as Record<string, unknown>;
    const seen = new Set<string>();
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return out; }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a member name');
      const at = this.i;
      const name = this.string();
      if (seen.has(name)) {
        this.i = at;
        this.fail(`duplicate member name ${JSON.stringify(name)}`);
      }
      seen.add(name);
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected : after a member name');
      this.i++;
      this.ws();
      out[name] = this.value(depth);
      this.ws();
      const c = this.s[this.i];
      if (c === ',') { this.i++; continue; }
      if (c === '}') { this.i++; return out; }
      this.fail('expected , or } in an object');
    }
  }
}

/** Parse a JSON text that must be strict RFC 8259 and I-JSON; throws `bundle_malformed` naming the problem. */
export function parseStrictJson(text: string, maxDepth: number = MAX_JSON_DEPTH): unknown {
  return new Parser(text, maxDepth).parseDocument();
}

/**
 * Decode bytes as UTF-8 for a JSON text: invalid UTF-8 and a byte order mark are rejected.
 * Throws `bundle_malformed`.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ReceiptError('bundle_malformed', 'the file starts with a UTF-8 byte order mark');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ReceiptError('bundle_malformed', 'the file is not valid UTF-8');
  }
}
