/**
 * Judging code for runtimes without a dedicated scanner (R, Julia, Tcl, Lisps, Swift, Go, Elixir,
 * Groovy, ...): calls that spawn processes or delete files are found by name, their literal
 * arguments followed; the commands run are classified as shell, the deletes as deletes. Spawning
 * with arguments only known at run time is dynamic code.
 */
import type { Call } from './call.js';
import { codeBindings } from './codeBindings.js';
import { type CodeToken, exprValue, lexCode, matchClose, splitArgs } from './codeLexer.js';
import { type ScriptLang, pathOf } from './commands/support.js';
import { judgeDelete, judgeRead } from './pathRules.js';
import { codeOutOfBudget } from './codeBudget.js';
import { nestedScope } from './scope.js';
import { UNKNOWN } from './shellValue.js';

/** How a runtime's code is spelled, as far as the scanner cares. */
export interface ForeignDialect {
  /** The script language whose lexer fits (comments and string quotes). */
  lexAs: ScriptLang;
  /** Lisp forms `(name arg …)`. */
  lisp?: boolean;
  /** Tcl commands `name arg …` to the end of the line. */
  tcl?: boolean;
  /** Backquoted text is a command (Julia `run(`…`)`). */
  backtickCommands?: boolean;
  /** `rm(path)` deletes a file (Julia), rather than a variable (R). */
  rmDeletes?: boolean;
}

/** Calls that run one shell command string (`system("…")`, `:os.cmd('…')`, `System.shell("…")`). */
const SHELL_CALL = /^(?:system|shell|shell_exec|popen|cmd|run_shell_command|shell_command|open_pipe|open_input_pipe|open_output_pipe|execute|exec|sh|spawn|run|run_program|launch_program|system_|system2|Command|CommandContext|ProcessBuilder|Exec|StartProcess|process|process_|subprocess|pipeline|Cmd|callCommand|spawnCommand|readProcess|readCreateProcess|execShellCmd|execProcess|execCmd|startProcess|execCmdEx)$/;
/** Qualified calls that run a command (`Process.Start("sh", "-c …")` in .NET, `Sys.command` in OCaml). */
const QUALIFIED_SHELL_CALL = /^(?:(?:System\.Diagnostics\.)?Process\.Start|Sys\.command|Unix\.system|Unix\.open_process(?:_in|_out)?|Runtime\.getRuntime\(\)\.exec)$/;
/** Calls that delete a path. */
const DELETE_CALL = /^(?:unlink|file\.remove|file_delete|dir_delete|RemoveAll|Remove|removeItem|remove|delete_file|delete_directory|delete_directory_tree|delete_directory_files|delete_tree|rm_rf!?|rm_r|rm!?|rmdir|rmtree|deleteRecursively|deleteDirectory|delete|deleteIfExists|remove_all|removeSync|deleteTree|deleteTreeAbsolute|deleteFileAbsolute|deleteDirAbsolute|removeDir|removeFile|removeDirectoryRecursive|removeDirectory|removePathForcibly|(?:System\.IO\.)?(?:Directory|File)\.Delete)$/;
/** Deletes that take the whole tree. */
const RECURSIVE_CALL = /^(?:RemoveAll|removeItem|delete_directory_tree|delete_directory_files|delete_tree|rm_rf!?|rm_r|rmtree|deleteRecursively|deleteDirectory|dir_delete|remove_all|deleteTree|deleteTreeAbsolute|removeDir|removeDirectoryRecursive|removePathForcibly)$/;

/**
 * Spellings the call scanner does not read, rewritten as calls it does: a command word followed by
 * a string without parentheses (`shell "…"` in Raku, `callCommand "…"` in Haskell), a delete called on
 * an object made from a path (`Directory("/x").deleteSync(recursive: true)`), and a home directory
 * joined to a literal (`NSHomeDirectory() + "/.netrc"`, `getHomeDir() & ".ssh"`), spelled with `~`.
 */
