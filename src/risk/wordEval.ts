/**
 * Shell word expansion, done statically: quote removal and splicing (`r''m`), ANSI-C quoting
 * (`$'\x72m'`), backslashes (`\rm`), tilde, parameter expansion (with the common `${x:-y}`,
 * `${x/a/b}`, `${x#p}` forms), command substitution (through a callback), field splitting of
 * unquoted expansions, and brace expansion. Whatever cannot be known is kept as {@link UNKNOWN}.
 */
import type { ShellNode, ShellTree } from './shellSyntax.js';
import { nodeText } from './shellSyntax.js';
import {
  type DataSource,
  type Provenance,
  type ShellWord,
  PLAIN,
  UNKNOWN,
  mergeProvenance,
  sourceProvenance,
} from './shellValue.js';

/** A variable's value: a scalar word or an array of words. */
export type VarValue = { kind: 'scalar'; word: ShellWord } | { kind: 'array'; items: ShellWord[] };

/** What word expansion needs from the walker. */
export interface WordEnv {
  /** The value of a variable, or undefined when it is not known (inherited from the environment). */
  lookup(name: string): VarValue | undefined;
  /** Set a variable (`${x:=v}`). */
  assign(name: string, value: VarValue): void;
  /** Positional parameters `$1...`, or null when unknown. */
  positional(): ShellWord[] | null;
  /** `$0`. */
  scriptName(): string;
  /** The home directory for `~`. */
  home(): string;
  /** Run a command substitution `$(…)` / backticks; returns what it prints. */
  substitute(node: ShellNode): DataSource;
  /** Run a process substitution `<(…)` / `>(…)`; returns what reading it yields. */
  processSubstitution(node: ShellNode): DataSource;
  /** Walk any command substitutions inside a node we do not evaluate (arithmetic, tests). */
  scan(node: ShellNode): void;
}

/* Sentinels for unquoted brace-expansion syntax, so quoted braces stay literal. */
const B_OPEN = '\uE001';
const B_COMMA = '\uE002';
const B_CLOSE = '\uE003';
/* Sentinel for unquoted glob characters. */
const GLOB_MARK = '\uE004';

interface Segment {
  text: string;
  /** Unquoted expansion result: subject to field splitting. */
  split: boolean;
  /** Came from quotes (counts as a field even when empty). */
  quoted: boolean;
  from: Provenance;
  procSub?: DataSource;
  /** A hard boundary between fields (`"$@"`), kept even inside quotes. */
  sep?: boolean;
  /** For the unknown output of a command substitution: the program that printed it. */
  producer?: string;
}

const lit = (text: string, quoted: boolean): Segment => ({ text, split: false, quoted, from: PLAIN });
/** What `$$`, `$RANDOM` and the shell's other counters expand to: some number, the same one each time. */
export const PLACEHOLDER_NUMBER = '4242';

/** The `producer` of a word that is the shell's parent's pid (`$PPID`, unset by the command). */
export const PARENT_PID = '$PPID';

const unknownSeg = (from: Provenance = PLAIN): Segment => ({ text: UNKNOWN, split: false, quoted: true, from });

/** Decode the body of an ANSI-C `$'…'` string. */
export function decodeAnsiC(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i]!;
    switch (n) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'e': case 'E': out += '\x1b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'": out += "'"; break;
      case '"': out += '"'; break;
      case '?': out += '?'; break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1));
        if (m) { out += String.fromCharCode(parseInt(m[0], 16)); i += m[0].length; } else out += '\\x';
        break;
      }
      case 'u': case 'U': {
        const m = (n === 'u' ? /^[0-9a-fA-F]{1,4}/ : /^[0-9a-fA-F]{1,8}/).exec(body.slice(i + 1));
        if (m) { out += String.fromCodePoint(Math.min(parseInt(m[0], 16), 0x10ffff)); i += m[0].length; } else out += '\\' + n;
        break;
      }
      case 'c': {
        const ch = body[i + 1];
        if (ch !== undefined) { out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) & 0x1f); i++; }
        break;
      }
      default: {
        const m = /^[0-7]{1,3}/.exec(body.slice(i));
        if (m) { out += String.fromCharCode(parseInt(m[0], 8) & 0xff); i += m[0].length - 1; } else out += '\\' + n;
      }
    }
  }
  return out;
}

