/**
 * Programs that run a command given in one of their options: editors (`vim -c '!cmd'`,
 * `vim +'!cmd'`, `emacs --eval '(shell-command "cmd")'`), pagers (`less +'!cmd'`,
 * `man -P cmd`), debuggers (`gdb -ex 'shell cmd'`, `gdb --args cmd…`). The embedded command is
 * judged like `bash -c` would judge it; the program's own handler then runs as before.
 */
import type { Call, Handler } from '../call.js';
import { judgeDelete } from '../pathRules.js';
import type { DataSource } from '../shellValue.js';
import { generic } from './generic.js';
import { INTERPRETER_HANDLERS } from './interpreters.js';
import { runCode } from './scripts.js';
import { type ScriptLang, pathOf, runInner } from './support.js';

/** Judge one Ex command (vim `-c`/`+`/`--cmd`, gdb `-ex` use the same escapes). */
function exCommand(call: Call, text: string, label: string): void {
  const cmd = text.replace(/^[\s:]*(?:(?:sil(?:ent)?!?|exe(?:cute)?|norm(?:al)?!?|keep\w*|noa(?:utocmd)?)\s+)*/, '');
  const bang = /^(?:[%.$\d,'<>+-]*\s*|(?:r(?:ead)?|w(?:rite)?)\s+)!(.+)$/s.exec(cmd);
  if (bang) {
    runCode(call, 'sh', bang[1]!, `${label} !`);
    return;
  }
  const term = /^(?:te(?:rminal)?|sh(?:ell)?|!)\s+(.+)$/s.exec(cmd);
  if (term) {
    runCode(call, 'sh', term[1]!, label);
    return;
  }
  for (const m of cmd.matchAll(/\b(?:system|systemlist|jobstart|termopen|job_start|term_start)\s*\(\s*(?:\[\s*)?(['"])((?:(?!\1).)*)\1/g)) runCode(call, 'sh', m[2]!, `${label} ${m[0].split('(')[0]}()`);
  const lang = /^(py(?:thon)?3?|pyx|pythonx|lua|perl|ruby)\s+(.+)$/s.exec(cmd);
  if (lang) runCode(call, languageOf(lang[1]!), lang[2]!, `${label} :${lang[1]}`);
}

function languageOf(ex: string): ScriptLang {
  if (ex.startsWith('py')) return 'python';
  return ex === 'lua' ? 'lua' : ex === 'perl' ? 'perl' : 'ruby';
}

/** `vim`/`vi`/`nvim`/`ex`/`view`: `-c CMD`, `--cmd CMD`, `+CMD`. */
const vim: Handler = (call) => {
  const w = call.argWords;
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if ((t === '-c' || t === '--cmd') && w[i + 1]) exCommand(call, w[++i]!.text, `${call.program} ${t}`);
    else if (t.startsWith('-c') && t.length > 2 && !t.startsWith('--')) exCommand(call, t.slice(2), `${call.program} -c`);
    else if (t.startsWith('+') && t.length > 1 && !/^\+\d+$/.test(t) && !t.startsWith('+/')) exCommand(call, t.slice(1), `${call.program} +`);
    else if (t === '--') break;
  }
  return delegate(call);
};

/** String literals of an Emacs Lisp form, in order. */
function elispStrings(form: string): string[] {
  return [...form.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}

/** Judge an Emacs Lisp expression: shell-command and process calls, file and directory deletion. */
function elisp(call: Call, code: string, label: string): void {
  const run = call.exec.run;
  for (const m of code.matchAll(/\((shell-command(?:-to-string)?|async-shell-command|call-process-shell-command|start-process-shell-command|process-lines|call-process|start-process|make-process|delete-directory|delete-file|dired-delete-file|f-delete|shell-command-on-region)\b([^()]*(?:\([^()]*\)[^()]*)*)/g)) {
    const fn = m[1]!;
    const strs = elispStrings(m[2]!);
    if (/shell-command$|shell-command-to-string|shell-command-on-region/.test(fn)) {
      const s = fn === 'start-process-shell-command' ? strs[strs.length - 1] : strs[0];
      if (s !== undefined) runCode(call, 'sh', s, `${label} (${fn})`);
      else run.add('exec.dynamic-code', `${label} runs a shell command computed at run time`);
    } else if (fn === 'call-process' || fn === 'process-lines' || fn === 'start-process' || fn === 'make-process') {
      const argv = fn === 'start-process' ? strs.slice(1) : strs;
      if (argv.length > 0) runCode(call, 'sh', argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), `${label} (${fn})`);
      else run.add('exec.dynamic-code', `${label} starts a process computed at run time`);
    } else if (strs[0] !== undefined) {
      const path = strs[0].replace(/^~(?=\/|$)/, run.zones.home);
      judgeDelete(run, pathOf(call, path), { recursive: fn !== 'delete-file' && /\bt\s*\)?\s*$/.test(m[2]!), verb: `${label} (${fn})` });
    }
  }
}

/** `emacs --eval EXPR`, `-eval`, `--eval=EXPR`, `emacsclient -e EXPR`. */
const emacs: Handler = (call) => {
  const w = call.argWords;
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if (/^--?eval$|^-e$|^--execute$/.test(t) && w[i + 1]) elisp(call, w[++i]!.text, `${call.program} --eval`);
    else if (/^--?eval=|^--execute=/.test(t)) elisp(call, t.slice(t.indexOf('=') + 1), `${call.program} --eval`);
  }
  return delegate(call);
};

/** `less +CMD` / `less ++CMD`: `!cmd` runs a shell command, `|Xcmd` pipes to one. */
const less: Handler = (call) => {
  for (const w of call.argWords) {
    const m = /^\++(?:!(.+)|\|.(.+))$/s.exec(w.text);
    if (m) runCode(call, 'sh', m[1] ?? m[2]!, `${call.program} +!`);
  }
  return delegate(call);
};

/** `man -P PAGER`, `--pager=PAGER`, `-H BROWSER`, `--html=BROWSER`: run through a shell. */
const man: Handler = (call) => {
  const w = call.argWords;
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if ((t === '-P' || t === '--pager' || t === '-H') && w[i + 1]) runCode(call, 'sh', w[++i]!.text, `man ${t}`);
    else if (/^--(?:pager|html)=/.test(t) || /^-[PH]./.test(t)) runCode(call, 'sh', t.startsWith('--') ? t.slice(t.indexOf('=') + 1) : t.slice(2), 'man -P');
  }
  return delegate(call);
};

/** `gdb`: `--args PROG ARGS…` runs PROG; `-ex 'shell CMD'`, `-ex '!CMD'`, `-ex 'python …'`. */
const gdb: Handler = (call) => {
  const w = call.argWords;
  let out: DataSource | undefined;
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '--args') {
      out = runInner(call, w.slice(i + 1), { via: call.program });
      break;
    }
    if (/^--?(?:ex|eval-command|iex|init-eval-command|o|one-line)$/.test(t) && w[i + 1]) debuggerCommand(call, w[++i]!.text);
    else if (/^--?(?:ex|eval-command)=/.test(t)) debuggerCommand(call, t.slice(t.indexOf('=') + 1));
  }
  if (call.program === 'lldb') {
    const dd = w.findIndex((x) => x.text === '--');
    if (dd >= 0 && w[dd + 1]) out = runInner(call, w.slice(dd + 1), { via: 'lldb' });
  }
  const base = delegate(call);
  return out ?? base;
};

/** One gdb or lldb command line. */
function debuggerCommand(call: Call, text: string): void {
  const m = /^\s*(?:shell|platform\s+shell|!)\s*(.+)$/s.exec(text);
  if (m) runCode(call, 'sh', m[1]!, `${call.program} shell`);
  const py = /^\s*(?:python|py|pi|script)\s+(.+)$/s.exec(text);
  if (py) runCode(call, 'python', py[1]!, `${call.program} python`);
  const run = /^\s*(?:run|r|start)\s+(.+)$/s.exec(text);
  if (run && /[|;&<>`$]/.test(run[1]!)) runCode(call, 'sh', `true ${run[1]}`, `${call.program} run (the arguments go through a shell)`);
}

/** The handler the program had before (editor, REPL), or the generic checks. */
function delegate(call: Call): DataSource {
  const base = INTERPRETER_HANDLERS[call.program];
  return base ? base(call) : generic(call);
}

/** `ed`/`ex` scripts fed on stdin: `!cmd` lines run shell commands. */
const ed: Handler = (call) => {
  if (call.stdin.kind === 'text') {
    for (const line of call.stdin.text.split('\n')) {
      const m = /^\s*(?:[.$\d,]*\s*(?:r|w|e)?\s*)!(.+)$/.exec(line);
      if (m) runCode(call, 'sh', m[1]!, `${call.program} !`);
    }
  }
  return call.program === 'ex' ? vim(call) : delegate(call);
};

/** Programs that run commands given in their options, by program name. */
export const EMBEDDED_COMMAND_HANDLERS: Record<string, Handler> = {
  vim, vi: vim, nvim: vim, view: vim, gvim: vim, vimdiff: vim, nvi: vim, evim: vim,
  ex: ed, ed, red: ed,
  emacs, emacsclient: emacs,
  less,
  man,
  gdb, lldb: gdb,
};

