/**
 * Name bindings in interpreter code, resolved before its calls are matched against known APIs:
 * module aliases (`import os as o`, `from os import system as s`, `const {execSync: x} =
 * require('child_process')`, `x = os.system`), modules used in place (`__import__('os').system`,
 * `require('fs')['rm' + 'Sync']`, `getattr(os, 'system')`, Ruby `send(:system, …)`), values
 * assigned once and used later (`c = 'rm -rf ~'; os.system(c)`), loop variables over directory
 * listings (`for p in Path.home().rglob('*')`), and the program's own arguments (`sys.argv`,
 * `@ARGV`, `process.argv`, `ARGV`).
 */
import { type CodeToken, exprValue, matchClose, splitArgs } from './codeLexer.js';
import type { ScriptLang } from './commands/support.js';
import { UNKNOWN } from './shellValue.js';

/** The language of code being bound: a script language, or `other` for runtimes scanned generically. */
export type BindLang = ScriptLang | 'other';

/** Interpreter code with its names resolved. */
export interface CodeBindings {
  /** The tokens with aliases expanded, module expressions merged and known values substituted. */
  tokens: CodeToken[];
  /** Calls on a process or file module whose function name is only known at run time. */
  dynamic: string[];
}

/** Modules (and objects) whose functions run processes or delete files. */
const SENSITIVE_MODULE = /^(?:os|posix|subprocess|pty|shutil|commands|child_process|fs|fs\.promises|fs-extra|Kernel|Process|IO|Open3|FileUtils|Deno|Bun|builtins|__builtins__|Runtime|System|exec|syscall)$/;
const IMPORT_FN = /^(?:__import__|importlib\.import_module|import_module|require|import)$/;
const MODULE_NAME = /^(?:node:)?[A-Za-z_@][\w.@/-]*$/;
const DECL = /^(?:const|let|var|my|our|local|val|final|auto|global)$/;
const NAME = /^[$@]?[A-Za-z_][\w]*$/;
const MUTATOR = /^(?:append|extend|insert|push|unshift|update|add|concat|prepend|replace!?|gsub!|sub!|setdefault|splice|fill|reverse!?|clear)$/;
/** Calls allowed on the right of an assignment whose value is still followed (path and string helpers). */
const PURE_CALL = /(?:^|[.:])(?:join|joinpath|catfile|catdir|glob|iglob|expanduser|expandvars|Path|PurePath|PosixPath|abspath|realpath|normpath|resolve|expand_path|absolute_path|str|String|fspath|normalize|absolute|expand|path_expand|homedir|home|split|strip|lstrip|rstrip|trim|chomp|to_s|toString|format|getenv|get|Getenv|fetch|UserHomeDir|NSHomeDirectory|user_home|file\.path|getProperty|mkdtemp|mkdtempSync|mktmpdir|gettempdir|tmpdir)$/;

const word = (value: string, at: CodeToken): CodeToken => ({ kind: 'word', value, start: at.start, end: at.end });
const str = (value: string, at: CodeToken): CodeToken => ({ kind: 'string', value, start: at.start, end: at.end });
const punct = (value: string, at: CodeToken): CodeToken => ({ kind: 'punct', value, start: at.start, end: at.end });
const isPunct = (t: CodeToken | undefined, v: string): boolean => t?.kind === 'punct' && t.value === v;

/**
 * Resolve the names in tokenized interpreter code.
 * @param argv the program's arguments after the code (null when unknown)
 */
export function codeBindings(lang: BindLang, tokens: CodeToken[], code: string, argv: readonly string[] | null): CodeBindings {
  const dynamic: string[] = [];
  let t = mergeModuleAccess(tokens);
  const aliases = moduleAliases(lang, code, t);
  if (aliases.size > 0) t = t.map((tok) => expandAlias(tok, aliases));
  t = mergeModuleAccess(t);
  findDynamicAccess(t, dynamic);
  if (argv) t = substituteArgv(lang, t, argv);
  t = substituteValues(t, code);
  return { tokens: t, dynamic };
}