/** Remove double-quote escapes (`\$ \` \" \\ \newline`). */
function unescapeDouble(s: string): string {
  return s.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

/** Split an unquoted literal into segments: backslash-escaped characters become quoted. */
function unquotedLiteral(raw: string, out: Segment[]): void {
  let buf = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      if (buf) { out.push(lit(markSyntax(buf), false)); buf = ''; }
      const n = raw[++i]!;
      if (n !== '\n') out.push(lit(n, true));
      continue;
    }
    buf += c;
  }
  if (buf) out.push(lit(markSyntax(buf), false));
}

/** Replace unquoted brace and glob syntax by sentinels. */
function markSyntax(s: string): string {
  return s.replace(/[{},*?[]/g, (c) =>
    c === '{' ? B_OPEN : c === ',' ? B_COMMA : c === '}' ? B_CLOSE : GLOB_MARK + c,
  );
}

/** Turn sentinels back into plain characters. */
function unmark(s: string): string {
  return s.replace(/[\uE001-\uE004]/g, (c) => (c === B_OPEN ? '{' : c === B_COMMA ? ',' : c === B_CLOSE ? '}' : ''));
}

/** Brace expansion over sentinel-marked text (`a{b,c}d`, `{1..3}`), capped at `limit` results. */
function braceExpand(s: string, limit = 64): string[] {
  const open = s.indexOf(B_OPEN);
  if (open < 0) return [s];
  // find the matching close, collecting top-level commas
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === B_OPEN) depth++;
    else if (c === B_CLOSE) {
      depth--;
      if (depth === 0) { close = i; break; }
    } else if (c === B_COMMA && depth === 1) commas.push(i);
  }
  if (close < 0) return [s];
  const pre = s.slice(0, open);
  const post = s.slice(close + 1);
  let alts: string[];
  if (commas.length > 0) {
    alts = [];
    let from = open + 1;
    for (const c of [...commas, close]) { alts.push(s.slice(from, c)); from = c + 1; }
  } else {
    const inner = unmark(s.slice(open + 1, close));
    const m = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner) ?? /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(inner);
    if (!m) {
      // Not a brace expansion: keep literal braces, expand any later ones.
      return braceExpand(post, limit).map((p) => pre + '{' + s.slice(open + 1, close) + '}' + p);
    }
    alts = [];
    if (/\d/.test(m[1]!)) {
      const a = Number(m[1]), b = Number(m[2]);
      const step = Math.max(1, Math.abs(Number(m[3] ?? 1)));
      for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) { alts.push(String(v)); if (alts.length >= limit) break; }
    } else {
      const a = m[1]!.charCodeAt(0), b = m[2]!.charCodeAt(0);
      for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) alts.push(String.fromCharCode(v));
    }
  }
  const out: string[] = [];
  for (const alt of alts) {
    for (const a of braceExpand(alt + post, limit)) {
      out.push(pre + a);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** Convert a shell glob pattern to a RegExp source (`*`, `?`, `[...]`). */
export function globToRegexSource(pattern: string): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return re;
}

function applyPattern(value: string, op: string, pattern: string): string {
  const src = globToRegexSource(pattern);
  try {
    switch (op) {
      case '#': { for (let i = 0; i <= value.length; i++) if (new RegExp('^(?:' + src + ')$').test(value.slice(0, i))) return value.slice(i); return value; }
      case '##': { for (let i = value.length; i >= 0; i--) if (new RegExp('^(?:' + src + ')$').test(value.slice(0, i))) return value.slice(i); return value; }
      case '%': { for (let i = value.length; i >= 0; i--) if (new RegExp('^(?:' + src + ')$').test(value.slice(i))) return value.slice(0, i); return value; }
      case '%%': { for (let i = 0; i <= value.length; i++) if (new RegExp('^(?:' + src + ')$').test(value.slice(i))) return value.slice(0, i); return value; }
    }
  } catch { /* fall through */ }
  return value;
}

function replacePattern(value: string, op: string, pattern: string, rep: string): string {
  let src = globToRegexSource(pattern);
  if (op === '/#') src = '^(?:' + src + ')';
  else if (op === '/%') src = '(?:' + src + ')$';
  try {
    return value.replace(new RegExp(src, op === '//' ? 'g' : ''), () => rep);
  } catch {
    return value;
  }
}

/** The word evaluator for one tree and environment. */
export class WordEvaluator {
  constructor(
    private readonly tree: ShellTree,
    private readonly env: WordEnv,
  ) {}

  /** Expand a word node into fields (field splitting, brace expansion, tilde). */
  fields(node: ShellNode): ShellWord[] {
    const segs = this.segments(node, false);
    return this.assemble(segs, true);
  }

  /** Expand a node into exactly one word (no field splitting: assignments, redirect targets). */
  single(node: ShellNode): ShellWord {
    const segs = this.segments(node, false).map((s) => ({ ...s, split: false }));
    const words = this.assemble(segs, false);
    if (words.length === 1) return words[0]!;
    return joinWords(words);
  }

  /** Expand the text of an unquoted here-document body (expansions and substitutions, no splitting). */
  heredoc(node: ShellNode): { text: string; from: Provenance } {
    let text = '';
    let from = PLAIN;
    let pos = node.start;
    for (const c of node.children) {
      if (!c.named || c.type === 'heredoc_content') continue;
      text += unescapeHeredoc(this.tree.source.slice(pos, c.start));
      for (const s of this.part(c, true)) { text += s.text; from = mergeProvenance(from, s.from); }
      pos = c.end;
    }
    text += unescapeHeredoc(this.tree.source.slice(pos, node.end));
    return { text, from };
  }

  private assemble(segs: Segment[], allowSplit: boolean): ShellWord[] {
    // Tilde expansion: an unquoted leading `~` or `~/`.
    const first = segs[0];
    if (first && !first.quoted && !first.split) {
      // `~`, `~user`, and (as bash does for assignment-like arguments) `name=~`
      const m = /^([A-Za-z_][A-Za-z0-9_]*=)?~([A-Za-z0-9._-]*)(?=\/|$|:)/.exec(first.text);
      // `~+` is $PWD and `~-` is $OLDPWD
      const dirs = /^([A-Za-z_][A-Za-z0-9_]*=)?~([+-])(?=\/|$|:)/.exec(first.text);
      if (dirs) {
        const v = this.env.lookup(dirs[2] === '+' ? 'PWD' : 'OLDPWD');
        const dir = v?.kind === 'scalar' ? v.word.text : UNKNOWN;
        segs = [{ ...first, text: (dirs[1] ?? '') + dir + first.text.slice(dirs[0].length) }, ...segs.slice(1)];
      } else if (m) {
        const user = m[2]!;
        const dir = user === '' ? this.env.home() : user === 'root' ? '/root' : `/home/${user}`;
        segs = [{ ...first, text: (m[1] ?? '') + dir + first.text.slice(m[0].length) }, ...segs.slice(1)];
      }
    }
    const ifs = allowSplit ? this.ifs() : DEFAULT_IFS;
    const words: ShellWord[] = [];
    let cur: { text: string; from: Provenance; started: boolean; procSub?: DataSource; producer?: string; parts: number } = { text: '', from: PLAIN, started: false, parts: 0 };
    const flush = () => {
      if (cur.started) {
        const w = this.finishWord(cur.text, cur.from, cur.procSub);
        if (cur.producer && cur.parts === 1) w.producer = cur.producer;
        words.push(w);
      }
      cur = { text: '', from: PLAIN, started: false, parts: 0 };
    };
    for (const s of segs) {
      if (s.sep) {
        if (allowSplit) flush();
        else cur.text += ' ';
        continue;
      }
      if (s.split && allowSplit && s.text !== UNKNOWN) {
        const pieces = splitOnIfs(s.text, ifs);
        pieces.forEach((p, i) => {
          if (i > 0) flush();
          if (p !== '') { cur.text += p; cur.started = true; cur.from = mergeProvenance(cur.from, s.from); }
        });
        continue;
      }
      cur.text += s.text;
      cur.from = mergeProvenance(cur.from, s.from);
      if (s.text !== '') cur.parts++;
      if (s.producer) cur.producer = s.producer;
      if (s.procSub) cur.procSub = s.procSub;
      if (s.quoted || s.text !== '') cur.started = true;
    }
    flush();
    // Brace expansion produces more words.
    const out: ShellWord[] = [];
    for (const w of words) {
      if (w.text.includes(B_OPEN)) {
        for (const t of braceExpand(w.text)) {
          // brace expansion comes before tilde expansion: `{a,~}` gives the home directory
          const tm = /^~(?=\/|$)/.exec(t);
          const text = tm ? this.env.home() + t.slice(1) : t;
          out.push({ ...w, text: unmark(text), glob: text.includes(GLOB_MARK), dynamic: text.includes(UNKNOWN) });
        }
      } else out.push({ ...w, text: unmark(w.text) });
    }
    return out;
  }

  /** The field separators in effect: `$IFS` when known, else the default (space, tab, newline). */
  private ifs(): string {
    const v = this.env.lookup('IFS');
    if (!v || v.kind !== 'scalar' || v.word.dynamic) return DEFAULT_IFS;
    return v.word.text;
  }

  private finishWord(text: string, from: Provenance, procSub?: DataSource): ShellWord {
    const w: ShellWord = { text, dynamic: text.includes(UNKNOWN), glob: text.includes(GLOB_MARK), from };
    if (procSub) w.procSub = procSub;
    return w;
  }

  /** Segments of a node in word position. */
  private segments(node: ShellNode, quoted: boolean): Segment[] {
    return this.part(node, quoted);
  }

  private part(node: ShellNode, quoted: boolean): Segment[] {
    const src = this.tree.source;
    switch (node.type) {
      case 'word':
      case 'number':
      case 'brace_expression':
      case 'extglob_pattern': {
        const out: Segment[] = [];
        if (quoted) out.push(lit(nodeText(this.tree, node), true));
        else unquotedLiteral(nodeText(this.tree, node), out);
        return out;
      }
      case 'raw_string': {
        const t = nodeText(this.tree, node);
        return [lit(t.slice(1, t.endsWith("'") && t.length > 1 ? -1 : undefined), true)];
      }
      case 'ansi_c_string': {
        const t = nodeText(this.tree, node);
        return [lit(decodeAnsiC(t.slice(2, t.endsWith("'") && t.length > 2 ? -1 : undefined)), true)];
      }
      case 'string':
      case 'translated_string': {
        const out: Segment[] = [];
        let start = node.start;
        if (src[start] === '$') start++;
        let pos = start + 1; // after the opening quote
        const end = src[node.end - 1] === '"' && node.end - 1 > start ? node.end - 1 : node.end;
        for (const c of node.children) {
          if (!c.named || c.type === 'string_content') continue;
          if (c.start > pos) out.push(lit(unescapeDouble(src.slice(pos, c.start)), true));
          for (const s of this.part(c, true)) out.push({ ...s, quoted: true, split: false });
          pos = Math.max(pos, c.end);
        }
        if (end > pos) out.push(lit(unescapeDouble(src.slice(pos, end)), true));
        if (out.length === 0) out.push(lit('', true));
        return out;
      }
      case 'concatenation': {
        const out: Segment[] = [];
        let pos = node.start;
        for (const c of node.children) {
          if (c.start > pos) unquotedLiteral(src.slice(pos, c.start), out);
          out.push(...this.part(c, quoted));
          pos = c.end;
        }
        if (node.end > pos) unquotedLiteral(src.slice(pos, node.end), out);
        return out;
      }
      case 'simple_expansion': {
        const name = nodeText(this.tree, node).slice(1);
        return this.expandName(name, quoted);
      }
      case 'expansion':
        return this.expansion(node, quoted);
      case 'command_substitution': {
        const outSrc = this.env.substitute(node);
        return [this.outputSegment(outSrc, quoted)];
      }
      case 'process_substitution': {
        const content = this.env.processSubstitution(node);
        return [{ text: '/dev/fd/63', split: false, quoted: true, from: PLAIN, procSub: content }];
      }
      case 'arithmetic_expansion':
        this.env.scan(node);
        return [unknownSeg()];
      default: {
        // Unknown node in word position: keep its text literally, but run any substitutions in it.
        this.env.scan(node);
        const t = nodeText(this.tree, node);
        return [lit(t, true)];
      }
    }
  }

  private outputSegment(out: DataSource, quoted: boolean): Segment {
    if (out.kind === 'text') return { text: out.text.replace(/\n+$/, ''), split: !quoted, quoted, from: out.from };
    const seg = unknownSeg(sourceProvenance(out));
    if (out.kind === 'unknown' && out.producer) seg.producer = out.producer;
    // paths listed below a known directory (`$(find DIR …)`, `$(ls DIR/*)`): some path under it
    if (out.kind === 'unknown' && out.under !== undefined && out.under.startsWith('/'))
      seg.text = out.whole ? out.under : (out.under === '/' ? '' : out.under) + '/' + UNKNOWN;
    return seg;
  }

  private expandName(name: string, quoted: boolean): Segment[] {
    if (name === '@' || name === '*') {
      const pos = this.env.positional();
      if (!pos) return [unknownSeg()];
      if (quoted && name === '@') return wordsAsSeparateSegments(pos);
      const j = joinWords(pos);
      return [{ text: j.text, split: !quoted, quoted, from: j.from }];
    }
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      if (n === 0) return [lit(this.env.scriptName(), quoted)];
      const pos = this.env.positional();
      if (!pos) return [unknownSeg()];
      const w = pos[n - 1];
      return [{ text: w ? w.text : '', split: !quoted, quoted, from: w?.from ?? PLAIN }];
    }
    if (name === '#') {
      const pos = this.env.positional();
      return [pos ? lit(String(pos.length), true) : unknownSeg()];
    }
    // the shell's own pid and other counters are numbers: a name built from one (`/tmp/out.$$`) is one fresh file, not any path
    if (name === '$' || (/^(?:RANDOM|SRANDOM|BASHPID|SECONDS|EPOCHSECONDS|LINENO)$/.test(name) && !this.env.lookup(name))) return [lit(PLACEHOLDER_NUMBER, quoted)];
    if (/^[?$!-]$/.test(name)) return [unknownSeg()];
    const v = this.env.lookup(name);
    // the shell's parent: the agent itself (`kill $PPID`)
    if (!v && name === 'PPID') return [{ ...unknownSeg(), producer: PARENT_PID }];
    if (!v) return [unknownSeg()];
    const w = v.kind === 'scalar' ? v.word : v.items[0] ?? { text: '', dynamic: false, glob: false, from: PLAIN };
    return [{ text: w.text, split: !quoted, quoted, from: w.from }];
  }

  private expansion(node: ShellNode, quoted: boolean): Segment[] {
    const src = this.tree.source;
    const inner = src.slice(node.start + 2, node.end - 1);
    // Simple forms handled textually first.
    if (/^[A-Za-z_][A-Za-z0-9_]*$|^\d+$|^[@*#?$!-]$/.test(inner)) return this.expandName(inner, quoted);
    const indirect = /^!([A-Za-z_][A-Za-z0-9_]*|\d+)$/.exec(inner);
    if (indirect) {
      // ${!x}: the variable whose name is the value of x
      const target = this.currentValue(indirect[1]!);
      if (target && !target.dynamic && /^(?:[A-Za-z_][A-Za-z0-9_]*|\d+)$/.test(target.text)) return this.expandName(target.text, quoted);
      // a variable named only at run time may be any of them, a secret among them (`${!v}` over `${!OPENAI*}`)
      return [unknownSeg({ ...(target?.from ?? PLAIN), secret: true })];
    }
    if (/^[#!]/.test(inner) && inner.length > 1) {
      // ${#x} length or ${!x} indirection: not a command or path we can know.
      this.env.scan(node);
      return [unknownSeg()];
    }
    const arr = /^([A-Za-z_][A-Za-z0-9_]*)\[([@*])\]$/.exec(inner);
    if (arr) {
      const v = this.env.lookup(arr[1]!);
      if (!v) return [unknownSeg()];
      const items = v.kind === 'array' ? v.items : [v.word];
      if (quoted && arr[2] === '@') return wordsAsSeparateSegments(items);
      const j = joinWords(items);
      return [{ text: j.text, split: !quoted, quoted, from: j.from }];
    }
    const idx = /^([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]$/.exec(inner);
    if (idx) {
      const v = this.env.lookup(idx[1]!);
      if (!v) return [unknownSeg()];
      const items = v.kind === 'array' ? v.items : [v.word];
      const w = items[Number(idx[2])];
      return [{ text: w?.text ?? '', split: !quoted, quoted, from: w?.from ?? PLAIN }];
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+|[@*])(:?[-=+?]|##?|%%?|\/[\/#%]?|\^\^?|,,?|:|@)/.exec(inner);
    if (!m) {
      this.env.scan(node);
      return [unknownSeg()];
    }
    const name = m[1]!;
    const op = m[2]!;
    const rest = inner.slice(m[0].length);
    const cur = this.currentValue(name);
    const operand = (): Segment[] => this.operandSegments(node, name, op, quoted);
    const joinSegs = (segs: Segment[]) => ({
      text: segs.map((s) => s.text).join(''),
      from: segs.reduce((p, s) => mergeProvenance(p, s.from), PLAIN),
    });
    switch (op) {
      case ':-':
      case '-':
      case ':=':
      case '=': {
        if (cur && !(op.startsWith(':') && cur.text === '')) return [{ text: cur.text, split: !quoted, quoted, from: cur.from }];
        const segs = operand();
        if (op.endsWith('=')) {
          const j = joinSegs(segs);
          this.env.assign(name, { kind: 'scalar', word: { text: j.text, dynamic: j.text.includes(UNKNOWN), glob: false, from: j.from } });
        }
        return segs.map((s) => ({ ...s, split: !quoted && !s.quoted }));
      }
      case ':+':
      case '+':
        if (!cur) return [unknownSeg()];
        if (cur.text === '' && op === ':+') return [lit('', quoted)];
        return operand();
      case ':?':
      case '?':
        return cur ? [{ text: cur.text, split: !quoted, quoted, from: cur.from }] : [unknownSeg()];
      case '#':
      case '##':
      case '%':
      case '%%': {
        if (!cur || cur.dynamic) return [unknownSeg(cur?.from)];
        const pat = joinSegs(operand()).text;
        if (pat.includes(UNKNOWN)) return [unknownSeg(cur.from)];
        return [{ text: applyPattern(cur.text, op, unmark(pat)), split: !quoted, quoted, from: cur.from }];
      }
      case '/':
      case '//':
      case '/#':
      case '/%': {
        if (!cur || cur.dynamic) return [unknownSeg(cur?.from)];
        const slash = findUnescapedSlash(rest);
        const pat = slash < 0 ? rest : rest.slice(0, slash);
        const rep = slash < 0 ? '' : rest.slice(slash + 1);
        if (/[$`]/.test(pat + rep)) {
          this.env.scan(node);
          return [unknownSeg(cur.from)];
        }
        return [{ text: replacePattern(cur.text, op, pat, rep.replace(/\\(.)/g, '$1')), split: !quoted, quoted, from: cur.from }];
      }
      case '^':
      case '^^':
        if (!cur) return [unknownSeg()];
        return [{ text: op === '^^' ? cur.text.toUpperCase() : cur.text.charAt(0).toUpperCase() + cur.text.slice(1), split: !quoted, quoted, from: cur.from }];
      case ',':
      case ',,':
        if (!cur) return [unknownSeg()];
        return [{ text: op === ',,' ? cur.text.toLowerCase() : cur.text.charAt(0).toLowerCase() + cur.text.slice(1), split: !quoted, quoted, from: cur.from }];
      case ':': {
        const mm = /^\s*(-?\s*\d+)\s*(?::\s*(-?\d+))?\s*$/.exec(rest.replace(/^\s*\(\s*(-?\d+)\s*\)/, '$1'));
        if (!cur || cur.dynamic || !mm) return [unknownSeg(cur?.from)];
        let off = Number(mm[1]!.replace(/\s/g, ''));
        if (off < 0) off = Math.max(0, cur.text.length + off);
        let s = cur.text.slice(off);
        if (mm[2] !== undefined) {
          const len = Number(mm[2]);
          s = len >= 0 ? s.slice(0, len) : s.slice(0, Math.max(0, s.length + len));
        }
        return [{ text: s, split: !quoted, quoted, from: cur.from }];
      }
      default:
        this.env.scan(node);
        return [unknownSeg(cur?.from)];
    }
  }

  private currentValue(name: string): ShellWord | undefined {
    if (/^\d+$/.test(name)) {
      const pos = this.env.positional();
      if (!pos) return undefined;
      const n = Number(name);
      return n === 0 ? { text: this.env.scriptName(), dynamic: false, glob: false, from: PLAIN } : pos[n - 1] ?? { text: '', dynamic: false, glob: false, from: PLAIN };
    }
    if (name === '@' || name === '*') {
      const pos = this.env.positional();
      return pos ? joinWords(pos) : undefined;
    }
    const v = this.env.lookup(name);
    if (!v) return undefined;
    return v.kind === 'scalar' ? v.word : joinWords(v.items);
  }

  /** The operand of `${name<op>operand}`: the named children after the operator, in source order. */
  private operandSegments(node: ShellNode, _name: string, op: string, quoted: boolean): Segment[] {
    const src = this.tree.source;
    const inner0 = node.start + 2;
    const opIdx = src.indexOf(op, inner0);
    const from = opIdx < 0 ? node.end - 1 : opIdx + op.length;
    const to = node.end - 1;
    const out: Segment[] = [];
    let pos = from;
    const kids = collectOperandNodes(node, from, to);
    for (const c of kids) {
      if (c.start > pos) out.push(...this.rawOperand(src.slice(pos, c.start), quoted));
      out.push(...this.part(c, quoted));
      pos = c.end;
    }
    if (to > pos) out.push(...this.rawOperand(src.slice(pos, to), quoted));
    return out;
  }

  private rawOperand(raw: string, quoted: boolean): Segment[] {
    if (quoted) return [lit(unescapeDouble(raw), true)];
    const out: Segment[] = [];
    unquotedLiteral(raw, out);
    return out;
  }
}

/** Named descendants that start inside [from, to) and are expansions, substitutions or strings (outermost only). */
function collectOperandNodes(node: ShellNode, from: number, to: number): ShellNode[] {
  const out: ShellNode[] = [];
  const visit = (n: ShellNode) => {
    for (const c of n.children) {
      if (c.end <= from || c.start >= to) continue;
      if (c.start >= from && c.end <= to && /^(?:string|raw_string|ansi_c_string|simple_expansion|expansion|command_substitution|process_substitution|arithmetic_expansion)$/.test(c.type)) {
        out.push(c);
      } else visit(c);
    }
  };
  visit(node);
  out.sort((a, b) => a.start - b.start);
  return out;
}

function findUnescapedSlash(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') { i++; continue; }
    if (s[i] === '/') return i;
  }
  return -1;
}

function unescapeHeredoc(s: string): string {
  return s.replace(/\\([$`\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

/** `"$@"` / `"${a[@]}"`: each element its own field, separated by hard boundaries. */
function wordsAsSeparateSegments(words: ShellWord[]): Segment[] {
  const out: Segment[] = [];
  words.forEach((w, i) => {
    if (i > 0) out.push({ text: '', split: false, quoted: false, from: PLAIN, sep: true });
    out.push({ text: w.text, split: false, quoted: true, from: w.from });
  });
  // No elements: no field at all (an empty unquoted piece).
  if (words.length === 0) out.push({ text: '', split: true, quoted: false, from: PLAIN });
  return out;
}

/** Bash's default `$IFS`. */
const DEFAULT_IFS = ' \t\n';
const ifsPatterns = new Map<string, RegExp>();

/**
 * Split an unquoted expansion result into fields on `ifs` (empty: no splitting). Runs of
 * separators count as one (bash keeps empty fields between non-blank separators: rare, and an
 * empty argument changes no judgement).
 */
export function splitOnIfs(text: string, ifs: string): string[] {
  if (ifs === '') return [text];
  let re = ifsPatterns.get(ifs);
  if (!re) {
    re = new RegExp('[' + ifs.replace(/[\\\]\[^-]/g, '\\$&') + ']+');
    if (ifsPatterns.size < 64) ifsPatterns.set(ifs, re);
  }
  return text.split(re);
}

/** Join words with single spaces into one word. */
export function joinWords(words: ShellWord[]): ShellWord {
  const text = words.map((w) => w.text).join(' ');
  return {
    text,
    dynamic: text.includes(UNKNOWN),
    glob: words.some((w) => w.glob),
    from: words.reduce((p, w) => mergeProvenance(p, w.from), PLAIN),
  };
}
