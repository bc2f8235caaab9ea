/**
 * Interpreters: one-liners (`python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`, `lua -e`, awk
 * programs, `osascript -e`), scripts (judged by content when the agent wrote them), code read from
 * stdin, and REPLs started without a script (interactive: write_stdin is not governed).
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { type ForeignDialect, scanForeignCode } from '../foreignCode.js';
import { scanCode } from '../interpreterCode.js';
import { judgeDelete, judgeRead, judgeWrite } from '../pathRules.js';
import { type ShellWord, EMPTY_INPUT, PLAIN, UNKNOWN, sourceProvenance } from '../shellValue.js';
import { generic } from './generic.js';
import { runCode, runFile, runSource } from './scripts.js';
import { type ScriptLang, UNKNOWN_OUTPUT, display, pathOf, runInner, shellQuote } from './support.js';
import { SYSTEM_HANDLERS, judgeVaibotArgs } from './system.js';
import { judgeVimCommands, vimCommandArgs } from './vimScript.js';
import { judgeGoEnvWrite } from './toolConfig.js';
import { recordCompilerOutput } from '../compilerOutputs.js';
import { JS_RUNNERS, judgePackageBin, judgePackageScripts, judgePythonBuild, judgeRunnerFiles, judgeUnseenChange, scanCompiledSource } from '../workspaceRunners.js';

interface InterpSpec {
  lang: ScriptLang;
  /** Options whose argument is code. */
  code: string[];
  /** Options that take a (non-code) argument. */
  withArg: string[];
  /** Options that force an interactive session. */
  interactive: string[];
  /** Options after which nothing runs (version, help, syntax check). */
  noRun: string[];
  /** Short option letters that may be clustered and take no argument. */
  flags: string;
}

const SPECS: Record<string, InterpSpec> = {
  python: { lang: 'python', code: ['-c'], withArg: ['-W', '-X', '--check-hash-based-pycs', '-Q'], interactive: ['-i'], noRun: ['-V', '--version', '-h', '--help', '-?'], flags: 'bBdEhiIOqsSuvVx3RP' },
  node: { lang: 'node', code: ['-e', '--eval', '-p', '--print'], withArg: ['-r', '--require', '--import', '--loader', '--experimental-loader', '--input-type', '--conditions', '-C', '--title', '--env-file', '--inspect-port', '--max-old-space-size', '--stack-size', '--test-reporter', '--test-name-pattern'], interactive: ['-i', '--interactive'], noRun: ['-v', '--version', '-h', '--help', '-c', '--check', '--v8-options'], flags: '' },
  perl: { lang: 'perl', code: ['-e', '-E'], withArg: ['-I', '-M', '-m', '-x', '-C', '-d'], interactive: [], noRun: ['-v', '-V', '-c', '-h', '--help', '--version'], flags: 'nplaswtTWXuUcv0' },
  ruby: { lang: 'ruby', code: ['-e'], withArg: ['-I', '-r', '-C', '-E', '-F', '-x', '--encoding', '--external-encoding'], interactive: [], noRun: ['-v', '--version', '-h', '--help', '-c', '-y'], flags: 'nplaswWdvU' },
  php: { lang: 'php', code: ['-r', '-B', '-R', '-F', '-E'], withArg: ['-d', '-c', '-z', '-t', '-S', '-f'], interactive: ['-a', '--interactive'], noRun: ['-v', '--version', '-h', '--help', '-l', '--syntax-check', '-m', '-i', '--info', '--ini'], flags: 'nqsHeC' },
  lua: { lang: 'lua', code: ['-e'], withArg: ['-l'], interactive: ['-i'], noRun: ['-v'], flags: 'EW' },
};

