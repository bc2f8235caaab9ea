/**
 * Programs that produce or transform text: echo, printf, cat, base64, xxd, openssl, rev, tr,
 * decompressors, tee. Their output is computed statically where possible, so that
 * `echo … | base64 -d | sh` can be judged by what actually runs, and flagged as decode-then-exec.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { secretNamedBy } from '../pathZones.js';
import { type PathRef, judgeDelete, judgeRead, judgeWrite } from '../pathRules.js';
import { type DataSource, type Provenance, PLAIN, UNKNOWN, mergeProvenance, sourceProvenance } from '../shellValue.js';
import { decodeAnsiC } from '../wordEval.js';
import { isSecretVarName } from '../secretNames.js';
import { seqOutput } from './diskFill.js';
import { generic } from './generic.js';
import { UNKNOWN_OUTPUT, argsProvenance, filteredToNonSecret, hasFlag, optionValues, parseOptions, pathOf, unknownOutput } from './support.js';

const DECODED: Provenance = Object.freeze({ download: false, decoded: true, secret: false });
const SECRET: Provenance = Object.freeze({ download: false, decoded: false, secret: true });

function printsSecret(call: Call, what: string): void {
  if (argsProvenance(call).secret)
    call.exec.run.add('secrets.print-env-var', `${what} prints secret data (a secret-looking variable or credentials)`);
}

/** `echo`: arguments joined; `-e` interprets escapes (hex/octal escapes count as decoding). */
const echo: Handler = (call) => {
  let i = 0;
  let escapes = false;
  let newline = true;
  while (i < call.args.length && /^-[neE]+$/.test(call.args[i]!)) {
    const o = call.args[i]!;
    if (o.includes('n')) newline = false;
    if (o.includes('e')) escapes = true;
    if (o.includes('E')) escapes = false;
    i++;
  }
  printsSecret(call, 'echo');
  let text = call.args.slice(i).join(' ');
  let from = argsProvenance(call);
  if (escapes) {
    if (/\\(?:x[0-9a-fA-F]|0[0-7]|[0-7]{3}|u[0-9a-fA-F])/.test(text)) from = mergeProvenance(from, DECODED);
    text = decodeAnsiC(text.replace(/\\0([0-7]{1,3})/g, '\\$1'));
    const c = text.indexOf('\x03'); // \c stops output
    if (c >= 0) { text = text.slice(0, c); newline = false; }
  }
  return { kind: 'text', text: text + (newline ? '\n' : ''), from };
};

