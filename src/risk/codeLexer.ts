/**
 * A small lexer for interpreter one-liners (Python, JavaScript, Ruby, Perl, PHP, Lua, awk): enough
 * to find string literals, their decoded values, and call argument regions. Interpolated parts of
 * strings (f-strings, `${}`, `#{}`, `$var`) become {@link UNKNOWN}.
 */
import { decodeAnsiC } from './wordEval.js';
import { UNKNOWN } from './shellValue.js';
import type { ScriptLang } from './commands/support.js';

/** A token of interpreter code. */
export interface CodeToken {
  kind: 'string' | 'exec-string' | 'word' | 'punct';
  /** Decoded value for strings, the text otherwise. */
  value: string;
  start: number;
  end: number;
}

const IDENT = /[A-Za-z0-9_$@%:.]/;

/** Tokenize code (comments dropped). Never throws; unterminated strings run to the end. */
export function lexCode(lang: ScriptLang, code: string): CodeToken[] {
  const out: CodeToken[] = [];
  const n = code.length;
  let i = 0;
  const hashComments = lang === 'python' || lang === 'ruby' || lang === 'perl' || lang === 'php' || lang === 'sh' || lang === 'awk';
  const slashComments = lang === 'node' || lang === 'php';
  while (i < n) {
    const c = code[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    // comments
    if (hashComments && c === '#' && !(lang === 'ruby' && code[i + 1] === '{')) {
      while (i < n && code[i] !== '\n') i++;
      continue;
    }
    if (slashComments && c === '/' && code[i + 1] === '/') { while (i < n && code[i] !== '\n') i++; continue; }
    if (slashComments && c === '/' && code[i + 1] === '*') { const e = code.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue; }
    if (lang === 'lua' && c === '-' && code[i + 1] === '-') { while (i < n && code[i] !== '\n') i++; continue; }
    // Python string prefixes
    if (lang === 'python') {
      const m = /^([rRbBuUfF]{1,2})?('''|"""|'|")/.exec(code.slice(i, i + 5));
      if (m && (m[1] === undefined || /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/.test(m[1]))) {
        const prefix = (m[1] ?? '').toLowerCase();
        const q = m[2]!;
        const start = i;
        i += (m[1]?.length ?? 0) + q.length;
        const end = findClose(code, i, q, !prefix.includes('r'));
        const raw = code.slice(i, end);
        i = Math.min(n, end + q.length);
        let v = prefix.includes('r') ? raw : decodeAnsiC(raw);
        if (prefix.includes('f')) v = v.replace(/\{[^{}]*\}/g, homeOr);
        out.push({ kind: 'string', value: v, start, end: i });
        continue;
      }
    }
    if (c === '"' || c === "'" || (c === '`' && lang !== 'python' && lang !== 'lua' && lang !== 'awk')) {
      const start = i;
      i++;
      const end = findClose(code, i, c, lang !== 'awk' || c === '"');
      const raw = code.slice(i, end);
      i = Math.min(n, end + 1);
      let v: string;
      if (c === "'" && (lang === 'perl' || lang === 'php' || lang === 'ruby')) v = raw.replace(/\\([\\'])/g, '$1');
      else v = decodeAnsiC(raw);
      if (c !== "'" || lang === 'node' || lang === 'lua') v = interpolate(lang, v, c);
      const execString = c === '`' && (lang === 'ruby' || lang === 'perl' || lang === 'php');
      out.push({ kind: execString ? 'exec-string' : 'string', value: v, start, end: i });
      continue;
    }
    // Perl q/qq/qx and Ruby %x %q %Q %w
    if ((lang === 'perl' || lang === 'ruby') && /[qx%]/.test(c)) {
      const m = lang === 'perl' ? /^(qq|qx|qw|q)\s*([^\w\s])/.exec(code.slice(i, i + 4)) : /^%([xqQwWi]?)([^\w\s])/.exec(code.slice(i, i + 3));
      if (m && !(i > 0 && IDENT.test(code[i - 1]!))) {
        const open = m[2]!;
        const close = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[open] ?? open;
        const start = i;
        i += m[0].length;
        const end = findBalanced(code, i, open, close);
        const raw = code.slice(i, end);
        i = Math.min(n, end + 1);
        const kind = m[1] === 'qx' || m[1] === 'x' ? 'exec-string' : 'string';
        out.push({ kind, value: interpolate(lang, raw, '"'), start, end: i });
        continue;
      }
    }
    // Lua long strings
    if (lang === 'lua' && c === '[' && /^\[=*\[/.test(code.slice(i))) {
      const m = /^\[(=*)\[/.exec(code.slice(i))!;
      const close = ']' + m[1] + ']';
      const start = i;
      i += m[0].length;
      const e = code.indexOf(close, i);
      const end = e < 0 ? n : e;
      out.push({ kind: 'string', value: code.slice(i, end), start, end: Math.min(n, end + close.length) });
      i = Math.min(n, end + close.length);
      continue;
    }
    if (IDENT.test(c)) {
      const start = i;
      while (i < n && IDENT.test(code[i]!)) i++;
      out.push({ kind: 'word', value: code.slice(start, i), start, end: i });
      continue;
    }
    out.push({ kind: 'punct', value: c, start: i, end: i + 1 });
    i++;
  }
  return out;
}

function findClose(code: string, from: number, q: string, escapes: boolean): number {
  for (let i = from; i < code.length; i++) {
    if (escapes && code[i] === '\\') { i++; continue; }
    if (code.startsWith(q, i)) return i;
  }
  return code.length;
}

function findBalanced(code: string, from: number, open: string, close: string): number {
  let depth = 1;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') { i++; continue; }
    if (c === open && open !== close) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return code.length;
}

/** An interpolated expression that is the home directory (`${os.homedir()}`, `#{Dir.home}`, `$ENV{HOME}`) is `~`. */
const HOME_INTERPOLATION = /^(?:\$\{|#\{|\{)?\s*(?:os\.homedir\(\)|require\(['"](?:node:)?os['"]\)\.homedir\(\)|process\.env\.HOME|Bun\.env\.HOME|process\.env\[['"]HOME['"]\]|Dir\.home|ENV\[['"]HOME['"]\]|\$ENV\{HOME\}|\$HOME|os\.path\.expanduser\(['"]~['"]\)|Path\.home\(\)|pathlib\.Path\.home\(\)|os\.environ\[['"]HOME['"]\]|os\.getenv\(['"]HOME['"]\)|os\.environ\.get\(['"]HOME['"]\))\s*\}?$/;
const homeOr = (expr: string): string => (HOME_INTERPOLATION.test(expr) ? '~' : UNKNOWN);

function interpolate(lang: ScriptLang, v: string, quote: string): string {
  switch (lang) {
    case 'node': return quote === '`' ? v.replace(/\$\{[^}]*\}/g, homeOr) : v;
    case 'ruby': return v.replace(/#\{[^}]*\}/g, homeOr);
    case 'perl': return v.replace(/[$@][A-Za-z_][\w:]*(?:\{[^}]*\}|\[[^\]]*\])?|\$\{[^}]*\}/g, homeOr);
    case 'php': return v.replace(/\{\$[^}]*\}|\$[A-Za-z_]\w*(?:\[[^\]]*\]|->\w+)?/g, UNKNOWN);
    default: return v;
  }
}

/** The tokens of the argument region after an API name at token index `at` (parenthesized, or to end of statement). */
export function argRegion(tokens: CodeToken[], at: number): CodeToken[] {
  let i = at + 1;
  const t = tokens[i];
  if (t && t.kind === 'punct' && t.value === '(') {
    let depth = 1;
    const start = i + 1;
    for (i = start; i < tokens.length; i++) {
      const v = tokens[i]!;
      if (v.kind !== 'punct') continue;
      if (v.value === '(' || v.value === '[' || v.value === '{') depth++;
      else if (v.value === ')' || v.value === ']' || v.value === '}') if (--depth === 0) return tokens.slice(start, i);
    }
    return tokens.slice(start);
  }
  // Paren-less call (Perl, Ruby): to the end of the statement.
  const start = i;
  let depth = 0;
  for (; i < tokens.length; i++) {
    const v = tokens[i]!;
    if (v.kind !== 'punct') continue;
    if (v.value === '(' || v.value === '[' || v.value === '{') depth++;
    else if (v.value === ')' || v.value === ']' || v.value === '}') { if (depth === 0) break; depth--; }
    else if (depth === 0 && (v.value === ';')) break;
  }
  return tokens.slice(start, i);
}

/** Split a region into top-level comma-separated arguments. */
export function splitArgs(region: CodeToken[]): CodeToken[][] {
  const out: CodeToken[][] = [];
  let cur: CodeToken[] = [];
  let depth = 0;
  for (const t of region) {
    if (t.kind === 'punct') {
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') depth--;
      else if (t.value === ',' && depth === 0) { out.push(cur); cur = []; continue; }
    }
    cur.push(t);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Calls that return (a path built from) their string arguments unchanged. */
const TRANSPARENT = /(?:^|[.:])(?:glob|iglob|bsd_glob|expanduser|expandvars|Path|PurePath|PosixPath|abspath|realpath|normpath|resolve|expand_path|absolute_path|str|String|new|fspath|normalize|absolute|canonicalize|canonpath|rel2abs|expand|path_expand|normalizePath|expandingTildeInPath|split|strip|lstrip|rstrip|trim|chomp|to_s|toString|to_str|URL|fileURLWithPath)$/;
/** Calls that join their arguments into a path. */
const JOIN = /(?:^|[.:])(?:join|joinpath|catfile|catdir)$/;
/** Expressions that mean "the home directory". */
const HOME_EXPR = /^(?:Dir\.home|os\.homedir|Path\.home|pathlib\.Path\.home|homedir|File\.home|\$ENV\{HOME\}|\$HOME|process\.env\.HOME|Bun\.env\.HOME|ENV\.fetch|os\.environ|os\.environ\.get|os\.getenv|getenv|ENV|process\.env|Deno\.env\.get|Sys\.getenv|System\.get_env|System\.getenv|System\.getProperty|os\.Getenv|os\.LookupEnv|NSHomeDirectory|os\.UserHomeDir|System\.user_home!?|user-homedir-pathname|user_homedir_pathname|Deno\.homeDir|homeDirectoryForCurrentUser|FileManager\.default\.homeDirectoryForCurrentUser)(?:\.path)?$/;
/** Calls that make a new temporary directory and return its name (`tempfile.mkdtemp()`, `fs.mkdtempSync(prefix)`, `Dir.mktmpdir`). */
const FRESH_TEMP_DIR = /^(?:tempfile\.mkdtemp|mkdtemp|fs\.mkdtempSync|mkdtempSync|Dir\.mktmpdir)$/;
/** Calls that return the temporary directory (`tempfile.gettempdir()`, `os.tmpdir()`, `Dir.tmpdir`). */
const TEMP_DIR = /^(?:tempfile\.gettempdir|gettempdir|os\.tmpdir|Dir\.tmpdir)$/;
/** Home expressions that need no argument (`os.homedir()`, `NSHomeDirectory()`). */
const HOME_DIRECT = /^(?:Dir\.home|os\.homedir|Path\.home|pathlib\.Path\.home|homedir|File\.home|\$ENV\{HOME\}|\$HOME|process\.env\.HOME|Bun\.env\.HOME|NSHomeDirectory|os\.UserHomeDir|System\.user_home!?|user-homedir-pathname|user_homedir_pathname|Deno\.homeDir|homeDirectoryForCurrentUser|FileManager\.default\.homeDirectoryForCurrentUser)(?:\.path)?$/;

/**
 * The value of an expression: string literals concatenated, path-building calls (`os.path.join`,
 * `Path(...)`, `expanduser`) followed, the home directory as `~`, anything else {@link UNKNOWN}.
 * A list literal (`[a, b]`) becomes its elements joined by spaces (shell-quoted when needed).
 */
export function exprValue(tokens: CodeToken[]): { text: string; literal: boolean } {
  // a splat (`*args`, `*ARGV`) is its list
  if (tokens.length > 1 && tokens[0]!.kind === 'punct' && tokens[0]!.value === '*') return exprValue(tokens.slice(1));
  if (tokens.length === 0) return { text: UNKNOWN, literal: false };
  const first = tokens[0]!;
  if (first.kind === 'punct' && (first.value === '[' || first.value === '(')) {
    const close = matchClose(tokens, 0);
    if (close === tokens.length - 1) {
      const inner = tokens.slice(1, close);
      const parts = splitArgs(inner).map(exprValue);
      if (parts.length > 0 && (first.value === '[' || parts.length > 1)) {
        return { text: parts.map((p) => quoteForShell(p.text)).join(' '), literal: parts.every((p) => p.literal) };
      }
    }
  }
  let text = '';
  let literal = true;
  const unknown = () => {
    literal = false;
    if (!text.endsWith(UNKNOWN)) text += UNKNOWN;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'string' && isJoinCall(tokens, i + 1)) {
      // ' '.join(parts)
      const close = matchClose(tokens, i + 2);
      const joined = joinParts(tokens.slice(i + 3, close), t.value);
      if (!joined.literal) literal = false;
      text += joined.text;
      i = close;
      continue;
    }
    if (t.kind === 'string' || t.kind === 'exec-string') { text += t.value; continue; }
    if (t.kind === 'punct') {
      if (/^[+.,]$/.test(t.value) || t.value === ')' ) continue;
      if (t.value === '(') continue;
      if (t.value === '[' && isJoinCall(tokens, matchClose(tokens, i) + 1)) {
        // [parts].join(sep)
        const c = matchClose(tokens, i);
        const close = matchClose(tokens, c + 2);
        const sep = exprValue(tokens.slice(c + 3, close));
        const joined = joinParts(tokens.slice(i, c + 1), sep.text === UNKNOWN ? ',' : sep.text);
        if (!joined.literal || !sep.literal) literal = false;
        text += joined.text;
        i = close;
        continue;
      }
      if (t.value === '[' || t.value === '{') { const c = matchClose(tokens, i); unknown(); i = c; continue; }
      if (t.value === '/' && (tokens[i + 1]?.kind === 'string')) { text += '/'; continue; }
      unknown();
      continue;
    }
    // words
    const next = tokens[i + 1];
    const isCall = next?.kind === 'punct' && next.value === '(';
    if (t.value === '..' || t.value === '.') continue;
    if (HOME_EXPR.test(t.value)) {
      // os.environ['HOME'], getenv('HOME'), ENV['HOME'], Dir.home, os.homedir()
      const argTok = isCall || (next?.kind === 'punct' && next.value === '[') ? tokens[i + 2] : undefined;
      const direct = HOME_DIRECT.test(t.value);
      if (direct || (argTok?.kind === 'string' && (argTok.value === 'HOME' || argTok.value === 'user.home'))) {
        text += '~';
        if (isCall || (next?.kind === 'punct' && next.value === '[')) i = matchClose(tokens, i + 1);
        continue;
      }
    }
    // a fresh temporary directory (a new name no other path has), and the temporary directory itself
    if (isCall && FRESH_TEMP_DIR.test(t.value)) {
      const close = matchClose(tokens, i + 1);
      const args = tokens.slice(i + 2, close);
      if (t.value.endsWith('mkdtempSync')) {
        const prefix = exprValue(args);
        if (!prefix.literal) literal = false;
        text += `${prefix.text}XXXXXX`;
      } else if (args.some((a) => a.kind === 'word' && /^(?:dir|tmpdir)$/.test(a.value))) unknown();
      else text += '/tmp/tmp.XXXXXXXX';
      i = close;
      continue;
    }
    if (isCall && TEMP_DIR.test(t.value)) {
      text += '/tmp';
      i = matchClose(tokens, i + 1);
      continue;
    }
    if (isCall && /^(?:require|__import__|importlib\.import_module|import)$/.test(t.value)) {
      i = matchClose(tokens, i + 1);
      continue;
    }
    if (/^\.?(?:homedir|home)$/.test(t.value) && (isCall || t.value === '.home')) {
      text += '~';
      if (isCall) i = matchClose(tokens, i + 1);
      continue;
    }
    if (isCall && JOIN.test(t.value)) {
      const close = matchClose(tokens, i + 1);
      const parts = splitArgs(tokens.slice(i + 2, close)).map(exprValue);
      if (parts.some((p) => !p.literal)) literal = false;
      text += parts.map((p) => p.text).join('/').replace(/\/+/g, '/');
      i = close;
      continue;
    }
    if (isCall && TRANSPARENT.test(t.value)) continue;
    if (t.value.startsWith('.') && TRANSPARENT.test(t.value)) { if (isCall) i = matchClose(tokens, i + 1); continue; }
    unknown();
    if (isCall) i = matchClose(tokens, i + 1);
  }
  return { text, literal };
}

/** Is tokens[at] a `.join(` call? */
function isJoinCall(tokens: CodeToken[], at: number): boolean {
  const t = tokens[at];
  const n = tokens[at + 1];
  return t?.kind === 'word' && t.value === '.join' && n?.kind === 'punct' && n.value === '(';
}

/** The elements of a list expression (or a single value) joined with `sep`. */
function joinParts(tokens: CodeToken[], sep: string): { text: string; literal: boolean } {
  const first = tokens[0];
  const whole = first?.kind === 'punct' && (first.value === '[' || first.value === '(') && matchClose(tokens, 0) === tokens.length - 1;
  const parts = whole ? splitArgs(tokens.slice(1, -1)).map(exprValue) : [exprValue(tokens)];
  return { text: parts.map((p) => p.text).join(sep), literal: parts.every((p) => p.literal) };
}

/** Index of the bracket closing the one at `open` (or the last index). */
export function matchClose(tokens: CodeToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
    else if (t.value === ')' || t.value === ']' || t.value === '}') if (--depth === 0) return i;
  }
  return tokens.length - 1;
}

function quoteForShell(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./\-~\uE000]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'\\''`) + "'";
}