/** Generic interpreter command line: code options, script operand, stdin, or a REPL. */
function interpreter(spec: InterpSpec): Handler {
  return (call) => {
    const run = call.exec.run;
    const w = call.argWords;
    const codes: ShellWord[] = [];
    let interactive = false;
    let inPlace = false;
    let module: ShellWord[] | null = null;
    let i = 0;
    for (; i < w.length; i++) {
      const t = w[i]!.text;
      if (t === '--') { i++; break; }
      if (t === '-') break;
      if (spec.noRun.includes(t)) return EMPTY_INPUT;
      if (spec.interactive.includes(t)) { interactive = true; continue; }
      const eq = t.indexOf('=');
      const key = t.startsWith('--') && eq > 0 ? t.slice(0, eq) : t;
      if (spec.code.includes(key)) {
        const c = eq > 0 && t.startsWith('--') ? { ...w[i]!, text: t.slice(eq + 1) } : w[++i];
        if (c) codes.push(c);
        continue;
      }
      // an option with its value attached: -MFile::Path, -I/usr/lib, -rfileutils
      if (!t.startsWith('--') && t.length > 2 && spec.withArg.includes(t.slice(0, 2))) continue;
      // clustered short code option: perl -ne 'code', python -uc 'code', ruby -pe
      if (/^-[A-Za-z0-9]+$/.test(t) && !t.startsWith('--')) {
        const letters = t.slice(1);
        const codeLetter = [...letters].findIndex((c) => spec.code.includes('-' + c));
        if (spec.lang === 'perl' || spec.lang === 'ruby') if (letters.includes('i')) inPlace = true;
        if (codeLetter >= 0) {
          const rest = letters.slice(codeLetter + 1);
          const c = rest ? { ...w[i]!, text: rest } : w[++i];
          if (c) codes.push(c);
          if ([...letters.slice(0, codeLetter)].some((c2) => spec.interactive.includes('-' + c2))) interactive = true;
          continue;
        }
        if (spec.lang === 'python' && letters.startsWith('m')) {
          const mod = letters.length > 1 ? { ...w[i]!, text: letters.slice(1) } : w[++i];
          module = mod ? [mod, ...w.slice(i + 1)] : [];
          i = w.length;
          break;
        }
        if (spec.withArg.includes('-' + letters[0])) {
          if (letters.length === 1) i++;
          continue;
        }
        if ([...letters].some((c) => spec.interactive.includes('-' + c))) interactive = true;
        if (spec.lang === 'perl' && letters.startsWith('i') || spec.lang === 'ruby' && letters.startsWith('i')) inPlace = true;
        continue;
      }
      if (t.startsWith('--')) {
        if (spec.withArg.includes(key) && eq < 0) i++;
        continue;
      }
      if (t.startsWith('-') && spec.withArg.includes(t)) { i++; continue; }
      break;
    }
    const rest = w.slice(i);
    const label = `${call.program}${codes.length ? ' ' + (spec.code[0] ?? '-e') : ''}`;
    if (module) return pythonModule(call, module);
    if (codes.length > 0) {
      for (const c of codes) {
        if (c.from.download) run.add('exec.download-then-exec', `${label} runs code downloaded from the network`);
        if (c.from.decoded) run.add('exec.decode-then-exec', `${label} runs code decoded at run time`);
      }
      const printing = spec.lang === 'node' && call.args.some((a) => a === '-p' || a === '--print' || a.startsWith('--print='));
      const code = codes.map((c) => c.text).join('\n');
      const text = printing ? `console.log(${code})` : code;
      // The code's own arguments (sys.argv, @ARGV, process.argv) are known: follow them.
      if (rest.length > 0 && text.split(UNKNOWN).join('').trim() !== '') scanCode(call, spec.lang, text, label, { argv: rest.map((x) => x.text) });
      else runCode(call, spec.lang, text, label);
      // perl -pi -e / ruby -i: remaining operands are edited in place
      for (const f of rest) {
        const ref = pathOf(call, f, { glob: f.glob });
        judgeRead(run, ref, { verb: call.program });
        if (inPlace) judgeWrite(run, ref, { verb: `${call.program} -i`, content: codes.map((c) => c.text).join('\n') });
        if (inPlace && ref) run.writes.set(ref.path, { kind: 'unknown', from: PLAIN });
      }
      return UNKNOWN_OUTPUT;
    }
    const script = rest[0];
    if (script && script.text !== '-') {
      if (script.procSub) return runSource(call, spec.lang, script.procSub, `${call.program} <(…)`);
      if (/^https?:\/\//.test(script.text)) {
        run.add('exec.download-then-exec', `${call.program} runs a script straight from ${display(script.text)}`);
        return UNKNOWN_OUTPUT;
      }
      if (script.from.download) run.add('exec.download-then-exec', `${call.program} runs a script named by downloaded data`);
      if (looksLikeVaibotCli(script.text, rest.slice(1).map((x) => x.text))) judgeVaibotArgs(call, rest.slice(1).map((x) => x.text), `${call.program} ${display(script.text)}`);
      if (script.text === '/dev/stdin') return runSource(call, spec.lang, call.stdin, `${call.program} /dev/stdin`);
      if (interactive) run.add('exec.interactive', `${call.program} -i stays interactive after the script: input sent with write_stdin is not governed`);
      return runFile(call, spec.lang, script.dynamic ? null : script.text, call.program);
    }
    // `node --test` with no path runs the project's test files, it does not start a REPL
    if (spec.lang === 'node' && !interactive && call.args.some((a) => a === '--test' || a.startsWith('--test='))) return UNKNOWN_OUTPUT;
    // `php -S host:port [-t dir]` is the built-in web server, not a REPL (what it serves is judged as a file server)
    if (spec.lang === 'php' && !interactive && call.args.some((a) => a === '-S' || /^-S.+/.test(a))) return UNKNOWN_OUTPUT;
    if (interactive || call.stdin.kind === 'terminal') {
      run.add('exec.interactive', `${call.program} without a script starts a REPL: code sent to it with write_stdin is not governed`);
      return UNKNOWN_OUTPUT;
    }
    return runSource(call, spec.lang, call.stdin, `${call.program} reading code from stdin`);
  };
}

/**
 * A script that is VAIBOT's CLI, however it was reached: a path naming vaibot or our bundled
 * `dist/cli`, or any script asked to approve or deny a content hash (a copy of the CLI elsewhere).
 */
function looksLikeVaibotCli(script: string, args: string[]): boolean {
  if (/vaibot/i.test(script) || /(?:^|\/)plugin\/dist\/cli\.[cm]?js$/.test(script)) return true;
  const ops = args.filter((a) => !a.startsWith('-'));
  return /^(?:approve|deny)$/i.test(ops[0] ?? '') && /^(?:sha256:)?[0-9a-f]{8,}$/i.test(ops[1] ?? '');
}

/** `python -m MODULE args`. */
function pythonModule(call: Call, module: ShellWord[]): ReturnType<Handler> {
  const run = call.exec.run;
  const name = module[0]?.text ?? '';
  const args = module.slice(1);
  switch (name) {
    case 'twine':
      if (args[0]?.text === 'upload') run.add('publish.package', 'python -m twine upload publishes a package');
      return UNKNOWN_OUTPUT;
    case 'http.server':
    case 'SimpleHTTPServer':
      return UNKNOWN_OUTPUT;
    case 'pip':
      return runInner(call, [{ ...module[0]!, text: 'pip' }, ...args], { via: 'python -m' });
    case 'pytest':
    case 'unittest':
    case 'tox':
    case 'nox':
      judgeRunnerFiles(call, name);
      return UNKNOWN_OUTPUT;
    case 'build':
      judgePythonBuild(call, args.find((a) => !a.text.startsWith('-'))?.text ?? '.');
      return UNKNOWN_OUTPUT;
    case 'pty':
    case 'code':
    case 'asyncio':
      run.add('exec.interactive', `python -m ${name} starts an interactive session: input sent with write_stdin is not governed`);
      return UNKNOWN_OUTPUT;
    case 'site':
      // the per-user site-packages (and its base) below ~/.local, where startup files go
      if (args.some((a) => a.text === '--user-site' || a.text === '--user-base')) {
        return { kind: 'unknown', from: PLAIN, under: posix.join(run.zones.home, '.local'), ...(args.some((a) => a.text === '--user-base') ? { whole: true } : {}) };
      }
      return UNKNOWN_OUTPUT;
    case 'base64': {
      // the module's operands are files it reads, as for any other program
      const out = generic({ ...call, args: args.map((a) => a.text), argWords: args });
      return args.some((a) => a.text === '-d' || a.text === '--decode') ? { kind: 'unknown', from: { ...sourceProvenance(out), decoded: true } } : out;
    }
  }
  // any other module: its operands are judged like any program's (secret files read, protected paths given)
  return generic({ ...call, args: args.map((a) => a.text), argWords: args });
}