/** A small printf: %s %b %d %c %x %o %%, escapes in the format (hex/octal count as decoding). */
export function formatPrintf(format: string, args: string[]): { text: string; decoded: boolean } {
  let decoded = /\\(?:x[0-9a-fA-F]|[0-7]{1,3}|u[0-9a-fA-F])/.test(format);
  let out = '';
  let ai = 0;
  let loops = 0;
  do {
    out += format.replace(/%([-+ #0]*\d*(?:\.\d+)?)([sbdicxXoeEfgGq%])|\\(?:x[0-9a-fA-F]{1,2}|[0-7]{1,3}|u[0-9a-fA-F]{1,4}|.)/g, (m, _f, conv: string | undefined) => {
      if (!conv) {
        if (/^\\[0-7]/.test(m)) return String.fromCharCode(parseInt(m.slice(1), 8) & 0xff);
        return decodeAnsiC(m);
      }
      if (conv === '%') return '%';
      const a = args[ai++] ?? '';
      switch (conv) {
        case 'b':
          if (/\\(?:x[0-9a-fA-F]|0?[0-7]{1,3}|u[0-9a-fA-F])/.test(a)) decoded = true;
          return decodeAnsiC(a.replace(/\\0([0-7]{1,3})/g, '\\$1'));
        case 'd': case 'i': return String(parseInt(a, 10) || 0);
        case 'c': return a.charAt(0);
        case 'x': return (parseInt(a, 10) || 0).toString(16);
        case 'X': return (parseInt(a, 10) || 0).toString(16).toUpperCase();
        case 'o': return (parseInt(a, 10) || 0).toString(8);
        default: return a;
      }
    });
    loops++;
  } while (ai > 0 && ai < args.length && loops < 64);
  return { text: out, decoded };
}

const printf: Handler = (call) => {
  let args = call.args;
  let target: string | undefined;
  if (args[0] === '-v' && args.length > 1) {
    target = args[1];
    args = args.slice(2);
  }
  if (args[0] === '--') args = args.slice(1);
  if (args.length === 0) return UNKNOWN_OUTPUT;
  printsSecret(call, 'printf');
  const f = formatPrintf(args[0]!, args.slice(1));
  let from = argsProvenance(call);
  if (f.decoded) from = mergeProvenance(from, DECODED);
  if (target && /^[A-Za-z_]\w*$/.test(target)) {
    call.scope.vars.set(target, { kind: 'scalar', word: { text: f.text, dynamic: f.text.includes(UNKNOWN), glob: false, from } });
    return { kind: 'text', text: '', from: PLAIN };
  }
  return { kind: 'text', text: f.text, from };
};

/** Content of a file operand: what this command or session wrote there, else the file itself. */
function fileContent(call: Call, text: string, verb: string): DataSource {
  const run = call.exec.run;
  const ref = pathOf(call, text);
  const secret = judgeRead(run, ref, { verb });
  if (!ref) return unknownOutput(secret ? SECRET : PLAIN);
  const c = run.contentOf(ref.path) ?? run.contentOf(ref.real);
  if (c?.kind === 'text') return { kind: 'text', text: c.text, from: secret ? mergeProvenance(c.from, SECRET) : c.from };
  if (c) return { kind: 'unknown', from: c.from };
  return { kind: 'file', path: ref.path, from: secret ? SECRET : PLAIN };
}

/** The input of a filter: its file operands, or stdin. */
function inputOf(call: Call, operands: string[], verb: string): DataSource {
  const files = operands.filter((o) => o !== '-');
  if (files.length === 0) return call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin;
  if (files.length === 1 && operands.length === 1) return fileContent(call, files[0]!, verb);
  let from = PLAIN;
  const texts: string[] = [];
  for (const f of files) {
    const c = fileContent(call, f, verb);
    from = mergeProvenance(from, sourceProvenance(c));
    if (c.kind === 'text') texts.push(c.text);
  }
  return texts.length === files.length ? { kind: 'text', text: texts.join(''), from } : { kind: 'unknown', from };
}

const cat: Handler = (call) => {
  const o = parseOptions(call.argWords);
  return inputOf(call, o.operands.map((w) => w.text), 'cat');
};

/** Apply a text transform to an input; unknown inputs stay unknown but are marked decoded. */
function transform(input: DataSource, fn: ((s: string) => string) | null): DataSource {
  const from = mergeProvenance(sourceProvenance(input), DECODED);
  if (fn && input.kind === 'text' && !input.text.includes(UNKNOWN)) {
    try {
      return { kind: 'text', text: fn(input.text), from };
    } catch {
      return { kind: 'unknown', from };
    }
  }
  return { kind: 'unknown', from };
}

const b64decode = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'base64').toString('latin1');

const base64: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'w' });
  const input = inputOf(call, o.operands.map((w) => w.text), call.program);
  if (o.short.has('d') || o.short.has('D') || o.long.has('--decode')) return transform(input, call.program === 'base64' ? b64decode : null);
  if (input.kind === 'text') return { kind: 'text', text: Buffer.from(input.text, 'latin1').toString('base64') + '\n', from: input.from };
  return unknownOutput(sourceProvenance(input));
};

const xxd: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'cglsoC' });
  const input = inputOf(call, o.operands.map((w) => w.text).slice(0, 1), 'xxd');
  if (o.short.has('r')) return transform(input, o.short.has('p') || o.long.has('--plain') ? (s) => Buffer.from(s.replace(/[^0-9a-fA-F]/g, ''), 'hex').toString('latin1') : null);
  return unknownOutput(sourceProvenance(input));
};