/** A module name from an import call's argument (`'os'`, `'node:child_process'`), or null. */
function moduleOf(args: CodeToken[]): string | null {
  const v = exprValue(args);
  if (!v.literal || !MODULE_NAME.test(v.text) || v.text.startsWith('.')) return null;
  return v.text.replace(/^node:/, '').replace(/\//g, '.');
}

/** A literal member name (`'exec' + 'Sync'`, `:system`), or null. */
function memberName(tokens: CodeToken[]): string | null {
  if (tokens.length === 1 && tokens[0]!.kind === 'word' && /^:[A-Za-z_]\w*[!?]?$/.test(tokens[0]!.value)) return tokens[0]!.value.slice(1);
  if (tokens.length === 0 || tokens.some((x) => x.kind === 'word')) return null;
  const v = exprValue(tokens);
  return v.literal && /^[A-Za-z_$][\w$]*[!?]?$/.test(v.text) ? v.text : null;
}

const clean = (name: string): string => name.replace(/\.__dict__(?=\.)/g, '');

/**
 * Fold module expressions into dotted words: `__import__('os').system` -> `os.system`,
 * `require('fs')['rm'+'Sync']` -> `fs.rmSync`, `getattr(os, 'system')` -> `os.system`,
 * `os.__dict__['system'](…)` -> `os.system(…)`, Ruby `Kernel.send(:system, …)` -> `Kernel.system(…)`.
 */
function mergeModuleAccess(tokens: CodeToken[]): CodeToken[] {
  const out: CodeToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || !isPunct(tokens[i + 1], '(')) {
      if (t.kind === 'word' && isPunct(tokens[i + 1], '[')) {
        const c = matchClose(tokens, i + 1);
        const name = memberName(tokens.slice(i + 2, c));
        if (name !== null && isPunct(tokens[c + 1], '(')) { out.push(word(clean(`${t.value}.${name}`), t)); i = c; continue; }
      }
      out.push(t);
      continue;
    }
    const close = matchClose(tokens, i + 1);
    const args = splitArgs(tokens.slice(i + 2, close));
    if (IMPORT_FN.test(t.value)) {
      const mod = moduleOf(args[0] ?? []);
      if (mod !== null) {
        const next = tokens[close + 1];
        if (next?.kind === 'word' && next.value.startsWith('.')) { out.push(word(clean(mod + next.value), t)); i = close + 1; continue; }
        if (isPunct(next, '[')) {
          const c = matchClose(tokens, close + 1);
          const name = memberName(tokens.slice(close + 2, c));
          if (name !== null) { out.push(word(`${mod}.${name}`, t)); i = c; continue; }
        }
        out.push(word(mod, t));
        i = close;
        continue;
      }
    }
    if (t.value === 'getattr' && args.length >= 2) {
      const recv = mergeModuleAccess(args[0]!);
      const name = memberName(args[1]!);
      if (recv.length === 1 && recv[0]!.kind === 'word' && name !== null) { out.push(word(clean(`${recv[0]!.value}.${name}`), t)); i = close; continue; }
    }
    const send = /^(?:(.*)\.)?(?:send|public_send|__send__|method)$/.exec(t.value);
    if (send && args.length >= 1) {
      const name = memberName(args[0]!);
      if (name !== null) {
        const target = send[1] ? `${send[1]}.${name}` : name;
        if (t.value.endsWith('method')) {
          // method(:system).call(…)
          const call = tokens[close + 1];
          if (call?.kind === 'word' && /^\.(?:call|\(\))$/.test(call.value)) { out.push(word(target, t)); i = close + 1; continue; }
        } else {
          out.push(word(target, t), tokens[i + 1]!);
          i = i + 1 + args[0]!.length + (args.length > 1 ? 1 : 0);
          continue;
        }
      }
    }
    out.push(t);
  }
  return out;
}