/** `deno eval CODE`, `deno run FILE|URL`, `deno repl`; `bun -e`, `bun run`, `bun x`. */
const deno: Handler = (call) => {
  const run = call.exec.run;
  const sub = call.args[0] ?? '';
  const rest = call.argWords.slice(1);
  if (call.program === 'bun' && (sub === '-e' || sub === '--eval' || sub === '-p' || sub === '--print')) return runCode(call, 'node', rest[0]?.text ?? '', `bun ${sub}`);
  if (sub === 'eval') return runCode(call, 'node', rest.filter((x) => !x.text.startsWith('-')).map((x) => x.text)[0] ?? '', `${call.program} eval`);
  if (sub === 'repl' || (call.argWords.length === 0 && call.stdin.kind === 'terminal')) {
    run.add('exec.interactive', `${call.program} repl: code sent with write_stdin is not governed`);
    return UNKNOWN_OUTPUT;
  }
  if (call.program === 'bun' && (sub === 'x' || sub === 'dlx')) return runInner(call, rest, { via: 'bun x' });
  if (call.program === 'deno' && sub === 'task') judgeRunnerFiles(call, 'deno-task');
  // `deno run - <<< CODE`, `bun run -`: the script comes from stdin
  if (sub === 'run' && rest.some((x) => x.text === '-')) return runSource(call, 'node', call.stdin, `${call.program} run -`);
  if (call.program === 'bun' && sub === 'publish') run.add('publish.package', 'bun publish publishes a package');
  if (call.program === 'bun' && sub === 'test') judgeRunnerFiles(call, 'bun-test');
  if (call.program === 'bun' && (sub === 'install' || sub === 'i')) judgePackageScripts(call, 'install');
  if (sub === 'run' || (call.program === 'bun' && !['install', 'add', 'remove', 'update', 'test', 'build', 'init', 'create', 'pm', 'link', 'upgrade', 'outdated'].includes(sub))) {
    const args = sub === 'run' ? rest : call.argWords;
    const target = args.find((x) => !x.text.startsWith('-'));
    if (target && /^https?:\/\//.test(target.text)) {
      run.add('exec.download-then-exec', `${call.program} runs a script straight from ${display(target.text)}`);
      return UNKNOWN_OUTPUT;
    }
    if (target && /\.[cm]?[jt]sx?$/.test(target.text)) return runFile(call, 'node', target.dynamic ? null : target.text, call.program);
    // `bun run NAME` / `bun NAME`: a package.json script, else a package binary
    if (call.program === 'bun' && target && !target.dynamic && /^[\w:@.-]+$/.test(target.text)) {
      judgePackageScripts(call, target.text);
      judgePackageBin(call, target.text);
    }
  }
  return UNKNOWN_OUTPUT;
};

/** awk programs: `system()`, `print | "cmd"`, `print > "file"`; operands are files read. */
const awk: Handler = (call) => {
  const w = call.argWords;
  let program: string | null = null;
  let inPlace = false;
  const assigns: string[] = [];
  let i = 0;
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '--') { i++; break; }
    // gawk's `-i inplace` (`--include=inplace`) rewrites every file it reads
    if ((t === '-i' || t === '--include') && /^inplace(?:\.awk)?$/.test(w[i + 1]?.text ?? '')) { inPlace = true; i++; continue; }
    if (/^(?:-i|--include=)inplace(?:\.awk)?$/.test(t)) { inPlace = true; continue; }
    if (t === '-f' || t === '--file') {
      const f = w[++i];
      if (f) runFile(call, 'awk', f.text, `${call.program} -f`);
      program = '';
      continue;
    }
    if (t === '-v' || t === '--assign') { const a = w[++i]?.text; if (a) assigns.push(a); continue; }
    if (/^-v[A-Za-z_]/.test(t)) { assigns.push(t.slice(2)); continue; }
    if (t === '-F' || t === '--field-separator') { i++; continue; }
    if (t.startsWith('-') && t.length > 1) continue;
    break;
  }
  if (program === null) program = w[i++]?.text ?? '';
  // `-v NAME=VALUE` is set before BEGIN runs: spelled as an assignment there, so the program's uses of NAME are followed
  const preset = assigns.map((a) => /^([A-Za-z_]\w*)=(.*)$/s.exec(a)).filter((m) => m !== null).map((m) => `${m[1]} = "${m[2]!.replace(/["\\]/g, '\\$&')}"`);
  // `awk -F= '{print $1}' .env`: the names only, no value
  const namesOnly = !inPlace && /^\s*\{\s*print\s+\$1\s*;?\s*\}\s*$/.test(program) && w.some((x, k) => x.text === '-F=' || (x.text === '-F' && /^=$|^\[=\]$/.test(w[k + 1]?.text ?? '')));
  if (program) runCode(call, 'awk', preset.length ? `BEGIN { ${preset.join('; ')} }\n${program}` : program, call.program);
  for (const f of w.slice(i)) {
    if (/^[A-Za-z_]\w*=/.test(f.text)) continue;
    judgeRead(call.exec.run, pathOf(call, f), { verb: call.program, ignoreDotenv: namesOnly });
    if (inPlace) judgeWrite(call.exec.run, pathOf(call, f), { verb: `${call.program} -i inplace` });
  }
  return { kind: 'unknown', from: call.stdin.kind === 'terminal' ? PLAIN : call.stdin.from };
};