const openssl: Handler = (call) => {
  const sub = call.args[0] ?? '';
  const rest = call.args.slice(1);
  const decode = rest.includes('-d') || rest.includes('-decrypt');
  if ((sub === 'base64' || sub === 'enc') && decode) {
    const b64 = sub === 'base64' || rest.includes('-base64') || rest.includes('-a') || rest.includes('-A');
    const cipher = sub === 'enc' && rest.some((a) => /^-(?:aes|des|bf|cast|rc|camellia|chacha|seed|sm4|aria)/.test(a));
    const inIdx = rest.indexOf('-in');
    const input = inIdx >= 0 && rest[inIdx + 1] ? fileContent(call, rest[inIdx + 1]!, 'openssl') : call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin;
    return transform(input, b64 && !cipher ? b64decode : null);
  }
  if (/^(?:rsautl|pkeyutl|smime|cms)$/.test(sub) && decode) return transform(call.stdin, null);
  if (sub === 's_client') {
    const i = call.args.indexOf('-connect');
    const target = i >= 0 ? call.args[i + 1] ?? '' : '';
    if (!/^(?:localhost|127\.|\[?::1)/.test(target)) call.exec.run.add('net.outbound', `openssl s_client connects to ${target || 'a host'}`);
  }
  // certificates, revocation lists and their checks: no private key is printed, whatever the file holds
  return generic(call, { showsNoSecret: /^(?:x509|verify|crl|s_client)$/.test(sub) });
};

const rev: Handler = (call) => {
  const o = parseOptions(call.argWords);
  return transform(inputOf(call, o.operands.map((w) => w.text), 'rev'), (s) =>
    s.split('\n').map((l) => [...l].reverse().join('')).join('\n'),
  );
};

/** Expand a tr set (`a-z`, escapes, `[:alpha:]` classes). */
function trSet(spec: string): string[] {
  const s = decodeAnsiC(spec)
    .replace(/\[:alpha:\]/g, 'a-zA-Z').replace(/\[:upper:\]/g, 'A-Z').replace(/\[:lower:\]/g, 'a-z')
    .replace(/\[:digit:\]/g, '0-9').replace(/\[:alnum:\]/g, 'a-zA-Z0-9').replace(/\[:space:\]/g, ' \t\n\r\f\v');
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i + 1] === '-' && i + 2 < s.length) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 2);
      for (let c = a; c <= b && out.length < 4096; c++) out.push(String.fromCharCode(c));
      i += 2;
    } else out.push(s[i]!);
  }
  return out;
}

const tr: Handler = (call) => {
  const o = parseOptions(call.argWords);
  const sets = o.operands.map((w) => w.text);
  const del = o.short.has('d');
  const complement = o.short.has('c') || o.short.has('C');
  const input = call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin;
  if (complement || sets.length === 0) return transform(input, null);
  const s1 = trSet(sets[0]!);
  const s2 = sets[1] !== undefined ? trSet(sets[1]) : [];
  const fn = (text: string) => {
    let r = '';
    for (const ch of text) {
      const k = s1.indexOf(ch);
      if (k < 0) r += ch;
      else if (del) continue;
      else r += s2.length ? s2[Math.min(k, s2.length - 1)] : ch;
    }
    return o.short.has('s') ? r.replace(/(.)\1+/g, '$1') : r;
  };
  // Only a transformation of letters counts as de-obfuscation (tr -d '\r' does not).
  if (input.kind === 'text' && !input.text.includes(UNKNOWN)) {
    const out = fn(input.text);
    const changedLetters = out.replace(/[^A-Za-z0-9]/g, '') !== input.text.replace(/[^A-Za-z0-9]/g, '');
    return { kind: 'text', text: out, from: changedLetters ? mergeProvenance(input.from, DECODED) : input.from };
  }
  const lettersMapped = !del && /[a-zA-Z]/.test(sets[0]!) && sets[0] !== sets[1];
  return lettersMapped ? transform(input, null) : unknownOutput(sourceProvenance(input));
};

const decompress: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'S' });
  const decoding = /^(?:zcat|gunzip|bunzip2|bzcat|unxz|xzcat|unzstd|zstdcat|lz4cat|uncompress|uudecode|unlzma|lzcat)$/.test(call.program) || o.short.has('d') || o.long.has('--decompress') || o.long.has('--decode');
  const toStdout = o.short.has('c') || o.long.has('--stdout') || /cat$/.test(call.program) || o.operands.length === 0;
  const files = o.operands.map((w) => w.text);
  for (const f of files) judgeRead(call.exec.run, pathOf(call, f), { verb: call.program });
  if (!toStdout) {
    judgeInPlace(call, o, decoding);
    return { kind: 'text', text: '', from: PLAIN };
  }
  const input = files.length === 0 ? (call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin) : UNKNOWN_OUTPUT;
  return decoding ? transform(input, null) : unknownOutput(sourceProvenance(input));
};

/** Programs that keep the original file unless told to remove it (gzip, bzip2 and xz replace it). */
const KEEPS_ORIGINAL = /^(?:zstd|unzstd|lz4)$/;

/**
 * A compressor writing files instead of stdout replaces each operand with its (de)compressed form
 * (`gzip f` leaves only f.gz), so each is judged as a write; `gzip -r DIR` does so to every file
 * below DIR, judged as a recursive delete. With the original kept (-k, or zstd/lz4 without --rm)
 * only the new file next to it is written.
 */