/** Module aliases from import statements and assignments of module members (`x = os.system`). */
function moduleAliases(lang: BindLang, code: string, tokens: CodeToken[]): Map<string, string> {
  const out = new Map<string, string>();
  if (lang === 'python' || lang === 'other') {
    for (const m of code.matchAll(/(?:^|[;\n])\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/g)) {
      for (const part of m[1]!.split(',')) {
        const a = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (a?.[2]) out.set(a[2], a[1]!);
      }
    }
    for (const m of code.matchAll(/\bfrom\s+([\w.]+)\s+import\s+\(?([\w\s,]+)\)?/g)) {
      for (const part of m[2]!.split(',')) {
        const a = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (a) out.set(a[2] ?? a[1]!, `${m[1]}.${a[1]}`);
      }
    }
  }
  if (lang === 'node' || lang === 'other') {
    const src = (s: string) => s.replace(/^node:/, '').replace(/\//g, '.');
    for (const m of code.matchAll(/\{([\w\s,:$]+)\}\s*=\s*(?:require\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:await\s+)?import\s*\(\s*['"]([^'"]+)['"]\s*\)|([\w$.]+))/g)) {
      const mod = m[2] ?? m[3] ?? out.get(m[4]!) ?? m[4]!;
      for (const part of m[1]!.split(',')) {
        const a = /^\s*([\w$]+)\s*(?::\s*([\w$]+))?\s*$/.exec(part);
        if (a) out.set(a[2] ?? a[1]!, `${src(mod)}.${a[1]}`);
      }
    }
    for (const m of code.matchAll(/\bimport\s*\{([\w\s,$]+)\}\s*from\s*['"]([^'"]+)['"]/g)) {
      for (const part of m[1]!.split(',')) {
        const a = /^\s*([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(part);
        if (a) out.set(a[2] ?? a[1]!, `${src(m[2]!)}.${a[1]}`);
      }
    }
    for (const m of code.matchAll(/\bimport\s+(?:\*\s+as\s+)?([\w$]+)\s+from\s*['"]([^'"]+)['"]/g)) out.set(m[1]!, src(m[2]!));
  }
  // x = os.system / sp = subprocess / cp = require('child_process') (already folded to a word) / f <- system; f(…)
  const called = new Set(tokens.filter((x, k) => x.kind === 'word' && isPunct(tokens[k + 1], '(')).map((x) => x.value));
  for (const site of assignments(tokens, code)) {
    const rhs = tokens.slice(site.from, site.to);
    if (rhs.length !== 1 || rhs[0]!.kind !== 'word') continue;
    const v = rhs[0]!.value;
    const head = v.split('.')[0]!;
    const resolved = out.has(head) ? out.get(head)! + v.slice(head.length) : v;
    if (v.includes('.') || out.has(head) || SENSITIVE_MODULE.test(v) || (called.has(site.name) && NAME.test(v))) out.set(site.name, resolved);
  }
  return out;
}

/** `o.system` with `o` an alias of `os` -> `os.system`. */
function expandAlias(t: CodeToken, aliases: Map<string, string>): CodeToken {
  if (t.kind !== 'word') return t;
  const head = /^[$@]?[A-Za-z_][\w$]*/.exec(t.value)?.[0];
  if (!head) return t;
  const target = aliases.get(head);
  return target === undefined || target === head ? t : word(target + t.value.slice(head.length), t);
}

/** Calls on sensitive modules whose member name is computed: `getattr(os, n)(…)`, `cp[n](…)`, `send(n, …)`. */
function findDynamicAccess(tokens: CodeToken[], out: string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    const next = tokens[i + 1];
    if (isPunct(next, '[')) {
      const c = matchClose(tokens, i + 1);
      if (isPunct(tokens[c + 1], '(') && SENSITIVE_MODULE.test(t.value.replace(/\.__dict__$/, ''))) out.push(`${t.value}[…](…)`);
      continue;
    }
    if (!isPunct(next, '(')) continue;
    const args = splitArgs(tokens.slice(i + 2, matchClose(tokens, i + 1)));
    const recv = args[0]?.[0];
    if (t.value === 'getattr' && recv?.kind === 'word' && (SENSITIVE_MODULE.test(recv.value) || IMPORT_FN.test(recv.value))) out.push(`getattr(${recv.value}, …)`);
    if (IMPORT_FN.test(t.value) && moduleOf(args[0] ?? []) === null && (args[0] ?? []).some((x) => x.kind === 'word') && t.value !== 'require') out.push(`${t.value}(…)`);
    const send = /^(?:(.*)\.)?(?:send|public_send|__send__)$/.exec(t.value);
    if (send && (send[1] === undefined || SENSITIVE_MODULE.test(send[1])) && args[0] && memberName(args[0]) === null) out.push(`${t.value}(…)`);
  }
}

/** The arguments as a list literal's tokens. */
function listTokens(items: readonly string[], at: CodeToken): CodeToken[] {
  const out: CodeToken[] = [punct('[', at)];
  items.forEach((s, k) => {
    if (k > 0) out.push(punct(',', at));
    out.push(str(s, at));
  });
  out.push(punct(']', at));
  return out;
}

/** How each language spells its argument vector: the word, and what index 0 holds before the arguments. */
const ARGV: Partial<Record<BindLang, { names: RegExp; lead: string[] }>> = {
  python: { names: /^sys\.argv$/, lead: ['-c'] },
  node: { names: /^process\.argv$/, lead: ['node'] },
  perl: { names: /^(?:@ARGV|\$ARGV)$/, lead: [] },
  ruby: { names: /^(?:ARGV|\$\*)$/, lead: [] },
  php: { names: /^\$argv$/, lead: ['Standard input code'] },
  lua: { names: /^arg$/, lead: ['-e'] },
};

/** Replace reads of the program's arguments with their values. */
function substituteArgv(lang: BindLang, tokens: CodeToken[], argv: readonly string[]): CodeToken[] {
  const spec = ARGV[lang];
  if (!spec) return tokens;
  const full = lang === 'lua' ? argv.slice() : [...spec.lead, ...argv];
  const at = (k: number) => (lang === 'lua' ? full[k - 1] : full[k]) ?? UNKNOWN;
  const out: CodeToken[] = [];
  let shifts = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') { out.push(t); continue; }
    if (lang === 'perl' && t.value === 'shift' && !/\bsub\b/.test(tokens.map((x) => x.value).join(' '))) {
      out.push(str(argv[shifts++] ?? UNKNOWN, t));
      if (tokens[i + 1]?.value === '@ARGV') i++;
      continue;
    }
    const m = /^([^.]+(?:\.argv)?)(\..*)?$/.exec(t.value);
    if (!m || !spec.names.test(m[1]!)) { out.push(t); continue; }
    const rest = m[2] ?? '';
    if (rest === '' && isPunct(tokens[i + 1], '[')) {
      const c = matchClose(tokens, i + 1);
      const idx = tokens.slice(i + 2, c).map((x) => x.value).join('');
      const one = /^(-?\d+)$/.exec(idx);
      const slice = /^(\d*):(\d*)$/.exec(idx);
      if (one) { const k = Number(one[1]); out.push(str(k < 0 ? full[full.length + k] ?? UNKNOWN : at(k), t)); i = c; continue; }
      if (slice) { out.push(...listTokens(full.slice(Number(slice[1] || 0), slice[2] ? Number(slice[2]) : undefined), t)); i = c; continue; }
      out.push(t);
      continue;
    }
    const sl = /^\.slice$/.exec(rest);
    if (sl && isPunct(tokens[i + 1], '(')) {
      const c = matchClose(tokens, i + 1);
      const k = Number(tokens.slice(i + 2, c).map((x) => x.value).join(''));
      out.push(...listTokens(Number.isInteger(k) ? full.slice(k) : [], t));
      i = c;
      continue;
    }
    const userArgs = lang === 'ruby' || lang === 'perl' ? argv : full;
    if (rest === '.first') { out.push(str(argv[0] ?? UNKNOWN, t)); continue; }
    out.push(...listTokens(userArgs, t));
    if (rest) out.push(word(rest, t));
  }
  return out;
}