/** `osascript -e 'do shell script "…"'`. */
const osascript: Handler = (call) => {
  const codes: string[] = [];
  for (let i = 0; i < call.args.length; i++) if (call.args[i] === '-e' && call.args[i + 1] !== undefined) codes.push(call.args[++i]!);
  const code = codes.join('\n');
  for (const m of code.matchAll(/do\s+shell\s+script\s+"((?:[^"\\]|\\.)*)"/gi)) runCode(call, 'sh', m[1]!.replace(/\\(.)/g, '$1'), 'osascript do shell script');
  // JavaScript for Automation: `$.system("…")` (ObjC stdlib), `app.doShellScript("…")`
  for (const m of code.matchAll(/(?:\$\.system|doShellScript)\s*\(\s*(["'])((?:(?!\1)[^\\]|\\.)*)\1/g)) runCode(call, 'sh', m[2]!.replace(/\\(.)/g, '$1'), 'osascript (JavaScript) shell command');
  if (codes.length === 0 && call.args.length === 0 && call.stdin.kind === 'terminal')
    call.exec.run.add('exec.interactive', 'osascript without a script reads it interactively');
  return UNKNOWN_OUTPUT;
};

const composerRunner = workspaceRunner('composer');

/** A runtime scanned generically: its code options, options taking an argument, and how its code is spelled. */
interface ForeignSpec {
  dialect: ForeignDialect;
  /** Options whose argument is code (`-e`, `--eval`). */
  code: string[];
  /** Options whose argument is a script file. */
  script?: string[];
  /** Other options that take an argument. */
  withArg?: string[];
  /** A subcommand that must come first (`go run`, `crystal eval`); other subcommands get the generic checks. */
  sub?: string;
  /** The code is the operand after the subcommand (`crystal eval CODE`). */
  codeOperand?: boolean;
  /** Spell the language's own ways of running a command as calls the scanner knows. */
  rewrite?: (code: string) => string;
}

/**
 * Scala's `sys.process`: `"cmd".!`, `"cmd".!!`, `Seq("rm", "-rf", x).!`, `Process("cmd").!` run a
 * command; each becomes `system("…")`. (`Seq` arguments are joined with spaces and quoted.)
 */
function scalaProcess(code: string): string {
  const str = /"((?:[^"\\]|\\.)*)"/g;
  return code
    .replace(/\b(?:Seq|List)\s*\(([^()]*)\)\s*\.\s*(?:!!?|lazyLines|run)(?![\w=])/g, (_m, args: string) => `system(${JSON.stringify([...args.matchAll(str)].map((a) => shellQuote(a[1]!)).join(' '))})`)
    .replace(/\bProcess\s*\(/g, 'system(')
    .replace(/("(?:[^"\\]|\\.)*")\s*\.\s*(?:!!?|lazyLines|run)(?![\w=])/g, 'system($1)');
}

/** Runtimes without a dedicated scanner: `Rscript -e`, `julia -e`, `guile -c`, `sbcl --eval`, `tclsh` on stdin, `go run`. */
function foreign(spec: ForeignSpec): Handler {
  return (call) => {
    const run = call.exec.run;
    let w = call.argWords;
    if (spec.sub !== undefined) {
      if (w[0]?.text !== spec.sub) return generic(call);
      w = w.slice(1);
    }
    const label = call.program + (spec.sub ? ` ${spec.sub}` : '');
    let scanned = false;
    for (let i = 0; i < w.length; i++) {
      const t = w[i]!.text;
      const eq = t.indexOf('=');
      const key = t.startsWith('--') && eq > 0 ? t.slice(0, eq) : t;
      const value = () => (eq > 0 && t.startsWith('--') ? t.slice(eq + 1) : w[++i]?.text);
      if (spec.code.includes(key)) {
        const code = value();
        if (code !== undefined) foreignCode(call, spec.dialect, spec.rewrite ? spec.rewrite(code) : code, `${label} ${key}`);
        scanned = true;
      } else if (spec.script?.includes(key)) {
        foreignFile(call, spec.dialect, value() ?? null, label);
        scanned = true;
      } else if (spec.withArg?.includes(key)) {
        if (eq < 0) i++;
      } else if (t === '-' || (!t.startsWith('-') && !scanned)) {
        if (spec.codeOperand && t !== '-') foreignCode(call, spec.dialect, t, label);
        else if (t === '-' || /^\/dev\/stdin$/.test(t)) foreignStdin(call, spec.dialect, label);
        else foreignFile(call, spec.dialect, w[i]!.dynamic ? null : t, label);
        return UNKNOWN_OUTPUT;
      }
    }
    if (scanned) return UNKNOWN_OUTPUT;
    if (call.stdin.kind === 'terminal') {
      if (spec.sub === undefined) run.add('exec.interactive', `${call.program} without a script starts a REPL: code sent to it with write_stdin is not governed`);
      return UNKNOWN_OUTPUT;
    }
    foreignStdin(call, spec.dialect, `${label} reading code from stdin`);
    return UNKNOWN_OUTPUT;
  };
}

function foreignCode(call: Call, dialect: ForeignDialect, code: string, label: string): void {
  if (code.split(UNKNOWN).join('').trim() === '') runCode(call, 'sh', code, label);
  else scanForeignCode(call, dialect, code, label);
}

function foreignStdin(call: Call, dialect: ForeignDialect, label: string): void {
  const stdin = call.stdin;
  if (stdin.kind === 'text') {
    if (stdin.from.download) call.exec.run.add('exec.download-then-exec', `${label} runs code downloaded from the network`);
    if (stdin.from.decoded) call.exec.run.add('exec.decode-then-exec', `${label} runs code decoded at run time`);
    foreignCode(call, dialect, stdin.text, label);
  } else runSource(call, 'sh', stdin, label);
}

function foreignFile(call: Call, dialect: ForeignDialect, path: string | null, label: string): void {
  const run = call.exec.run;
  const ref = path === null ? null : pathOf(call, path);
  if (ref === null) {
    run.add('exec.dynamic-command', `${label} runs a script whose path is only known at run time`);
    return;
  }
  if (/^https?:\/\//.test(path ?? '')) {
    run.add('exec.download-then-exec', `${label} runs a script straight from ${display(path ?? '')}`);
    return;
  }
  run.touch(ref.real, 'exec');
  const content = run.contentOf(ref.path) ?? run.contentOf(ref.real);
  if (!content || content.kind !== 'text') return;
  run.add('exec.session-written-file', `${label} runs ${display(path ?? '')}, written earlier by the agent: judged by its content`);
  foreignCode(call, dialect, content.text, `${label} ${display(path ?? '')}`);
}

const R_LANG: ForeignDialect = { lexAs: 'python' };
const JULIA: ForeignDialect = { lexAs: 'python', backtickCommands: true, rmDeletes: true };
const LISP: ForeignDialect = { lexAs: 'node', lisp: true };
const TCL: ForeignDialect = { lexAs: 'sh', tcl: true };
const C_LIKE: ForeignDialect = { lexAs: 'node' };
const ELIXIR: ForeignDialect = { lexAs: 'ruby' };
const PERLISH: ForeignDialect = { lexAs: 'perl' };
const PYTHONISH: ForeignDialect = { lexAs: 'python' };

const zigRun = foreign({ dialect: C_LIKE, code: [], sub: 'run' });

const goRun = foreign({ dialect: C_LIKE, code: [], sub: 'run', withArg: ['-C', '-p', '-tags', '-ldflags', '-gcflags', '-exec', '-mod', '-modfile', '-overlay', '-pgo'] });

/** `go generate` runs `//go:generate` lines; `go test` and `go run PKG` run the package's code; `go build -o X` records X. */
const goTool: Handler = (call) => {
  const a = call.argWords;
  const sub = a[0]?.text ?? '';
  const operands = a.slice(1).filter((w) => !w.text.startsWith('-'));
  if (sub === 'generate') judgeRunnerFiles(call, 'go-generate');
  else if (sub === 'test') judgeRunnerFiles(call, 'go-run');
  else if (sub === 'run' && !operands.some((w) => w.text.endsWith('.go'))) judgeRunnerFiles(call, 'go-run');
  else if (sub === 'build') recordCompiled(call, a.slice(1), null);
  else if (sub === 'env') judgeGoEnvWrite(call);
  // `-toolexec CMD` runs CMD around every compiler and linker call; `-exec CMD` runs the built program through CMD
  for (let i = 1; i < a.length; i++) {
    const m = /^-{1,2}(toolexec|exec)(?:=(.*))?$/s.exec(a[i]!.text);
    if (!m) continue;
    const value = m[2] ?? a[++i]?.text;
    if (value) runCode(call, 'sh', value, `go ${sub} -${m[1]}`);
  }
  // test selectors and other values are no paths (`-run 'TestX/.*'` would glob dotfiles)
  const kept = a.filter((w, i) => !(i > 0 && GO_VALUE_FLAG.test(a[i - 1]!.text)));
  return goRun(kept.length === a.length ? call : { ...call, argWords: kept, args: kept.map((w) => w.text) });
};

/** Go flags whose value is a pattern, a count or a name, not a path. */
const GO_VALUE_FLAG = /^-{1,2}(?:run|bench|skip|count|timeout|cpu|parallel|benchtime|shuffle|list|fuzz|fuzztime|fuzzminimizetime|tags|ldflags|gcflags|asmflags|mod|covermode|coverpkg|p|vet|json)$/;

/** The program a compiler writes: `-o X`, else `a.out` (C), or the source's name (rustc). */
function compilerOutput(call: Call, words: readonly ShellWord[], sources: readonly string[]): string | null {
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '-o') return words[i + 1]?.text ?? null;
    if (/^-o./.test(t)) return t.slice(2);
  }
  if (call.program === 'go') return null;
  if (call.program === 'rustc') return sources[0] ? posix.basename(sources[0]).replace(/\.rs$/, '') : null;
  return 'a.out';
}