function judgeInPlace(call: Call, o: ReturnType<typeof parseOptions>, decoding: boolean): void {
  const run = call.exec.run;
  const keeps = o.short.has('k') || o.long.has('--keep') || (KEEPS_ORIGINAL.test(call.program) && !o.long.has('--rm'));
  const recursive = o.short.has('r') || o.long.has('--recursive');
  for (const w of o.operands) {
    const ref = pathOf(call, w);
    if (recursive && !keeps) judgeDelete(run, ref, { recursive: true, verb: `${call.program} -r` });
    else if (recursive) judgeWrite(run, ref && { ...ref, scope: 'under' }, { verb: `${call.program} -r` });
    else if (!keeps) judgeWrite(run, ref, { verb: call.program });
    else judgeWrite(run, pathOf(call, decoding ? w.text.replace(/\.[^./]+$/, '') : `${w.text}${SUFFIX[call.program] ?? '.z'}`), { verb: call.program });
  }
}

/** The suffix each compressor gives its output. */
const SUFFIX: Record<string, string> = { gzip: '.gz', bzip2: '.bz2', xz: '.xz', zstd: '.zst', lz4: '.lz4' };

/** `tee FILE…`: copies stdin to the files and to stdout. */
const tee: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords);
  const input = call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin;
  for (const w of o.operands) {
    const ref = pathOf(call, w);
    const opts: { verb: string; content?: string } = { verb: 'tee' };
    if (input.kind === 'text') opts.content = input.text;
    judgeWrite(run, ref, opts);
    if (ref && input.kind === 'text') call.exec.written(ref.path, input.text, 'tee', call.scope);
    if (ref) {
      run.writes.set(ref.path, input.kind === 'text' ? { kind: 'text', text: input.text, from: input.from } : { kind: 'unknown', from: sourceProvenance(input) });
    }
  }
  return input;
};

/** `printenv [NAME…]`. */
const printenv: Handler = (call) => {
  const names = call.args.filter((a) => !a.startsWith('-'));
  if (names.length === 0 && !filteredToNonSecret(call)) call.exec.run.add('secrets.dump-env', 'printenv prints every environment variable, secrets included');
  for (const n of names) if (isSecretVarName(n)) call.exec.run.add('secrets.print-env-var', `printenv prints ${n}`);
  return unknownOutput(names.length === 0 ? SECRET : PLAIN);
};

/** How grep-like searchers walk their operands: recursively (grep -r; rg, ag, ack always), skipping dot-files (rg, ag by default). */
function searchMode(call: Call, o: ReturnType<typeof parseOptions>): { recursive: boolean; skipHidden: boolean; listing: boolean } {
  const tool = call.program === 'rg' || call.program === 'ag' || call.program === 'ack';
  const dirs = optionValues(o, ['d', '--directories']).some((w) => w.text === 'recurse') || o.long.get('--directories') === 'recurse';
  const recursive = tool || hasFlag(o, 'rR', ['--recursive', '--dereference-recursive']) || dirs;
  const unrestricted = call.args.some((a) => /^-[a-zA-Z]*u[a-zA-Z]*u/.test(a) || a === '-.');
  const skipHidden = (call.program === 'rg' || call.program === 'ag') && !unrestricted && !hasFlag(o, call.program === 'ag' ? 'u' : '', ['--hidden', '--unrestricted']);
  const listing = hasFlag(o, call.program === 'ag' ? 'lL' : 'lL', ['--files-with-matches', '--files-without-match', '--files']);
  return { recursive, skipHidden, listing };
}