function callsSpelledOut(code: string): string {
  return code
    .replace(/(?<![\w.])(shell|system|run|callCommand|spawnCommand|execShellCmd|execCmd|Sys\.command|Unix\.system)\s+("(?:[^"\\\n]|\\.)*"|'[^'\n]*')/g, '$1($2)')
    .replace(/\b(?:new\s+)?(?:Directory|File|Dir|Path|Paths\.get|DirectoryInfo|FileInfo)\(\s*("(?:[^"\\]|\\.)*")\s*\)\s*\.\s*(deleteSync|delete|Delete|deleteRecursively|remove|removeSync)\s*\(([^)]*)\)/g,
      (_, path: string, verb: string, args: string) => (/recursive|true|Recursively/.test(`${verb} ${args}`) ? `rm_rf(${path})` : `unlink(${path})`))
    .replace(/(?:NSHomeDirectory\(\)|getHomeDir\(\)|homeDir\(\)|os\.homedir\(\)|System\.getProperty\("user\.home"\)|Environment\.GetFolderPath\([^)]*\)|Sys\.getenv\("HOME"\)|getenv\("HOME"\)|ENV\["HOME"\]|homedir\(\))\s*(?:\+\+|\+|&|\.\.|<>|\^)\s*"\/?/g, '"~/');
}
/** Calls that run code from a file or a string (with a URL in the same code: code from the network). */
const REMOTE_LOAD = /(?<![\w.])(?:source|sys\.source|include|evalfile|dofile|loadstring|loadfile|eval|Meta\.parse|runScript|load_file|require_relative)\s*\(/;

/** Wrappers whose arguments are list elements (`list("-rf", "/")`, `c(…)`, `Seq(…)`). */
const LIST_CALL = /^(?:list|c|vector|Seq|List|listOf|arrayOf|Array|mutableListOf|Arrays\.asList|List\.of)$/;

/**
 * Scan code for a runtime without a dedicated scanner.
 * @param label how the code is introduced in reasons (`Rscript -e`)
 */
export function scanForeignCode(call: Call, dialect: ForeignDialect, code: string, label: string): void {
  const run = call.exec.run;
  if (codeOutOfBudget(call, code, label)) return;
  const inner = { ...call, scope: nestedScope(call.scope) } as Call;
  const shell = (text: string, how: string) => {
    if (text.split(UNKNOWN).join('').trim() === '') run.add('exec.dynamic-code', `${label} runs a command built at run time (${how})`);
    else call.exec.script(text, inner.scope, { kind: 'terminal' }, `${label} ${how}`);
  };
  const del = (target: string, recursive: boolean, how: string) => {
    const t = target === '~' || target.startsWith('~/') ? run.zones.home + target.slice(1) : target;
    const ref = t === UNKNOWN || t === '' ? null : pathOf(inner, t.replace(/\/\*\*(?:\/\*)?$/, '/*'), { glob: /[*?[]/.test(t) });
    judgeDelete(run, ref, { recursive, verb: `${label} ${how}` });
  };
  if (dialect.tcl) return scanTcl(code, shell, del);
  const source = dialect.lisp ? lispToCalls(code) : callsSpelledOut(code.replace(/(\w)!(?=\s*\()/g, '$1'));
  const tokens = codeBindings('other', lexCode(dialect.lexAs, source), source, null).tokens;
  scanCalls(tokens, dialect, shell, del);
  // the file reading APIs differ in every runtime (readLines, File.read!, slurp, read, file.open…);
  // a literal that names a file holding secrets is judged as read by the code that names it
  for (const t of tokens) {
    if (t.kind !== 'string' || t.value.length > 4096 || !/^(?:~|\/|\$HOME\b|\$\{HOME\})[^\s]*$/.test(t.value)) continue;
    const path = t.value.replace(/^(?:~|\$HOME\b|\$\{HOME\})/, run.zones.home);
    judgeRead(run, pathOf(inner, path), { verb: label });
  }
  // code fetched from the network and run: R's source("https://…"), Julia's include(download(…))
  const url = tokens.find((t) => t.kind === 'string' && /^(?:https?|ftp):\/\//i.test(t.value));
  if (url && REMOTE_LOAD.test(source)) run.add('exec.download-then-exec', `${label} runs code it downloads from ${url.value}`);
  if (dialect.backtickCommands) for (const m of code.matchAll(/`([^`]*)`/g)) shell(juliaInterpolate(m[1]!), '`…`');
  // Process objects configured by properties: p.launchPath = "/bin/rm"; p.arguments = ["-rf", "/"]
  const program = /\b(?:launchPath|executableURL|FileName|executable)\s*=\s*[^\n;]*?"([^"]+)"/.exec(code);
  if (program) {
    const list = /\barguments\s*=\s*\[([^\]]*)\]/.exec(code);
    const parts = list ? [...list[1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!) : [];
    shell([program[1]!, ...parts].map(quote).join(' '), 'Process');
  }
}

/** Calls in C-like token streams: spawns and deletes. */
function scanCalls(tokens: CodeToken[], dialect: ForeignDialect, shell: (text: string, how: string) => void, del: (target: string, recursive: boolean, how: string) => void): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'string' && tokens[i + 1]?.kind === 'word' && /^\.(?:execute|!|!!)$/.test(tokens[i + 1]!.value)) { shell(t.value, '"…".execute()'); continue; }
    if (t.kind !== 'word' || tokens[i + 1]?.kind !== 'punct' || tokens[i + 1]!.value !== '(') continue;
    const name = t.value.split(/[.:]/).filter(Boolean).pop() ?? '';
    const full = t.value.replace(/^[.:]+/, '');
    const close = matchClose(tokens, i + 1);
    const args = splitArgs(tokens.slice(i + 2, close)).map(dropLabel);
    const region = tokens.slice(i + 2, close);
    if (DELETE_CALL.test(full) || (DELETE_CALL.test(name) && (name !== 'rm' || dialect.rmDeletes) && name !== 'delete' && name !== 'remove')) {
      if (name === 'rm' && !dialect.rmDeletes) continue;
      const text = region.map((x) => x.value).join(' ');
      // .NET's Directory.Delete(path, true) is recursive
      const recursive = RECURSIVE_CALL.test(name) || /\brecursive\b\s*[=:,]?\s*(?!false|FALSE|F\b|nil|_f\b)\w|\bforce\b/.test(text) || (name === 'Delete' && /,\s*true\b/.test(text));
      del(exprValue(args[0] ?? []).text, recursive, t.value);
      continue;
    }
    if ((SHELL_CALL.test(name) || QUALIFIED_SHELL_CALL.test(full)) && !(name === 'run' && args.length === 0) && !region.some((x) => x.value === '`')) {
      const parts = literalParts(args);
      if (parts.length === 0) {
        if (!/^(?:run|process|execute|exec|spawn|cmd|Cmd|pipeline)$/.test(name) || region.some((x) => x.kind === 'word')) shell(UNKNOWN, `${t.value}(…)`);
        continue;
      }
      // .NET's Process.Start(file, arguments): the arguments are one command line, split by the callee
      if (/(?:^|\.)Process\.Start$/.test(full) && parts.length === 2) shell(`${quote(parts[0]!)} ${parts[1]!}`, `${t.value}(…)`);
      else shell(parts.length === 1 ? parts[0]! : parts.map(quote).join(' '), `${t.value}(…)`);
    }
  }
}

/** Drop a leading argument label (`atPath:`, `args=`) from an argument. */
function dropLabel(arg: CodeToken[]): CodeToken[] {
  const f = arg[0];
  if (f?.kind === 'word' && /^\w+:$/.test(f.value) && arg.length > 1) return arg.slice(1);
  return arg;
}

/** The literal strings (and known paths) among call arguments, list wrappers flattened. */
function literalParts(args: CodeToken[][]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const f = a[0];
    if (!f) continue;
    if (f.kind === 'word' && (/^:/.test(f.value) || /^\w+$/.test(f.value) && a[1]?.kind === 'punct' && a[1].value === '=')) continue;
    const wrapped = f.kind === 'word' && LIST_CALL.test(f.value) && a[1]?.value === '(';
    const bracket = f.kind === 'punct' && (f.value === '[' || f.value === '{');
    if (wrapped || bracket) {
      const open = wrapped ? 1 : 0;
      out.push(...literalParts(splitArgs(a.slice(open + 1, matchClose(a, open))).map(dropLabel)));
      continue;
    }
    if (f.kind === 'punct' && f.value === '[' ) continue;
    const v = exprValue(a);
    if (v.text !== UNKNOWN && v.text !== '') out.push(v.text);
  }
  return out;
}

/** Rewrite Lisp forms as calls: `(f a (g b))` -> `f(a,g(b))`; `;` comments and quote marks dropped. */
function lispToCalls(lisp: string): string {
  const code = lisp
    .replace(/\(\s*find-system-path\s+(?:'|\(\s*quote\s+)home-dir\s*\)?\s*\)/g, '(user-homedir-pathname)')
    .replace(/delete-directory\/files/g, 'delete-directory-files');
  let out = '';
  let depth = 0;
  let i = 0;
  const word = /[A-Za-z0-9_*!?<>=+\-/.:%&$#]/;
  while (i < code.length) {
    const c = code[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < code.length && code[j] !== '"') j += code[j] === '\\' ? 2 : 1;
      out += code.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ';') { while (i < code.length && code[i] !== '\n') i++; continue; }
    if (c === '(' || c === '[') {
      let j = i + 1;
      while (code[j] === ' ' || code[j] === '\n' || code[j] === '\t') j++;
      let k = j;
      while (k < code.length && word.test(code[k]!)) k++;
      out += (c === '(' && k > j ? identifier(code.slice(j, k)) : c === '[' ? 'list' : '') + '(';
      depth++;
      i = c === '(' ? k : j;
      if (k === j || c === '[') continue;
      continue;
    }
    if (c === ')' || c === ']') { out += ')'; depth--; i++; continue; }
    if (c === ' ' || c === '\n' || c === '\t') {
      while (code[i] === ' ' || code[i] === '\n' || code[i] === '\t') i++;
      if (depth > 0 && code[i] !== ')' && code[i] !== ']' && !/[(,]$/.test(out)) out += ',';
      continue;
    }
    if (c === "'" || c === '`' || c === '#' && code[i + 1] === "'") { i += c === '#' ? 2 : 1; continue; }
    if (word.test(c)) {
      let k = i;
      while (k < code.length && word.test(code[k]!)) k++;
      out += identifier(code.slice(i, k));
      i = k;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** A Lisp symbol as an identifier the lexer keeps whole (`sb-ext:run-program` -> `sb_ext:run_program`). */
function identifier(sym: string): string {
  if (/^[~/]/.test(sym)) return JSON.stringify(sym);
  return sym.replace(/\//g, '.').replace(/[-*!?<>=+%&#]/g, '_');
}

/** Julia command interpolation: `$(homedir())` is the home directory, other `$…` unknown. */
function juliaInterpolate(text: string): string {
  return text.replace(/\$\(\s*homedir\(\)\s*\)|\$HOME\b/g, '~').replace(/\$\([^)]*\)|\$\w+/g, UNKNOWN);
}

/** Tcl: `exec prog args…` runs a command, `file delete ?-force? path` deletes, `open "|cmd"` pipes. */
function scanTcl(code: string, shell: (text: string, how: string) => void, del: (target: string, recursive: boolean, how: string) => void): void {
  const value = (s: string) =>
    s.replace(/\$(?:::)?env\(HOME\)|\[\s*file\s+normalize\s+~\s*\]|\[\s*file\s+home\s*\]/g, '~').replace(/\{\*\}\S+|\$\{[^}]*\}|\$[\w:]+(?:\([^)]*\))?|\[[^\]]*\]/g, UNKNOWN).replace(/["{}]/g, '');
  for (const m of code.matchAll(/(?:^|[;\n[])\s*(exec|spawn)\s+([^;\n\]]+)/g)) {
    const cmd = value(m[2]!).replace(/(^|\s)-(?:ignorestderr|noecho|nottycopy|nottyinit|console|open|leaveopen)\s|(^|\s)--\s/g, ' ');
    // expect: spawn sh; send "rm -rf ~\r" — what is sent is the shell's script
    const sent = [...code.matchAll(/\bsend\s+(?:--\s+)?"((?:[^"\\]|\\.)*)"/g)].map((s) => value(s[1]!.replace(/\\[rn]/g, '\n')));
    if (m[1] === 'spawn' && /^\s*(?:\S*\/)?(?:ba|z|da|k)?sh\s*$/.test(cmd) && sent.length > 0) shell(sent.join('\n'), 'spawn sh; send');
    else shell(cmd, m[1]!);
  }
  for (const m of code.matchAll(/(?:^|[;\n[])\s*file\s+delete\s+((?:-\w+\s+)*)([^;\n\]]+)/g)) {
    for (const p of m[2]!.trim().split(/\s+/)) del(value(p), /-force/.test(m[1]!), 'file delete');
  }
  for (const m of code.matchAll(/\bopen\s+"?\|([^"\n\]]+)/g)) shell(value(m[1]!), 'open |');
  if (/(?:^|[;\n[])\s*(?:eval|uplevel)\s/.test(code) && /\bexec\b/.test(code)) shell(UNKNOWN, 'eval');
}

function quote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./\-~\uE000]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'\\''`) + "'";
}

/** Options through which programs commonly take code to run. */
const CODE_OPTION = /^(?:-e|-E|--eval|--exec|--execute|--expr|--expression|--code|--run|-x)$/;

/**
 * A program no handler knows, given code to run (`tool --eval '…'`, `tool -e '…'`, or a script on
 * stdin with `-` or `/dev/stdin`): the code is scanned as a C-like language, for commands it runs,
 * deletes and secret files it names. Knowing nothing about the program is no reason to let
 * `system("rm -rf ~")` through.
 */
export function scanUnknownProgramCode(call: Call): void {
  const a = call.argWords;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!.text;
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    const key = eq > 0 ? t.slice(0, eq) : t;
    if (!CODE_OPTION.test(key)) continue;
    const code = eq > 0 ? t.slice(eq + 1) : a[i + 1]?.text;
    if (code && /[("'`]/.test(code)) scanForeignCode(call, { lexAs: 'node' }, code, `${call.program} ${key}`);
  }
  if (call.stdin.kind === 'text' && a.some((w) => w.text === '-' || w.text === '/dev/stdin')) scanForeignCode(call, { lexAs: 'node' }, call.stdin.text, `${call.program} reading code from stdin`);
}