/** Remember which written sources a compiler turns into which program, so running it is judged. */
function recordCompiled(call: Call, words: readonly ShellWord[], defaultOut: string | null): void {
  const run = call.exec.run;
  const sources = words.filter((w) => !w.text.startsWith('-') && /\.(?:c|cc|cpp|cxx|c\+\+|m|mm|rs|go|zig|d|nim|swift|s|S)$/.test(w.text)).map((w) => w.text);
  const written = sources.map((src) => ({ src, ref: pathOf(call, src) })).filter((x) => x.ref && run.contentOf(x.ref.path));
  if (written.length === 0) return;
  const out = compilerOutput(call, words, sources) ?? defaultOut;
  const outRef = out ? pathOf(call, out) : null;
  if (!outRef) return;
  const first = written[0]!;
  const content = run.contentOf(first.ref!.path)!;
  const merged = written.every((w) => run.contentOf(w.ref!.path)!.kind === 'text') ? { kind: 'text' as const, text: written.map((w) => (run.contentOf(w.ref!.path) as { text: string }).text).join('\n'), from: content.from } : content;
  recordCompilerOutput(run, outRef.path, { source: first.src, content: merged });
  run.writes.set(outRef.path, { kind: 'unknown', from: content.from });
}

/** C/C++/Rust/... compilers: a program built from a written source is judged when it runs (`tcc -run` runs it now). */
const compiler: Handler = (call) => {
  recordCompiled(call, call.argWords, null);
  if (call.program === 'tcc' && call.args.includes('-run')) {
    const src = call.argWords.find((w) => /\.c$/.test(w.text));
    if (src) runFile(call, null, src.text, 'tcc -run');
  }
  return generic(call);
};

/** Code given with one of `flags` is scanned by `code`; otherwise the program is judged as a REPL by `otherwise`. */
function orRepl(flags: readonly string[], code: Handler, otherwise: Handler): Handler {
  return (call) => (call.args.some((a) => flags.includes(a)) ? code(call) : otherwise(call));
}

/** `kotlin -e CODE` / `kotlinc -e CODE`. */
const kotlinScript = foreign({ dialect: C_LIKE, code: ['-e', '-expression'], withArg: ['-cp', '-classpath', '-d'] });

/** A tool that executes workspace files (test runners, bundlers, linters with JS configs): judge the written ones. */
function workspaceRunner(runner: string, next: Handler = generic): Handler {
  return (call) => {
    judgeRunnerFiles(call, runner);
    if (call.via.length > 0 || call.scope.depth > 0) judgePackageBin(call, call.program);
    return next(call);
  };
}

