/**
 * The commands and code an MCP call's arguments carry: shell command strings, argument vectors
 * (`argv`, `command` + `args`), lists of commands, free-text input to a terminal, code with a
 * language, notebook cells (`!cmd` lines are shell). Pure extraction: mcpRules runs what it finds.
 */
import { type ScriptLang, languageOf } from './commands/support.js';
import { type McpToolKind, langOfName, wordsOf } from './mcpToolKind.js';
import { mcpCliCommand } from './mcpCliCommands.js';

/** One piece of code found in an MCP call's arguments. */
export interface McpCommand {
  /** The language to judge it in (`sh`: a shell command line). */
  lang: ScriptLang;
  text: string;
  /** The argument key it came from (for reasons). */
  key: string;
  /** Text fed to its standard input (`{"command":"bash","stdin":"rm -rf ~"}`). */
  stdin?: string;
  /** The language was guessed (text typed into a process of unknown kind): judge it as a shell command line too. */
  guessed?: boolean;
}

/** What one arguments object carries. */
export interface McpObjectCode {
  commands: McpCommand[];
  /** Files the code writes by declaration (`%%writefile path` cells). */
  writes: string[];
  /** The working directory the commands run in, as written (`cwd`, `working_dir`, ...). */
  cwd: string | null;
  /** Keys whose values were taken as code: not to be judged again as paths or text. */
  consumed: Set<string>;
  /** The language code in this object (and, unless restated, the objects inside it) is in. */
  lang: ScriptLang | null;
}

const PATH_KEY = /(?:^|_)(?:path|paths|file|files|filename|file_?path|dir|directory|target|source|src|destination|dest|from|to|old_?path|new_?path|cwd|root)$/i;
const SINGLE_SHELL_WORDS = new Set(['command', 'cmd', 'cmdline', 'commandline', 'shell', 'bash', 'sh', 'zsh', 'exec']);
const LIST_SHELL_WORDS = new Set(['commands', 'cmds', 'scripts', 'cmdlines', 'commandlines']);
const HEAD_KEYS = /^(?:command|cmd|program|executable|exe|binary|bin|interpreter)$/i;
const ARGS_KEYS = /^(?:args|argv|arguments|params|parameters)$/i;
const STDIN_KEYS = /^(?:stdin|input|input_?text|stdin_?text)$/i;
const LANG_KEYS = /^(?:language|lang|kernel|kernel_?name|runtime|interpreter)$/i;
const CODE_KEYS = /^(?:code|source|source_?code|sourcecode|script|program|snippet|cell|cell_?source|input|expression|expr|body)$/i;
const TERMINAL_KEYS = /^(?:input|stdin|text|keys|line|data|code|source|chars|input_?text|keystrokes)$/i;
/** Keys naming the directory a command runs in. */
export const CWD_KEYS = /^(?:cwd|working_?dir|working_?directory|workdir|work_?dir|current_?dir(?:ectory)?)$/i;

/** True for argument keys that name a file or directory (`path`, `file_path`, `source`, `destination`, ...). */
export function isPathKey(key: string): boolean {
  return PATH_KEY.test(key);
}

/** True for keys that hold one shell command line (`command`, `cmd`, `cli_command`, `shell_command`, `script`, `run`, ...). */
function isShellKey(key: string): boolean {
  const w = wordsOf(key);
  const last = w[w.length - 1] ?? '';
  return SINGLE_SHELL_WORDS.has(last) || (last === 'line' && w.includes('command')) || /^(?:script|run|bash_?script|shell_?script)$/i.test(key);
}

/** `{"shell":"/bin/zsh"}`: which shell to use, not a command. */
function isShellProgram(key: string, value: unknown): boolean {
  return /^(?:shell|bash|sh|zsh)$/i.test(key) && typeof value === 'string' && /^(?:\S*\/)?(?:ba|z|da|k|fi|c|tc)?sh(?:\.exe)?$|^(?:\S*\/)?(?:pwsh|powershell|cmd)(?:\.exe)?$/i.test(value.trim());
}

/** True for keys that hold a list of command lines (`commands`, `cmds`, `setup_commands`, ...). */
function isListShellKey(key: string): boolean {
  const w = wordsOf(key);
  return LIST_SHELL_WORDS.has(w[w.length - 1] ?? '');
}