/** One assignment `name = value` at statement level: the value's token range. */
interface Assignment {
  name: string;
  at: number;
  from: number;
  to: number;
}

const newlineBetween = (code: string, a: CodeToken | undefined, b: CodeToken): boolean => a !== undefined && code.slice(a.end, b.start).includes('\n');

/** Statement-level assignments (`x = …`, `const x = …`, `my $x = …`, `x := …`). */
function assignments(tokens: CodeToken[], code: string): Assignment[] {
  const out: Assignment[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    const name = t.value.replace(/:$/, '');
    if (!NAME.test(name) || DECL.test(name)) continue;
    let eq = i + 1;
    if (tokens[eq]?.kind === 'word' && tokens[eq]!.value === ':' ) eq++;
    if (isPunct(tokens[eq], '<') && isPunct(tokens[eq + 1], '-') && tokens[eq + 1]!.start === tokens[eq]!.end) eq++; // R: x <- value
    else if (!isPunct(tokens[eq], '=') || isPunct(tokens[eq + 1], '=') || isPunct(tokens[eq + 1], '>') || isPunct(tokens[eq + 1], '~')) continue;
    const prev = tokens[i - 1];
    const boundary = prev === undefined || (prev.kind === 'punct' && /^[;{}]$/.test(prev.value)) || (prev.kind === 'word' && DECL.test(prev.value)) || (code !== '' && newlineBetween(code, prev, t) && !(prev.kind === 'punct' && /^[(,[+\-*/=]$/.test(prev.value)));
    if (!boundary) continue;
    let j = eq + 1;
    let depth = 0;
    for (; j < tokens.length; j++) {
      const v = tokens[j]!;
      if (v.kind === 'punct') {
        if (/^[([{]$/.test(v.value)) depth++;
        else if (/^[)\]}]$/.test(v.value)) { if (depth === 0) break; depth--; }
        else if (depth === 0 && (v.value === ';' || v.value === ',')) break;
      }
      if (depth === 0 && j > eq + 1 && code !== '' && newlineBetween(code, tokens[j - 1], v) && !(tokens[j - 1]!.kind === 'punct' && /^[+([,.]$/.test(tokens[j - 1]!.value))) break;
      if (depth === 0 && v.kind === 'word' && /^(?:do|then)$/.test(v.value)) break;
    }
    out.push({ name, at: i, from: eq + 1, to: j });
  }
  return out;
}

/** Names changed other than by one plain assignment (`x += …`, `x.append(…)`, `x[0] = …`, `x << …`). */
function mutated(tokens: CodeToken[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    const m = /^([$@]?[A-Za-z_]\w*)(?:\.(\w+[!?]?))?\.?$/.exec(t.value);
    if (!m) continue;
    const n1 = tokens[i + 1];
    const n2 = tokens[i + 2];
    if (m[2] && MUTATOR.test(m[2])) out.add(m[1]!);
    else if (!m[2] && n1?.kind === 'punct' && /^[-+*/%|&^.<>?]$/.test(n1.value) && isPunct(n2, '=')) out.add(m[1]!);
    else if (!m[2] && t.value.endsWith('.') && isPunct(n1, '=')) out.add(m[1]!);
    else if (!m[2] && isPunct(n1, '<') && isPunct(n2, '<')) out.add(m[1]!);
    else if (!m[2] && isPunct(n1, '[') && isPunct(tokens[matchClose(tokens, i + 1) + 1], '=') && !isPunct(tokens[matchClose(tokens, i + 1) + 2], '=')) out.add(m[1]!);
  }
  return out;
}

/** Is a right-hand side a value we can follow (literals, names, path helpers), not a call with effects? */
function isPure(rhs: CodeToken[]): boolean {
  if (rhs.length === 0) return false;
  for (let k = 0; k < rhs.length; k++) {
    const t = rhs[k]!;
    if (t.kind === 'exec-string') return false;
    if (t.kind === 'word' && isPunct(rhs[k + 1], '(') && !PURE_CALL.test(t.value)) return false;
  }
  return true;
}

/** A value bound to a name, and where the binding itself is written. */
interface Binding {
  value: CodeToken[];
  sites: Set<number>;
}

/** Replace names bound once (to a followable value, or as a loop variable over a listing) with their values. */
function substituteValues(tokens: CodeToken[], code: string): CodeToken[] {
  const count = new Map<string, number>();
  const bound = new Map<string, Binding>();
  const bump = (n: string) => count.set(n, (count.get(n) ?? 0) + 1);
  for (const a of assignments(tokens, code)) {
    bump(a.name);
    const rhs = tokens.slice(a.from, a.to);
    if (isPure(rhs)) bound.set(a.name, { value: rhs, sites: new Set([a.at]) });
  }
  for (const l of loopBindings(tokens, code)) {
    bump(l.name);
    bound.set(l.name, { value: l.value, sites: new Set([l.at]) });
  }
  const bad = mutated(tokens);
  for (const [n, c] of count) if (c > 1 || bad.has(n)) bound.delete(n);
  if (bound.size === 0) return tokens;
  return substitute(tokens, bound, 0);
}

function substitute(tokens: CodeToken[], bound: Map<string, Binding>, depth: number): CodeToken[] {
  const out: CodeToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const m = t.kind === 'word' ? /^([$@]?[A-Za-z_]\w*)(\..+)?$/.exec(t.value.replace(/:$/, '')) : null;
    const b = m ? bound.get(m[1]!) : undefined;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    if (!m || !b || depth > 4 || [...b.sites].some((s) => s === i) || isPunct(next, '=') && !isPunct(tokens[i + 2], '=') || (!m[2] && isPunct(next, '(')) || (prev?.kind === 'word' && /^(?:def|function|sub|class|as|import|from|for|lambda)$/.test(prev.value))) {
      out.push(t);
      continue;
    }
    if (m[2] && b.value.length === 1 && b.value[0]!.kind === 'word') {
      out.push(t);
      continue;
    }
    const value = substitute(b.value, bound, depth + 1).map((v) => ({ ...v, start: t.start, end: t.end }));
    out.push(...value);
    if (m[2]) out.push(word(m[2], t));
  }
  return out;
}

/** Directory listings: what each element of the listing is, given the listed directory or pattern. */
const LISTINGS: { name: RegExp; element: (dir: string, pattern: string) => string; arg: 'receiver' | 'first' }[] = [
  // names of entries: joined with the directory by the caller
  { name: /(?:^|[.:])(?:listdir|readdirSync|readdir|readDirSync|children|entries|each_child|list\.files|dir)$/, element: () => '*', arg: 'first' },
  { name: /(?:^|[.:])(?:walk|find|Find\.find|walkSync)$/, element: (dir) => `${dir}/*`, arg: 'first' },
  { name: /^(?:glob\.glob|glob\.iglob|Dir\.glob|glob|globSync|glob\.sync|fg\.sync|Dir\[\])$/, element: (_dir, pattern) => pattern, arg: 'first' },
  { name: /^\.iterdir$/, element: (dir) => `${dir}/*`, arg: 'receiver' },
  { name: /^\.rglob$/, element: (dir, pattern) => `${dir}/**/${pattern}`, arg: 'receiver' },
  { name: /^\.glob$/, element: (dir, pattern) => `${dir}/${pattern}`, arg: 'receiver' },
];

/** The start of the expression a method word at `at` is called on (`Path.home().rglob` -> `Path.home`). */
function receiverStart(tokens: CodeToken[], at: number): number {
  let j = at - 1;
  while (j >= 0) {
    const t = tokens[j]!;
    if (t.kind === 'punct' && /^[)\]]$/.test(t.value)) {
      let depth = 0;
      for (; j >= 0; j--) {
        const v = tokens[j]!;
        if (v.kind === 'punct' && /^[)\]}]$/.test(v.value)) depth++;
        else if (v.kind === 'punct' && /^[([{]$/.test(v.value) && --depth === 0) break;
      }
      j--;
      continue;
    }
    if (t.kind === 'word' || t.kind === 'string') {
      if (t.kind === 'word' && t.value.startsWith('.')) { j--; continue; }
      return j;
    }
    return j + 1;
  }
  return 0;
}

/** The element bound by iterating over `iter` (a listing call, or a name bound to one), or null. */
function elementOf(iter: CodeToken[]): CodeToken[] | null {
  for (let k = iter.length - 1; k >= 0; k--) {
    const t = iter[k]!;
    if (t.kind !== 'word') continue;
    const listing = LISTINGS.find((l) => l.name.test(t.value));
    if (!listing) continue;
    const hasCall = isPunct(iter[k + 1], '(');
    const args = hasCall ? splitArgs(iter.slice(k + 2, matchClose(iter, k + 1))) : [];
    const first = exprValue(args[0] ?? []);
    let dir: string;
    let pattern = first.text;
    if (listing.arg === 'receiver') {
      dir = exprValue(iter.slice(receiverStart(iter, k), k)).text;
      if (args.length === 0) pattern = '*';
    } else dir = args.length === 0 ? '.' : first.text;
    if (dir === UNKNOWN || dir === '') return null;
    const el = listing.element(dir, pattern).replace(/\/\*\*\/\*$/, '/*');
    // Only listings outside the working directory are followed: filtered clean-ups of build output stay as they were.
    if (!/^[~/]/.test(el) && !/^[~/]/.test(dir)) return null;
    return [str(el, t)];
  }
  return null;
}

/**
 * The element a loop over a literal list of strings (`for d in ("build", "dist")`, `for (const d of
 * ['a', '~/.x'])`) stands for: the one reaching furthest (an absolute, home, parent or unknown path)
 * when there is one, else the first, since what is judged is where the calls reach.
 */
function literalElement(iter: CodeToken[]): CodeToken[] | null {
  if (iter.length < 3 || !isPunct(iter[0], iter[0]?.value === '[' ? '[' : '(') || !isPunct(iter[iter.length - 1], iter[0]!.value === '[' ? ']' : ')')) return null;
  const items = iter.slice(1, -1).filter((t) => !isPunct(t, ','));
  if (items.length === 0 || items.some((t) => t.kind !== 'string')) return null;
  const far = items.find((t) => /^(?:[/~]|\.\.(?:\/|$))/.test(t.value) || t.value.includes(UNKNOWN));
  return [far ?? items[0]!];
}

/** A loop variable bound to the elements of a directory listing. */
interface LoopBinding {
  name: string;
  at: number;
  value: CodeToken[];
}

/**
 * Loop variables over listings: Python `for x in …` (statements and comprehensions, `os.walk`
 * triples), JS `for (const x of …)` and `….forEach(x => …)`, Ruby `….each { |x| … }`, Perl
 * `for my $x (…)`, PHP `foreach (… as $x)`.
 */
function loopBindings(tokens: CodeToken[], code: string): LoopBinding[] {
  const out: LoopBinding[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    if (t.value === 'for' || t.value === 'foreach') forLoop(tokens, code, i, out);
    else if (/\.(?:each|forEach|map|each_with_index|select|filter|reject|flat_map|collect)$/.test(t.value) || (t.kind === 'word' && LISTINGS.some((l) => l.arg === 'first' && l.name.test(t.value)) && isPunct(tokens[matchClose(tokens, i + 1) + 1], '{'))) {
      blockLoop(tokens, i, out);
    }
  }
  return out;
}

function forLoop(tokens: CodeToken[], code: string, i: number, out: LoopBinding[]): void {
  // for (const f of X) / for my $f (X) / foreach (X as $f) / for a, b in X:
  let j = i + 1;
  if (isPunct(tokens[j], '(')) j++;
  while (tokens[j]?.kind === 'word' && DECL.test(tokens[j]!.value)) j++;
  const names: { name: string; at: number }[] = [];
  const stop = (k: number) => tokens[k]?.kind === 'word' && /^(?:in|of)$/.test(tokens[k]!.value);
  if (tokens[i]!.value === 'foreach' && isPunct(tokens[i + 1], '(')) {
    const c = matchClose(tokens, i + 1);
    const asAt = tokens.findIndex((x, k) => k > i && k < c && x.kind === 'word' && x.value === 'as');
    const last = tokens[c - 1];
    if (asAt > 0 && last?.kind === 'word' && NAME.test(last.value)) {
      const el = elementOf(tokens.slice(i + 2, asAt));
      if (el) out.push({ name: last.value, at: c - 1, value: el });
    }
    return;
  }
  for (; j < tokens.length && !stop(j); j++) {
    const v = tokens[j]!;
    if (v.kind === 'word' && NAME.test(v.value)) names.push({ name: v.value, at: j });
    else if (v.kind === 'punct' && v.value === '(' && tokens[i + 1]?.kind === 'word' && /^(?:my|our)$/.test(tokens[i + 1]!.value)) break;
    else if (!(v.kind === 'punct' && /^[,()]$/.test(v.value))) return;
  }
  let from = j + 1;
  let to: number;
  if (!stop(j)) {
    // perl: for my $f (LIST)
    if (!isPunct(tokens[j], '(')) return;
    from = j + 1;
    to = matchClose(tokens, j);
  } else {
    let depth = 0;
    for (to = from; to < tokens.length; to++) {
      const v = tokens[to]!;
      if (v.kind === 'punct' && /^[([{]$/.test(v.value)) depth++;
      else if (v.kind === 'punct' && /^[)\]}]$/.test(v.value)) { if (depth === 0) break; depth--; }
      else if (depth === 0 && v.kind === 'word' && (/^(?:for|if|do)$/.test(v.value) || v.value.endsWith(':'))) break;
      else if (depth === 0 && to > from && newlineBetween(code, tokens[to - 1], v)) break;
    }
  }
  const iter = tokens.slice(from, to);
  const last = tokens[to];
  if (last?.kind === 'word' && last.value.endsWith(':') && last.value.length > 1) iter.push(word(last.value.slice(0, -1), last));
  bindNames(names, iter, out);
}

function blockLoop(tokens: CodeToken[], i: number, out: LoopBinding[]): void {
  const t = tokens[i]!;
  const isEach = /\.(?:each|forEach|map|each_with_index|select|filter|reject|flat_map|collect)$/.test(t.value);
  let iter: CodeToken[];
  let j: number;
  if (isEach) {
    const own = t.value.replace(/\.(?:each|forEach|map|each_with_index|select|filter|reject|flat_map|collect)$/, '');
    const start = receiverStart(tokens, i);
    iter = own ? [...tokens.slice(start, i), word(own, t)] : tokens.slice(start, i);
    j = i + 1;
  } else {
    const c = matchClose(tokens, i + 1);
    iter = tokens.slice(i, c + 1);
    j = c + 1;
  }
  // { |f| … } / do |f| / (f => …) / ((f) => …) / (function (f) {…})
  const names: { name: string; at: number }[] = [];
  const tok = (k: number) => tokens[k];
  if (isPunct(tok(j), '{') || tok(j)?.value === 'do') {
    if (!isPunct(tok(j + 1), '|')) return;
    for (let k = j + 2; k < tokens.length && !isPunct(tok(k), '|'); k++) if (tok(k)!.kind === 'word' && NAME.test(tok(k)!.value)) names.push({ name: tok(k)!.value, at: k });
  } else if (isPunct(tok(j), '(')) {
    let k = j + 1;
    if (tok(k)?.value === 'function' || tok(k)?.value === 'async') k++;
    if (isPunct(tok(k), '(')) k++;
    if (tok(k)?.kind === 'word' && NAME.test(tok(k)!.value)) names.push({ name: tok(k)!.value, at: k });
  }
  bindNames(names.slice(0, 1), iter, out);
}

function bindNames(names: { name: string; at: number }[], iter: CodeToken[], out: LoopBinding[]): void {
  if (names.length === 0) return;
  const walk = iter.findIndex((x) => x.kind === 'word' && /(?:^|\.)walk$/.test(x.value));
  if (walk >= 0 && names.length === 3 && isPunct(iter[walk + 1], '(')) {
    // for root, dirs, files in os.walk(P): root is P or below it, dirs and files are names
    const dir = exprValue(splitArgs(iter.slice(walk + 2, matchClose(iter, walk + 1)))[0] ?? []).text;
    if (dir === UNKNOWN) return;
    const at = iter[walk]!;
    out.push({ name: names[0]!.name, at: names[0]!.at, value: [str(dir, at)] }, { name: names[1]!.name, at: names[1]!.at, value: [str('*', at)] }, { name: names[2]!.name, at: names[2]!.at, value: [str('*', at)] });
    return;
  }
  if (names.length !== 1) return;
  const named = iter.length === 1 && iter[0]!.kind === 'word' ? out.find((b) => b.name === iter[0]!.value) : undefined;
  if (named) {
    out.push({ name: names[0]!.name, at: names[0]!.at, value: named.value });
    return;
  }
  const single = iter.length === 1 && iter[0]!.kind === 'string' && /[*?]/.test(iter[0]!.value) ? [iter[0]!] : null;
  const el = single ?? literalElement(iter) ?? elementOf(iter);
  if (el) out.push({ name: names[0]!.name, at: names[0]!.at, value: el });
}