/** `java File.java [args]`: Java 11+ compiles and runs one source file (judged by its content when the agent wrote it). */
const javaTool: Handler = (call) => {
  // `java --source N /dev/stdin <<< '…'`: one source file read from stdin
  if (call.args.some((x) => x === '/dev/stdin' || x === '-') && call.args.some((x) => x === '--source' || x.startsWith('--source=')) && call.stdin.kind === 'text') {
    scanCompiledSource(call, call.stdin.text, 'java --source /dev/stdin');
    return UNKNOWN_OUTPUT;
  }
  const src = call.argWords.find((w) => /\.java$/.test(w.text) && !w.text.startsWith('-'));
  if (src) {
    const ref = pathOf(call, src);
    const content = ref ? call.exec.run.contentOf(ref.path) : undefined;
    if (content?.kind === 'text') { call.exec.run.add('exec.session-written-file', `java runs ${display(src.text)}, written earlier by the agent: judged by its content`); scanCompiledSource(call, content.text, `java ${src.text}`); }
    else if (content) judgeUnseenChange(call, ref!.path, 'java');
  }
  return generic(call);
};

/** `cmake [-S DIR] [-B DIR] [DIR]`, `cmake --build DIR`: CMake files of the source directory run their commands. */
const cmakeTool: Handler = (call) => {
  const a = call.args;
  // `cmake -E rm -rf PATH…` is rm; `cmake -P -` / `/dev/stdin` runs a CMake script from stdin
  if (a[0] === '-E' && /^(?:rm|remove|remove_directory)$/.test(a[1] ?? '')) {
    const rest = call.argWords.slice(2).filter((w) => !w.text.startsWith('-'));
    for (const w of rest) judgeDelete(call.exec.run, pathOf(call, w), { recursive: a[1] === 'remove_directory' || a.slice(2).some((x) => /^-[a-zA-Z]*r/.test(x)), verb: `cmake -E ${a[1]}` });
    return UNKNOWN_OUTPUT;
  }
  const script = a[a.indexOf('-P') + 1];
  if (a.includes('-P') && (script === '-' || script === '/dev/stdin') && call.stdin.kind === 'text') {
    for (const m of call.stdin.text.matchAll(/\bfile\s*\(\s*(REMOVE_RECURSE|REMOVE)\s+([^)]*)\)/g))
      for (const p of m[2]!.trim().split(/\s+/)) judgeDelete(call.exec.run, pathOf(call, p.replace(/^"(.*)"$/, '$1')), { recursive: m[1] === 'REMOVE_RECURSE', verb: `cmake -P file(${m[1]})` });
    foreignCode(call, C_LIKE, call.stdin.text.replace(/\bexecute_process\s*\(\s*COMMAND\s+([^)]*)\)/g, (_, c: string) => `system(${JSON.stringify(c.trim())})`), 'cmake -P');
  }
  const s = a.indexOf('-S');
  const build = a.includes('--build');
  const positional = a.find((x, i) => !x.startsWith('-') && !/^-[SBGTADC]$|^--build$|^--target$|^--config$|^-j$|^--parallel$/.test(a[i - 1] ?? ''));
  // `cmake --build DIR` builds the tree configured before: its sources are not known here, the current directory is the best guess
  judgeRunnerFiles(call, 'cmake', s >= 0 ? a[s + 1] : a.find((x) => x.startsWith('-S') && x.length > 2)?.slice(2) ?? (build ? undefined : positional));
  return generic(call);
};

/** `pip install DIR|-e DIR`, `pip wheel DIR`: a local project's setup.py / build backend runs. */
const pipTool: Handler = (call) => {
  const a = call.argWords;
  const sub = a.find((w) => !w.text.startsWith('-'))?.text ?? '';
  if (/^(?:install|wheel|download)$/.test(sub)) {
    for (let i = 0; i < a.length; i++) {
      const t = a[i]!.text;
      const local = t === '-e' || t === '--editable' ? a[++i]?.text : /^--editable=/.test(t) ? t.slice(11) : !t.startsWith('-') && t !== sub && /^(?:\.{1,2}(?:\/|$)|\/|~\/|file:)/.test(t) && !/\.(?:whl|txt)$/.test(t) ? t : undefined;
      if (local !== undefined) judgePythonBuild(call, local.replace(/^file:(?:\/\/)?/, '').replace(/\[.*\]$/, ''));
    }
  }
  // `pip config [--user|--global|--site] set KEY VALUE`
  const setAt = sub === 'config' ? a.findIndex((w) => w.text === 'set') : -1;
  const key = setAt >= 0 ? a[setAt + 1]?.text ?? '' : '';
  if (/index-url|find-links|trusted-host/.test(key)) call.exec.run.add('persist.package-index', `${call.program} config set ${display(key)} points installs at another index`);
  return SYSTEM_HANDLERS.pip!(call);
};

/** REPL-only programs: interactive unless fed a script on stdin or given arguments that run something. */
function repl(hasScriptArg: (args: string[]) => boolean): Handler {
  return (call) => {
    if (hasScriptArg(call.args)) return UNKNOWN_OUTPUT;
    if (call.stdin.kind !== 'terminal') return runSource(call, 'sh', { kind: 'unknown', from: call.stdin.from }, call.program, { interactiveOk: true });
    call.exec.run.add('exec.interactive', `${call.program} starts an interactive session: input sent with write_stdin is not governed`);
    return UNKNOWN_OUTPUT;
  };
}

const anyNonOption = (args: string[]) => args.some((a) => !a.startsWith('-'));

/** Editors: interactive, and every file they open may be written. */
function editor(batch: (args: string[]) => boolean): Handler {
  return (call) => {
    const run = call.exec.run;
    // ex commands on the command line, and on stdin in ex mode (`vim -es < cmds`)
    const commands = vimCommandArgs(call.args);
    if (call.stdin.kind === 'text' && call.args.some((a) => /^-[a-zA-Z]*[eE]/.test(a) && !a.startsWith('--'))) commands.push(call.stdin.text);
    if (commands.length > 0) judgeVimCommands(call, commands, call.program);
    for (let i = 0; i < call.argWords.length; i++) {
      const w = call.argWords[i]!;
      if (/^(?:-[cSuUiTwWstq]|--cmd|--startuptime)$/.test(w.text)) { i++; continue; }
      if (w.text.startsWith('-') || w.text.startsWith('+')) continue;
      const ref = pathOf(call, w);
      judgeRead(run, ref, { verb: call.program });
      judgeWrite(run, ref, { verb: call.program });
    }
    if (!batch(call.args)) run.add('exec.interactive', `${call.program} is interactive: keystrokes sent with write_stdin (including shell escapes) are not governed`);
    return UNKNOWN_OUTPUT;
  };
}

