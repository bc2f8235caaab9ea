/**
 * Helpers shared by command handlers: option scanning, path resolution from words, display,
 * and running data as a script (the consumer side of download-then-exec / decode-then-exec).
 */
import { posix } from 'node:path';
import type { Call } from '../call.js';
import { type PathRef, resolvePathText } from '../pathRules.js';
import { nestedScope } from '../scope.js';
import {
  type DataSource,
  type Provenance,
  type ShellWord,
  EMPTY_INPUT,
  PLAIN,
  UNKNOWN,
  literalWord,
  mergeProvenance,
  sourceProvenance,
} from '../shellValue.js';

/** Output we cannot predict. */
export const UNKNOWN_OUTPUT: DataSource = Object.freeze({ kind: 'unknown', from: PLAIN }) as DataSource;

/** Output we cannot predict, carrying provenance. */
export function unknownOutput(from: Provenance = PLAIN): DataSource {
  return from === PLAIN ? UNKNOWN_OUTPUT : { kind: 'unknown', from };
}

/** Human-readable text of a value (unknown parts as `…`). */
export function display(text: string): string {
  return text.split(UNKNOWN).join('…');
}

/** Shell-quote a word for re-parsing (unknown parts kept as the marker, which stays dynamic). */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./\-\uE000]+$/.test(text) && text !== '') return text;
  return "'" + text.replace(/'/g, `'\\''`) + "'";
}

/** Resolve a word to a path relative to the call's cwd. */
export function pathOf(call: Call, word: ShellWord | string, opts: { glob?: boolean } = {}): PathRef | null {
  const text = typeof word === 'string' ? word : word.text;
  const glob = opts.glob ?? (typeof word === 'string' ? false : word.glob);
  return resolvePathText(call.exec.run, text, call.scope.cwd, { glob });
}

/** Merge the provenance of every argument word. */
export function argsProvenance(call: Call): Provenance {
  let p = PLAIN;
  for (const w of call.argWords) p = mergeProvenance(p, w.from);
  return p;
}

/** Parsed options and operands of a conventional command line. */
export interface Options {
  /** Single-letter flags seen (`-rf` gives r and f). */
  short: Set<string>;
  /** Long options seen, with their value when given (`--force`, `--output=x`). */
  long: Map<string, string | true>;
  /** Values of options that take an argument, by option (`o` -> [file], `--output` -> [file]). */
  values: Map<string, ShellWord[]>;
  /** Operands (non-option words) in order. */
  operands: ShellWord[];
  /** Index (into the argument words) of the first operand, or args.length when none. */
  firstOperand: number;
}

/** Option grammar for {@link parseOptions}. */
export interface OptionSpec {
  /** Short options that take an argument (e.g. `'otC'`). */
  shortArg?: string;
  /** Long options (with leading `--`) that take a separate argument when no `=` is given. */
  longArg?: string[];
  /** Stop at the first operand (wrappers, where the rest is another command). */
  stopAtOperand?: boolean;
  /** Treat `-NUMBER` as an operand (kill, head). */
  numericOperands?: boolean;
}

/** Scan options and operands the getopt way (clusters, `--`, `--opt=value`). */
export function parseOptions(words: readonly ShellWord[], spec: OptionSpec = {}): Options {
  const short = new Set<string>();
  const long = new Map<string, string | true>();
  const values = new Map<string, ShellWord[]>();
  const operands: ShellWord[] = [];
  let firstOperand = words.length;
  const put = (k: string, w: ShellWord) => {
    const list = values.get(k) ?? [];
    list.push(w);
    values.set(k, list);
  };
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text;
    if (t === '--') {
      i++;
      break;
    }
    if (t.startsWith('--') && t.length > 2) {
      const eq = t.indexOf('=');
      if (eq > 0) {
        const k = t.slice(0, eq);
        long.set(k, t.slice(eq + 1));
        put(k, { ...w, text: t.slice(eq + 1) });
      } else if (spec.longArg?.includes(t) && i + 1 < words.length) {
        long.set(t, words[i + 1]!.text);
        put(t, words[++i]!);
      } else long.set(t, true);
      continue;
    }
    if (t.startsWith('-') && t.length > 1 && !(spec.numericOperands && /^-\d+$/.test(t))) {
      for (let j = 1; j < t.length; j++) {
        const c = t[j]!;
        short.add(c);
        if (spec.shortArg?.includes(c)) {
          const rest = t.slice(j + 1);
          if (rest !== '') put(c, { ...w, text: rest });
          else if (i + 1 < words.length) put(c, words[++i]!);
          break;
        }
      }
      continue;
    }
    if (firstOperand === words.length) firstOperand = i;
    if (spec.stopAtOperand) break;
    operands.push(w);
  }
  if (spec.stopAtOperand) {
    if (i < words.length) firstOperand = i;
    return { short, long, values, operands: words.slice(i) as ShellWord[], firstOperand };
  }
  for (; i < words.length; i++) {
    if (firstOperand === words.length) firstOperand = i;
    operands.push(words[i]!);
  }
  return { short, long, values, operands, firstOperand };
}

/** True when any of the flags (short letters or long names) is present. */
export function hasFlag(o: Options, shorts: string, longs: string[] = []): boolean {
  for (const c of shorts) if (o.short.has(c)) return true;
  return longs.some((l) => o.long.has(l));
}

/** The first value given for any of these options. */
export function optionValue(o: Options, keys: string[]): ShellWord | undefined {
  for (const k of keys) {
    const v = o.values.get(k);
    if (v && v.length > 0) return v[0];
  }
  return undefined;
}

/** Every value given for these options. */
export function optionValues(o: Options, keys: string[]): ShellWord[] {
  return keys.flatMap((k) => o.values.get(k) ?? []);
}

/** Build a call for another argument vector (a wrapper's inner command), same stdin and scope. */
export function innerCall(call: Call, words: ShellWord[], extra: { via?: string; env?: Map<string, ShellWord>; stdin?: DataSource } = {}): Call {
  const name = words[0]?.text ?? '';
  const env = extra.env ? new Map([...call.env, ...extra.env]) : call.env;
  return {
    exec: call.exec,
    words,
    name,
    program: programName(name),
    args: words.slice(1).map((w) => w.text),
    argWords: words.slice(1),
    stdin: extra.stdin ?? call.stdin,
    scope: call.scope,
    env,
    via: extra.via ? [...call.via, extra.via] : call.via,
    ...(call.pipeTo !== undefined ? { pipeTo: call.pipeTo } : {}),
  };
}

/** True when a dump's output is piped into a filter that keeps only non-secret lines (`env | grep PATH`). */
export function filteredToNonSecret(call: Call): boolean {
  const next = call.pipeTo;
  if (next === undefined) return false;
  // a `|` inside a quoted pattern (`grep -E "^(NODE|NPM)="`) is an alternation, not another pipeline stage
  const unquoted = next.replace(/'[^']*'|"[^"]*"/g, 'Q');
  if (!/^\s*(?:grep|egrep|fgrep|rg)\s/.test(next) || /(?:KEY|TOKEN|SECRET|PASS|AUTH|CRED|PRIVATE|-v\b|--invert)/i.test(next) || /[|;&]/.test(unquoted)) return false;
  // `env | grep AWS` keeps AWS_SECRET_ACCESS_KEY: a pattern that is part of a well-known secret's name lets it through
  const words = next.replace(/^\s*\S+/, '').split(/\s+/).filter((w) => w !== '' && !w.startsWith('-'))
    .flatMap((w) => w.replace(/^['"]+|['"]+$/g, '').split(/\\?\|/))
    .map((w) => w.replace(/^[\^(]+|[)$=]+$/g, '').toUpperCase());
  return !words.some((w) => w.length >= 2 && /^[A-Z0-9_]+$/.test(w) && COMMON_SECRET_VARS.some((v) => v.includes(w)));
}

/** Names of secrets commonly found in a developer's environment. */
const COMMON_SECRET_VARS = [
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GITHUB_TOKEN', 'GH_TOKEN', 'NPM_TOKEN',
  'GOOGLE_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'AZURE_CLIENT_SECRET', 'STRIPE_SECRET_KEY', 'SLACK_BOT_TOKEN', 'DATABASE_URL',
  'VAIBOT_API_KEY', 'HF_TOKEN', 'HUGGINGFACE_TOKEN', 'CODEX_API_KEY', 'CI_JOB_TOKEN', 'DOCKER_PASSWORD', 'SENTRY_AUTH_TOKEN',
  'GITLAB_TOKEN', 'CLOUDFLARE_API_TOKEN', 'VERCEL_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN', 'HEROKU_API_KEY', 'TWILIO_AUTH_TOKEN',
];

/** The value a program this call starts would see for `name`: the call's own assignment, else the script's variable. */
export function envValue(call: Call, name: string): string | undefined {
  const own = call.env.get(name);
  if (own) return own.text;
  const v = call.scope.vars.get(name);
  return v?.kind === 'scalar' ? v.word.text : undefined;
}

/**
 * Judge shell text that runs on another machine (`ssh host cmd`, `heroku run`, `docker exec`): walked
 * one level deeper, with paths read as that machine's (`cwd`, its home or `/`).
 */
export function runRemote(call: Call, cmd: string, cwd: string, label: string): DataSource {
  return call.exec.script(cmd, { ...call.scope, depth: call.scope.depth + 1, remote: true, cwd }, EMPTY_INPUT, label);
}

/**
 * Non-option words of a command line, skipping the values of options known to take one (by
 * default the value options common to cloud and cluster CLIs: `-n`, `--namespace`, `--profile`, …).
 */
export function positionals(args: readonly string[], withValue: RegExp = /^-(?:n|c|f|o|l|p|r|s|u|x|-namespace|-context|-profile|-region|-project|-output|-kubeconfig|-cluster|-selector|-subscription|-resource-group|-zone|-chdir|-var|-var-file|-target|-state|-endpoint-url)$/): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      if (!a.includes('=') && withValue.test(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** True when an argument names production (a namespace, context, project, inventory or flag: `-n production`, `--context prod-eu`, `inventories/prod`). */
export function namesProduction(args: readonly string[]): boolean {
  return args.some((a) => /(?:^|[\s\-_./=:@])(?:prod|production|live)(?:$|[\s\-_./=:@\d])/i.test(a));
}

/** Run another argument vector through the dispatcher. */
export function runInner(call: Call, words: ShellWord[], extra: { via?: string; env?: Map<string, ShellWord>; stdin?: DataSource } = {}): DataSource {
  if (words.length === 0) return UNKNOWN_OUTPUT;
  return call.exec.argv(innerCall(call, words, extra));
}

/** The base name a shell would look a program up by (`/usr/bin/rm` -> `rm`, `@openai/codex` -> `codex`). */
export function programName(name: string): string {
  const base = name.includes('/') ? posix.basename(name) : name;
  return base;
}

/** Split text into words like `env -S` or xargs would (quotes respected, no expansion). */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let started = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      q = c;
      started = true;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      started = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
      continue;
    }
    cur += c;
    started = true;
  }
  if (started) out.push(cur);
  return out;
}

/** Words from plain strings. */
export function wordsOf(texts: string[], from: Provenance = PLAIN): ShellWord[] {
  return texts.map((t) => ({ ...literalWord(t), from }));
}

/** The script language of a file, from its shebang or extension. */
export type ScriptLang = 'sh' | 'python' | 'node' | 'perl' | 'ruby' | 'php' | 'lua' | 'awk';

/** Guess a file's language (shebang first, then extension); defaults to `sh`. */
export function languageOf(path: string | null, content: string, fallback: ScriptLang = 'sh'): ScriptLang {
  const sheb = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(content);
  if (sheb) {
    const prog = posix.basename(sheb[1] === '/usr/bin/env' || sheb[1]?.endsWith('/env') ? sheb[2] ?? '' : sheb[1]!);
    const l = langOfProgram(prog);
    if (l) return l;
  }
  const ext = path ? posix.extname(path).toLowerCase() : '';
  switch (ext) {
    case '.py': return 'python';
    case '.js': case '.mjs': case '.cjs': case '.ts': case '.mts': case '.cts': return 'node';
    case '.pl': case '.pm': return 'perl';
    case '.rb': return 'ruby';
    case '.php': return 'php';
    case '.lua': return 'lua';
    case '.awk': return 'awk';
    case '.sh': case '.bash': case '.zsh': case '.ksh': return 'sh';
  }
  return fallback;
}

/** The language an interpreter program runs, if it is one. */
export function langOfProgram(program: string): ScriptLang | null {
  if (/^(?:ba|z|da|k|mk|a|fi|r?ba)?sh$|^busybox$/.test(program)) return 'sh';
  if (/^(?:python[\d.]*|pypy[\d.]*)$/.test(program)) return 'python';
  if (/^(?:node|nodejs|deno|bun|tsx|ts-node)$/.test(program)) return 'node';
  if (/^perl[\d.]*$/.test(program)) return 'perl';
  if (/^ruby[\d.]*$/.test(program)) return 'ruby';
  if (/^php[\d.]*$/.test(program)) return 'php';
  if (/^(?:lua[\d.]*|luajit)$/.test(program)) return 'lua';
  if (/^(?:g|m|n)?awk$/.test(program)) return 'awk';
  return null;
}

/** Provenance of a data source (re-exported for handlers). */
export { sourceProvenance, UNKNOWN, PLAIN, nestedScope };