/** `grep`/`rg`/`ag`: the pattern is data; only file operands (and -f files) are reads (of everything below, when recursive). */
const grep: Handler = (call) => {
  const rg = call.program === 'rg' || call.program === 'ag';
  const o = parseOptions(call.argWords, {
    shortArg: rg ? 'efgtTmAB CMjrE' : 'efmABCdD',
    longArg: ['--regexp', '--file', '--max-count', '--after-context', '--before-context', '--context', '--glob', '--iglob', '--type', '--type-not', '--include', '--exclude', '--exclude-dir', '--label', '--color', '--colour', '--binary-files', '--devices', '--directories', '--replace', '--max-depth', '--threads', '--encoding', '--sort', '--ignore-file'],
  });
  const patterns = optionValues(o, ['e', '--regexp']);
  const listFiles = call.program === 'rg' && o.long.has('--files');
  const files = [...(patterns.length === 0 && !optionValues(o, ['f', '--file']).length && !listFiles ? o.operands.slice(1) : o.operands)];
  const run = call.exec.run;
  const mode = searchMode(call, o);
  let from = sourceProvenance(call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin);
  for (const f of optionValues(o, ['f', '--file', '--ignore-file'])) judgeRead(run, pathOf(call, f), { verb: call.program });
  // -q, -c, -l/-L print no line of what they read: a .env's values stay unseen (credential files are judged all the same)
  const quiet = hasFlag(o, 'qc', ['--quiet', '--silent', '--count']) || mode.listing;
  const readOpts = { verb: call.program, recursive: mode.recursive, skipHidden: mode.skipHidden, ignoreDotenv: quiet };
  const refs = files.map((f) => pathOf(call, f, { glob: f.glob }));
  for (const ref of refs) {
    if (judgeRead(run, ref ? { ...ref, scope: ref.scope === 'exact' ? 'contents' : ref.scope } : ref, readOpts)) from = mergeProvenance(from, SECRET);
  }
  // with no operand, rg/ag/ack and grep -r search the working directory
  const searchesCwd = files.length === 0 && mode.recursive && (rg || call.program === 'ack' || call.stdin.kind === 'terminal');
  if (searchesCwd && call.scope.cwd) judgeRead(run, pathOf(call, '.'), readOpts);
  // `--include=.env`, `rg -g 'id_*'`: the walk picks out secrets wherever it goes, on disk now or not
  if (mode.recursive) {
    const roots = searchesCwd ? [pathOf(call, '.')] : refs;
    for (const glob of optionValues(o, ['--include', 'g', '--glob', '--iglob'])) {
      for (const root of roots) {
        const named = root && root.scope === 'exact' ? secretNamedBy(root.real, glob.text, run.zones, { skipHidden: mode.skipHidden }) : null;
        if (named !== null && judgeRead(run, { path: named, real: named, scope: 'exact', raw: `${root!.raw}/…/${posix.basename(named)}` }, { verb: `${call.program} ${glob.text}` })) from = mergeProvenance(from, SECRET);
      }
    }
  }
  const out = unknownOutput(from);
  if (mode.listing || listFiles) return listedUnder(out, refs.length === 1 ? refs[0]! : searchesCwd ? pathOf(call, '.') : null, mode.recursive);
  // filtering stdin keeps whole lines: paths from `find DIR` stay paths under DIR
  if (files.length === 0 && call.stdin.kind === 'unknown' && call.stdin.under !== undefined && !hasFlag(o, 'ocnb', ['--only-matching', '--count']))
    return { kind: 'unknown', from, under: call.stdin.under, ...(call.stdin.whole ? { whole: true } : {}) };
  return out;
};

/** Output that lists paths below a searched directory (grep -rl, rg -l): xargs items are paths under it. */
function listedUnder(out: DataSource, ref: PathRef | null, recursive: boolean): DataSource {
  if (!ref || out.kind !== 'unknown') return out;
  const exactFile = !recursive && ref.scope === 'exact';
  return { ...out, under: ref.path, ...(exactFile ? { whole: true } : {}) };
}

/** `pwd`: the tracked working directory. */
const pwd: Handler = (call) => (call.scope.cwd ? { kind: 'text', text: call.scope.cwd + '\n', from: PLAIN } : UNKNOWN_OUTPUT);

/** Text producers and transformers, by program name. */
export const TEXT_HANDLERS: Record<string, Handler> = {
  echo,
  printf,
  cat,
  base64,
  base32: base64,
  basenc: base64,
  xxd,
  openssl,
  // keytool lists, creates and exports certificates; it never prints a private key
  keytool: (call) => generic(call, { showsNoSecret: true }),
  rev,
  tr,
  gunzip: decompress,
  gzip: decompress,
  zcat: decompress,
  bzip2: decompress,
  bunzip2: decompress,
  bzcat: decompress,
  xz: decompress,
  unxz: decompress,
  xzcat: decompress,
  zstd: decompress,
  unzstd: decompress,
  zstdcat: decompress,
  lz4: decompress,
  lz4cat: decompress,
  uncompress: decompress,
  uudecode: decompress,
  lzcat: decompress,
  unlzma: decompress,
  tee,
  printenv,
  pwd,
  seq: seqOutput,
  grep, egrep: grep, fgrep: grep, rg: grep, ag: grep, ack: grep, zgrep: grep,
};