/** Interpreters and REPLs, by program name. */
export const INTERPRETER_HANDLERS: Record<string, Handler> = {
  python: interpreter(SPECS.python!),
  node: interpreter(SPECS.node!),
  // google/zx: a script file, `--eval CODE`, or the script on stdin; its $`cmd` templates are shell
  zx: interpreter({ lang: 'node', code: ['-e', '--eval'], withArg: ['--shell', '--prefix', '--postfix', '--cwd', '--registry', '--env', '--ext'], interactive: ['-i', '--repl'], noRun: ['-v', '--version', '-h', '--help'], flags: '' }),
  nodejs: interpreter(SPECS.node!),
  perl: interpreter(SPECS.perl!),
  ruby: interpreter(SPECS.ruby!),
  php: interpreter(SPECS.php!),
  lua: interpreter(SPECS.lua!),
  deno,
  bun: deno,
  ipython: interpreter(SPECS.python!), ipython3: interpreter(SPECS.python!), jython: interpreter(SPECS.python!), micropython: interpreter(SPECS.python!), graalpy: interpreter(SPECS.python!),
  Rscript: foreign({ dialect: R_LANG, code: ['-e', '--expr'], withArg: ['--default-packages'] }),
  R: foreign({ dialect: R_LANG, code: ['-e'], script: ['-f', '--file'], withArg: ['--encoding', '--max-ppsize'] }),
  julia: foreign({ dialect: JULIA, code: ['-e', '--eval', '-E', '--print'], withArg: ['-p', '--procs', '-t', '--threads', '-C', '--cpu-target', '-J', '--sysimage', '-L', '--load', '-O', '--project', '--startup-file', '--history-file', '--compile', '--depwarn'] }),
  tclsh: foreign({ dialect: TCL, code: [] }), wish: foreign({ dialect: TCL, code: [] }), jimsh: foreign({ dialect: TCL, code: [] }),
  guile: foreign({ dialect: LISP, code: ['-c'], script: ['-s'], withArg: ['-L', '-l', '-e', '-x', '-C'] }),
  racket: foreign({ dialect: LISP, code: ['-e', '--eval'], script: ['-f', '--load', '-r', '--script'], withArg: ['-l', '--lib', '-t', '--require', '-S', '--search'] }),
  sbcl: foreign({ dialect: LISP, code: ['--eval'], script: ['--script', '--load'], withArg: ['--core', '--dynamic-space-size', '--control-stack-size', '--userinit', '--sysinit'] }),
  clisp: foreign({ dialect: LISP, code: ['-x'], withArg: ['-M', '-m', '-L', '-E', '-i'] }),
  ecl: foreign({ dialect: LISP, code: ['-eval', '--eval'], script: ['-load', '-shell'] }),
  gosh: foreign({ dialect: LISP, code: ['-e', '-E'], withArg: ['-u', '-l', '-I', '-A'] }),
  chicken: foreign({ dialect: LISP, code: ['-e', '-eval'] }), csi: foreign({ dialect: LISP, code: ['-e', '-eval', '-p', '-P'], script: ['-s', '-script'] }),
  bb: foreign({ dialect: LISP, code: ['-e', '--eval'], script: ['-f', '--file'], withArg: ['--classpath', '-cp', '--config'] }),
  clojure: foreign({ dialect: LISP, code: ['-e', '--eval'], withArg: ['-Sdeps', '-A', '-X', '-T'] }), clj: foreign({ dialect: LISP, code: ['-e', '--eval'], withArg: ['-Sdeps', '-A', '-X', '-T'] }),
  swift: foreign({ dialect: C_LIKE, code: ['-e'], withArg: ['-I', '-L', '-F', '-module-name', '-sdk', '-target'] }),
  go: goTool,
  // more runtimes with code on the command line or stdin
  raku: foreign({ dialect: PERLISH, code: ['-e'], withArg: ['-I', '-M'] }), perl6: foreign({ dialect: PERLISH, code: ['-e'], withArg: ['-I', '-M'] }),
  octave: foreign({ dialect: C_LIKE, code: ['--eval'] }), 'octave-cli': foreign({ dialect: C_LIKE, code: ['--eval'] }),
  gnuplot: foreign({ dialect: C_LIKE, code: ['-e'] }),
  ocaml: foreign({ dialect: C_LIKE, code: ['-e'], withArg: ['-I', '-init'] }),
  runghc: foreign({ dialect: C_LIKE, code: [] }), runhaskell: foreign({ dialect: C_LIKE, code: [] }), ghc: foreign({ dialect: C_LIKE, code: ['-e'] }),
  dart: foreign({ dialect: C_LIKE, code: [], sub: 'run' }),
  nim: (call) => {
    const code = call.args.find((x) => x.startsWith('--eval:') || x.startsWith('--eval='));
    if (code) foreignCode(call, PYTHONISH, code.slice(7), 'nim --eval');
    return generic(call);
  },
  dotnet: (call) => {
    // dotnet-script: `dotnet script -e CODE` / `dotnet script eval CODE`
    if (call.args[0] !== 'script') return generic(call);
    const a = call.args;
    const i = a.findIndex((x) => x === '-e' || x === '--eval' || x === 'eval');
    if (i >= 0 && a[i + 1] !== undefined) foreignCode(call, C_LIKE, a[i + 1]!, 'dotnet script');
    else if (a.includes('-') && call.stdin.kind !== 'terminal') foreignStdin(call, C_LIKE, 'dotnet script -');
    return UNKNOWN_OUTPUT;
  },
  elixir: foreign({ dialect: ELIXIR, code: ['-e', '--eval'], withArg: ['-r', '-pr', '-pa', '-pz', '--cookie', '--name', '--sname', '--erl'] }),
  groovy: foreign({ dialect: C_LIKE, code: ['-e'], withArg: ['-cp', '--classpath', '-D'] }),
  kotlin: kotlinScript, kotlinc: kotlinScript,
  crystal: foreign({ dialect: ELIXIR, code: [], sub: 'eval', codeOperand: true }),
  awk, gawk: awk, mawk: awk, nawk: awk,
  pip: pipTool,
  pytest: workspaceRunner('pytest'), 'py.test': workspaceRunner('pytest'),
  tox: workspaceRunner('tox'), nox: workspaceRunner('nox'), rake: workspaceRunner('rake'),
  poe: workspaceRunner('poe'), cmake: cmakeTool,
  just: workspaceRunner('just'), task: workspaceRunner('task'), 'go-task': workspaceRunner('task'), 'pre-commit': workspaceRunner('pre-commit'),
  composer: (call) => {
    // `composer config scripts.NAME CMD`: composer runs it later by itself (install, update, run-script)
    const ops = call.args.filter((a) => !a.startsWith('-'));
    if (ops[0] === 'config' && /^scripts\./.test(ops[1] ?? '') && ops[2] !== undefined) runCode(call, 'sh', ops.slice(2).join(' '), `composer sets ${ops[1]} (run later by composer)`);
    return composerRunner(call);
  },
  ...Object.fromEntries(JS_RUNNERS.filter((r) => !r.includes('-test')).map((r) => [r, workspaceRunner(r)])),
  gcc: compiler, 'g++': compiler, cc: compiler, 'c++': compiler, clang: compiler, 'clang++': compiler, tcc: compiler, rustc: compiler,
  // `zig run FILE|/dev/stdin` compiles and runs it
  zig: (call) => (call.args[0] === 'run' ? zigRun(call) : compiler(call)),
  osascript,
  // direnv's stdlib in an .envrc: `source_url URL HASH` downloads a script and sources it
  source_url: (call) => {
    const url = call.argWords[0];
    if (url) call.exec.run.add('exec.download-then-exec', `source_url (direnv) runs a script downloaded from ${display(url.text)}`);
    return UNKNOWN_OUTPUT;
  },
  irb: repl(anyNonOption), pry: repl(anyNonOption), ghci: repl(anyNonOption), erl: orRepl(['-eval'], foreign({ dialect: ELIXIR, code: ['-eval'], withArg: ['-pa', '-pz', '-sname', '-name', '-setcookie', '-s', '-run'] }), repl((a) => a.includes('-s') || a.includes('-noshell'))),
  iex: repl(anyNonOption),
  scala: orRepl(['-e'], foreign({ dialect: C_LIKE, code: ['-e'], withArg: ['-cp', '-classpath', '--classpath', '-d'], rewrite: scalaProcess }), repl(anyNonOption)), jshell: repl(anyNonOption), java: javaTool,
  gdb: repl((a) => a.includes('-batch') || a.includes('--batch')), lldb: repl((a) => a.includes('--batch') || a.includes('-b')),
  vim: editor((a) => a.includes('-es') || a.includes('-Es') || a.includes('--version')), vi: editor((a) => a.includes('--version')), nvim: editor((a) => a.includes('--headless') || a.includes('--version')),
  emacs: editor((a) => a.includes('--batch') || a.includes('--script') || a.includes('--version')), nano: editor((a) => a.includes('--version')), pico: editor(() => false),
  ed: editor(() => false), ex: editor(() => false), micro: editor((a) => a.includes('--version')), joe: editor(() => false), mcedit: editor(() => false),
  tmux: (call) => {
    const a = call.args;
    const sub = a.find((x) => !x.startsWith('-')) ?? '';
    if (sub === 'send-keys' || sub === 'send') {
      const keys = a.slice(a.indexOf(sub) + 1).filter((x, k, arr) => !(x.startsWith('-') || arr[k - 1] === '-t'));
      return runCode(call, 'sh', keys.filter((k) => !/^(?:Enter|C-m|KPEnter)$/.test(k)).join(' '), 'tmux send-keys');
    }
    if (/^(?:new-session|new|new-window|neww|split-window|splitw|respawn-pane|run-shell|run)$/.test(sub)) {
      const rest = a.slice(a.indexOf(sub) + 1);
      const cmd: string[] = [];
      for (let k = 0; k < rest.length; k++) {
        if (/^-[stnxycFPeLlfwhbcETI]$/.test(rest[k]!)) { k++; continue; }
        if (rest[k]!.startsWith('-')) continue;
        cmd.push(rest[k]!);
      }
      if (cmd.length > 0) return runCode(call, 'sh', cmd.join(' '), `tmux ${sub}`);
      if (!a.includes('-d') && sub !== 'run-shell' && sub !== 'run') call.exec.run.add('exec.interactive', `tmux ${sub} opens an interactive shell: input sent with write_stdin is not governed`);
      return UNKNOWN_OUTPUT;
    }
    if (sub === '' || sub === 'attach' || sub === 'attach-session' || sub === 'a') call.exec.run.add('exec.interactive', 'tmux opens an interactive session: input sent with write_stdin is not governed');
    return UNKNOWN_OUTPUT;
  },
  screen: (call) => {
    const a = call.argWords;
    let i = 0;
    // `-dmS NAME`: a cluster of flags whose last one takes a value
    while (i < a.length && a[i]!.text.startsWith('-')) i += /^-[A-Za-z]*[SLcTXpeth]$/.test(a[i]!.text) && !/^-(?:ls|list|wipe)$/.test(a[i]!.text) ? 2 : 1;
    // `-X stuff TEXT` types the text into a running session, as `tmux send-keys` does
    const x = call.args.indexOf('-X');
    if (x >= 0 && call.args[x + 1] === 'stuff' && call.args[x + 2] !== undefined) return runCode(call, 'sh', call.args[x + 2]!.replace(/\\n|\^M|\r/g, '\n'), 'screen -X stuff');
    if (x >= 0) return UNKNOWN_OUTPUT;
    if (a.slice(i).length > 0) return runInner(call, a.slice(i), { via: 'screen' });
    if (!call.args.some((x) => /^-(?:ls|list|r|x|d|D|wipe)$/.test(x))) call.exec.run.add('exec.interactive', 'screen opens an interactive shell: input sent with write_stdin is not governed');
    return UNKNOWN_OUTPUT;
  },
};