/** Quote words into one shell command line (`['rm','-rf','/']` -> `rm -rf /`; odd words single-quoted). */
export function shellJoin(words: readonly string[]): string {
  return words.map((v) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`)).join(' ');
}

const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);

/**
 * The code one arguments object carries. `inherited` is the language set by an enclosing object.
 * Keys that are not code are left for the caller to judge as paths, SQL or URLs.
 */
export function mcpCommands(obj: Readonly<Record<string, unknown>>, kind: McpToolKind, inherited: ScriptLang | null, tool = ''): McpObjectCode {
  const entries = Object.entries(obj);
  const lang = explicitLang(entries) ?? inherited;
  const out: McpObjectCode = { commands: [], writes: [], cwd: null, consumed: new Set(), lang };
  const cwdEntry = entries.find(([k, v]) => CWD_KEYS.test(k) && typeof v === 'string');
  if (cwdEntry) out.cwd = cwdEntry[1] as string;
  const stdinEntry = entries.find(([k, v]) => STDIN_KEYS.test(k) && typeof v === 'string');
  const add = (c: McpCommand, key: string) => {
    if (c.text.trim() !== '') out.commands.push(c);
    out.consumed.add(key);
  };
  const cli = mcpCliCommand(tool, kind, obj);
  if (cli) {
    out.commands.push({ lang: 'sh', text: cli.text, key: cli.keys[0] ?? 'tool' });
    for (const k of cli.keys) out.consumed.add(k);
  }
  if (!cli && headAndArgs(entries, out, add, stdinEntry)) return codeKeys(entries, out, kind, lang, add);
  for (const [k, v] of entries) {
    if (out.consumed.has(k)) continue;
    const list = strings(v);
    if (isListShellKey(k) && (typeof v === 'string' || list)) for (const t of list ?? [v as string]) add({ lang: 'sh', text: t, key: k }, k);
    else if ((/^argv$/i.test(k) || (kind.shell && ARGS_KEYS.test(k))) && list) add({ lang: 'sh', text: shellJoin(list), key: k }, k);
    else if (isShellKey(k) && !(lang && lang !== 'sh' && /script/i.test(k)) && !isShellProgram(k, v) && (typeof v === 'string' || list))
      add(shellKeyCommand(k, list ? shellJoin(list) : (v as string), lang, stdinEntry), k);
  }
  if (stdinEntry && out.commands.some((c) => c.stdin !== undefined)) out.consumed.add(stdinEntry[0]);
  return codeKeys(entries, out, kind, lang, add);
}

/** A shell-key value; in a tool for another language (`python_repl {"command": …}`) it may be code in that language too. */
function shellKeyCommand(key: string, text: string, lang: ScriptLang | null, stdin: [string, unknown] | undefined): McpCommand {
  if (lang && lang !== 'sh') return { lang, text, key, guessed: true };
  return { lang: 'sh', text, key, ...stdinOf(stdin, key) };
}

/** The language an object states (`{"language":"python"}`, `{"kernel":"python3"}`). */
function explicitLang(entries: ReadonlyArray<[string, unknown]>): ScriptLang | null {
  for (const [k, v] of entries) if (LANG_KEYS.test(k) && typeof v === 'string') {
    const lang = langOfName(v);
    if (lang) return lang;
  }
  return null;
}

/** The stdin entry as a command's standard input, unless it is the command itself. */
function stdinOf(stdin: [string, unknown] | undefined, key: string): { stdin?: string } {
  return stdin && stdin[0] !== key ? { stdin: stdin[1] as string } : {};
}

/** `{"command":"rm","args":["-rf","/"]}`, `{"program":"python3","argv":["-c","…"]}`: one argument vector. */
function headAndArgs(entries: ReadonlyArray<[string, unknown]>, out: McpObjectCode, add: (c: McpCommand, key: string) => void, stdin: [string, unknown] | undefined): boolean {
  const head = entries.find(([k, v]) => HEAD_KEYS.test(k) && typeof v === 'string' && v.trim() !== '');
  const args = entries.find(([k, v]) => ARGS_KEYS.test(k) && strings(v) !== null);
  if (!head || !args) return false;
  const h = (head[1] as string).trim();
  const text = `${/\s/.test(h) ? h : shellJoin([h])} ${shellJoin(strings(args[1])!)}`;
  add({ lang: 'sh', text, key: head[0], ...stdinOf(stdin, head[0]) }, head[0]);
  out.consumed.add(args[0]);
  if (stdin && stdin[0] !== head[0]) out.consumed.add(stdin[0]);
  return true;
}

/** Code keys (a language known), notebook cells, and free text typed into a terminal; returns `out`. */
function codeKeys(entries: ReadonlyArray<[string, unknown]>, out: McpObjectCode, kind: McpToolKind, lang: ScriptLang | null, add: (c: McpCommand, key: string) => void): McpObjectCode {
  const hasPath = entries.some(([k, v]) => isPathKey(k) && !CWD_KEYS.test(k) && !/^(?:source|src)$/i.test(k) && typeof v === 'string');
  const stated = explicitLang(entries);
  for (const [k, v] of entries) {
    if (out.consumed.has(k) || typeof v !== 'string' || v.trim() === '') continue;
    if (/^(?:source|src)$/i.test(k) && !/[\s();=]/.test(v)) continue; // a path, not code
    if (kind.notebook && kind.exec && (lang === null || lang === 'python') && CODE_KEYS.test(k)) {
      notebookCell(v, k, out, add);
    } else if (lang && CODE_KEYS.test(k) && (stated !== null || kind.exec)) {
      add({ lang, text: v, key: k }, k);
    } else if (kind.shell && !hasPath && (lang === null || lang === 'sh') && TERMINAL_KEYS.test(k)) {
      if (lang === null && (kind.repl || kind.exec)) add({ lang: guessLang(v), text: v, key: k, guessed: true }, k);
      else add({ lang: 'sh', text: v, key: k }, k);
    }
  }
  return out;
}

/** The likely language of text typed into a process of unknown kind (a shell or a REPL). */
export function guessLang(text: string): ScriptLang {
  const t = text.trim();
  if (t.startsWith('#!')) return languageOf(null, t, 'sh');
  if (/^(?:import\s+[\w.]+|from\s+[\w.]+\s+import\b|def\s+\w+\s*\(|class\s+\w+[(:]|print\s*\()/m.test(t) || /\b(?:os|subprocess|shutil|pathlib|sys)\.\w+\s*\(/.test(t)) return 'python';
  if (/\brequire\s*\(\s*['"]|\bconsole\.\w+\s*\(|^\s*(?:const|let|var)\s+\w+\s*=|=>|\bprocess\.\w+/m.test(t)) return 'node';
  // `df.head()`, `x = f(1)`: a call or an assignment with spaces is an expression, not a command line.
  if (!/\$\(|\(\s*\)\s*\{/.test(t) && (/^\s*[A-Za-z_][\w.]*(?:\[[^\]]*\])*\s*\(/m.test(t) || /^\s*[A-Za-z_]\w*\s+=\s+\S/m.test(t))) return 'python';
  return 'sh';
}

/**
 * A notebook cell as IPython runs it: `!cmd` and `x = !cmd` lines, `%sx`/`%system` and `%%bash`,
 * `%%sh`, `%%script bash` cells are shell; `%%writefile path` writes a file; the rest is Python.
 */
function notebookCell(text: string, key: string, out: McpObjectCode, add: (c: McpCommand, key: string) => void): void {
  let lines = text.split(/\r?\n/);
  // cell magics that only wrap the cell (`%%time`, `%%capture`, `%%python3`) are peeled off
  for (let magic = /^\s*%%(\w+)\s*(.*)$/.exec(lines[0] ?? ''); magic; magic = /^\s*%%(\w+)\s*(.*)$/.exec(lines[0] ?? '')) {
    const [, name = '', rest = ''] = magic;
    const body = lines.slice(1).join('\n');
    if (name === 'writefile' || name === 'file') {
      out.writes.push(rest.replace(/^-a\s+/, '').trim());
      out.consumed.add(key);
      return;
    }
    const cellLang = /^(?:bash|sh|zsh|system|sx)$/.test(name) ? 'sh' : langOfName(name === 'script' ? rest : name);
    if (cellLang && cellLang !== 'python') return add({ lang: cellLang, text: body, key }, key);
    lines = lines.slice(1);
  }
  const python: string[] = [];
  for (const line of lines) {
    const m = /^[ \t]*(?:[\w.]+(?:[ \t]*,[ \t]*[\w.]+)*[ \t]*=[ \t]*)?(?:!!?|%(?:sx|system)\b)[ \t]*(.*)$/.exec(line);
    if (m) add({ lang: 'sh', text: m[1]!, key }, key);
    else python.push(/^\s*%/.test(line) ? '' : line);
  }
  add({ lang: 'python', text: python.join('\n'), key }, key);
}
