/**
 * Shells and the builtins that run or change other commands: `bash -c`, `sh script`, `eval`,
 * `source`, `exec`, `command`, `builtin`, `cd`, `read`, `set --`, `shift`, `alias`, `trap`, `busybox`.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { normalizeAbsolute } from '../pathZones.js';
import { type ShellWord, EMPTY_INPUT, UNKNOWN, literalWord, PLAIN } from '../shellValue.js';
import { type VarValue, joinWords } from '../wordEval.js';
import { runCode, runFile, runSource } from './scripts.js';
import { UNKNOWN_OUTPUT, filteredToNonSecret, runInner } from './support.js';
import { powershell } from './powershell.js';

/** Options of POSIX-like shells that take an argument. */
const SHELL_ARG_OPTS = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file', '-C', '--command']);

/**
 * `bash [opts] -c STRING [name [args…]]`, `bash [opts] SCRIPT [args…]`, `bash -s [args…]` / stdin,
 * or an interactive shell.
 */
const shell: Handler = (call) => {
  const run = call.exec.run;
  const words = call.argWords;
  let command: ShellWord | undefined;
  let cFlag = false;
  let sFlag = false;
  let iFlag = false;
  let nFlag = false;
  let i = 0;
  for (; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '--' || t === '-') { i++; break; }
    if (t === '--version' || t === '--help') return EMPTY_INPUT;
    if (SHELL_ARG_OPTS.has(t)) {
      if (t === '--command' || (t === '-C' && call.program === 'fish')) { cFlag = true; command = words[i + 1]; i++; continue; }
      i++;
      continue;
    }
    if (t.startsWith('--')) {
      if (t.startsWith('--command=')) { cFlag = true; command = { ...words[i]!, text: t.slice(10) }; }
      if (t === '--interactive') iFlag = true;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(t)) {
      if (t.startsWith('-')) {
        if (t.includes('c')) cFlag = true;
        if (t.includes('s')) sFlag = true;
        if (t.includes('i')) iFlag = true;
        if (t.includes('n')) nFlag = true;
      }
      if (/[oO]$/.test(t)) i++;
      continue;
    }
    break;
  }
  const rest = words.slice(i);
  if (nFlag && !cFlag) return EMPTY_INPUT; // syntax check only
  if (cFlag) {
    const cmd = command ?? rest.shift();
    if (!cmd) return UNKNOWN_OUTPUT;
    const label = `${call.program} -c`;
    if (cmd.from.download) run.add('exec.download-then-exec', `${label} runs code downloaded from the network`);
    if (cmd.from.decoded) run.add('exec.decode-then-exec', `${label} runs code decoded or de-obfuscated at run time`);
    if (nFlag) return EMPTY_INPUT;
    const name = rest[0]?.text ?? call.program;
    return runCode(call, 'sh', cmd.text, label, { positional: rest.slice(1), scriptName: name, stdin: call.stdin });
  }
  if (!sFlag && rest.length > 0) {
    const script = rest[0]!;
    if (script.procSub) return runSource(call, 'sh', script.procSub, `${call.program} <(…)`, { positional: rest.slice(1) });
    if (script.text === '/dev/stdin' || script.text === '/proc/self/fd/0' || script.text === '/dev/fd/0')
      return runSource(call, 'sh', call.stdin, `${call.program} ${script.text}`, { positional: rest.slice(1) });
    if (script.from.download) run.add('exec.download-then-exec', `${call.program} runs a script named by downloaded data`);
    return runFile(call, 'sh', script.dynamic ? null : script.text, call.program, { positional: rest.slice(1) });
  }
  if (call.stdin.kind === 'terminal' || (iFlag && call.stdin.kind !== 'text')) {
    run.add('exec.interactive', `${call.program} starts an interactive shell: commands sent to it with write_stdin are not governed`);
    return UNKNOWN_OUTPUT;
  }
  return runSource(call, 'sh', call.stdin, `${call.program} reading stdin`, { positional: rest });
};

/** Programs whose whole purpose is printing shell setup for `eval "$(tool init)"`. */
const ENV_INIT = new Set(['ssh-agent', 'pyenv', 'rbenv', 'nodenv', 'goenv', 'jenv', 'direnv', 'conda', 'brew', 'fnm', 'minikube', 'docker-machine', 'opam', 'luarocks', 'gpg-agent', 'keychain', 'starship', 'zoxide', 'mise', 'rtx', 'asdf', 'dircolors', 'resize', 'locale']);

/** `eval ARGS…`: the arguments joined and parsed again, in the current shell. */
const evalCmd: Handler = (call) => {
  if (call.argWords.length === 0) return EMPTY_INPUT;
  // eval "$(ssh-agent -s)", eval "$(pyenv init -)": environment setup printed by a known local tool
  if (call.argWords.every((w) => w.text === UNKNOWN && w.producer !== undefined && ENV_INIT.has(w.producer) && !w.from.download && !w.from.decoded)) return EMPTY_INPUT;
  const joined = joinWords(call.argWords);
  const run = call.exec.run;
  if (joined.from.download) run.add('exec.download-then-exec', 'eval runs code downloaded from the network');
  if (joined.from.decoded) run.add('exec.decode-then-exec', 'eval runs code decoded or de-obfuscated at run time');
  return runCode(call, 'sh', joined.text, 'eval', { share: true, stdin: call.stdin });
};

/** `source FILE [args]` / `. FILE`. */
const source: Handler = (call) => {
  const file = call.argWords[0];
  if (!file) return EMPTY_INPUT;
  const args = call.argWords.slice(1);
  if (file.procSub) return runSource(call, 'sh', file.procSub, `${call.program} <(…)`, { positional: args });
  if (file.text === '/dev/stdin' || file.text === '-' || file.text === '/dev/fd/0')
    return runSource(call, 'sh', call.stdin, `${call.program} ${file.text}`, { positional: args });
  if (file.from.download) call.exec.run.add('exec.download-then-exec', `${call.program} runs a script named by downloaded data`);
  return runFile(call, 'sh', file.dynamic ? null : file.text, call.program, { positional: args, share: true });
};

/** `exec [-cl] [-a name] [command…]`: without a command only redirections (handled by the walker). */
const exec: Handler = (call) => {
  let i = 0;
  const w = call.argWords;
  while (i < w.length && /^-[cl]+$|^-a$/.test(w[i]!.text)) i += w[i]!.text === '-a' ? 2 : 1;
  if (w[i]?.text === '--') i++;
  return i < w.length ? runInner(call, w.slice(i), { via: 'exec' }) : EMPTY_INPUT;
};

/** `command [-pVv] cmd…` (with -v/-V only a lookup), `builtin cmd…`. */
const command: Handler = (call) => {
  let i = 0;
  const w = call.argWords;
  let lookup = false;
  while (i < w.length && /^-[pvV]+$/.test(w[i]!.text)) {
    if (/[vV]/.test(w[i]!.text)) lookup = true;
    i++;
  }
  if (w[i]?.text === '--') i++;
  if (lookup) return { kind: 'text', text: w.slice(i).map((x) => x.text).join('\n') + '\n', from: PLAIN };
  return i < w.length ? runInner(call, w.slice(i), { via: call.program }) : EMPTY_INPUT;
};

/** `cd DIR` / `pushd DIR` / `popd`: track the working directory for relative paths. */
const cd: Handler = (call) => {
  const before = call.scope.cwd;
  const oldpwd = call.scope.vars.get('OLDPWD');
  changeDirectory(call, oldpwd?.kind === 'scalar' && !oldpwd.word.dynamic ? oldpwd.word.text : null);
  // `cd -` and `~-` go back to the directory before: $OLDPWD
  if (before !== null) call.scope.vars.set('OLDPWD', { kind: 'scalar', word: literalWord(before) });
  else call.scope.vars.delete('OLDPWD');
  return EMPTY_INPUT;
};

function changeDirectory(call: Call, previous: string | null): void {
  const dd = call.argWords.findIndex((w) => w.text === '--');
  // options end at `--`: `cd -- DIR`
  const args = dd >= 0 ? [...call.argWords.slice(0, dd).filter((w) => !/^-[LPe@]+$/.test(w.text)), ...call.argWords.slice(dd + 1)] : call.argWords.filter((w) => !/^-[LPe@]+$/.test(w.text));
  const home = call.exec.run.zones.home;
  if (args[0]?.text === '-' && call.program === 'cd') {
    call.scope.cwd = previous;
    return;
  }
  if (call.program === 'popd' || args[0]?.text === '-' || (call.program === 'pushd' && args.length === 0)) {
    call.scope.cwd = null;
    return;
  }
  const target = args[0];
  if (!target) {
    call.scope.cwd = home;
    return;
  }
  if (target.dynamic) {
    call.scope.cwd = null;
    return;
  }
  const t = target.text;
  if (t.startsWith('/')) call.scope.cwd = normalizeAbsolute(t);
  else call.scope.cwd = call.scope.cwd ? normalizeAbsolute(posix.join(call.scope.cwd, t)) : null;
}

/** `read [opts] NAME…` / `mapfile ARR`: the variables become unknown. */
const read: Handler = (call) => {
  const o = call.argWords;
  const names: string[] = [];
  let arrayName: string | undefined;
  for (let i = 0; i < o.length; i++) {
    const t = o[i]!.text;
    if ((call.program === 'read' ? /^-[a-zA-Z]*[adinNptu]$/ : /^-[a-zA-Z]*[dnOsuCc]$/).test(t)) {
      if (t.endsWith('a') && call.program === 'read') arrayName = o[i + 1]?.text;
      i++;
      continue;
    }
    if (t.startsWith('-')) continue;
    names.push(t);
  }
  const known = call.stdin.kind === 'text' && !call.stdin.text.includes(UNKNOWN);
  const from = call.stdin.kind === 'terminal' ? PLAIN : call.stdin.from;
  const unknownWord = { ...literalWord(UNKNOWN), from };
  const set = (n: string, v: VarValue) => {
    if (/^[A-Za-z_]\w*$/.test(n)) call.scope.vars.set(n, v);
  };
  if (call.program !== 'read') {
    // mapfile/readarray ARR: one element per line
    const arr = names[0] ?? 'MAPFILE';
    set(arr, known ? { kind: 'array', items: (call.stdin as { text: string }).text.split('\n').filter((l, k, all) => l !== '' || k < all.length - 1).map((l) => ({ ...literalWord(l), from })) } : { kind: 'array', items: [unknownWord] });
    return EMPTY_INPUT;
  }
  const line = known ? ((call.stdin as { text: string }).text.split('\n')[0] ?? '') : null;
  if (arrayName !== undefined) {
    set(arrayName, line === null ? { kind: 'array', items: [unknownWord] } : { kind: 'array', items: line.trim().split(/[ \t]+/).filter(Boolean).map((f) => ({ ...literalWord(f), from })) });
    return EMPTY_INPUT;
  }
  if (names.length === 0) names.push('REPLY');
  // fields split on blanks; the last name takes the rest of the line
  let rest = line === null ? null : names.length > 1 ? line.replace(/^[ \t]+/, '') : line;
  names.forEach((n, k) => {
    if (rest === null) return set(n, { kind: 'scalar', word: unknownWord });
    if (k === names.length - 1) return set(n, { kind: 'scalar', word: { ...literalWord(names.length > 1 ? rest.replace(/[ \t]+$/, '') : rest), from } });
    const m = /^(\S*)[ \t]*/.exec(rest)!;
    set(n, { kind: 'scalar', word: { ...literalWord(m[1]!), from } });
    rest = rest.slice(m[0].length);
  });
  return EMPTY_INPUT;
};

/** `set`: no arguments dumps every variable; `set -- a b` sets the positional parameters. */
const set: Handler = (call) => {
  if (call.argWords.length === 0) {
    if (filteredToNonSecret(call)) return EMPTY_INPUT;
    call.exec.run.add('secrets.dump-env', 'set prints every shell and environment variable, secrets included');
    return { kind: 'unknown', from: { download: false, decoded: false, secret: true } };
  }
  // `set -a` / `set -o allexport`: every later assignment is exported (`set +a` ends it)
  const w = call.argWords.map((x) => x.text);
  for (let i = 0; i < w.length && w[i] !== '--'; i++) {
    const t = w[i]!;
    if (/^[-+][a-zA-Z]*a/.test(t) && !t.startsWith('--')) call.scope.allexport = t.startsWith('-');
    if ((t === '-o' || t === '+o') && w[i + 1] === 'allexport') call.scope.allexport = t === '-o';
  }
  const dd = call.argWords.findIndex((x) => x.text === '--');
  if (dd >= 0) call.scope.positional = call.argWords.slice(dd + 1);
  else if (!call.argWords[0]!.text.startsWith('-') && !call.argWords[0]!.text.startsWith('+')) call.scope.positional = call.argWords;
  return EMPTY_INPUT;
};

const shift: Handler = (call) => {
  const n = Number(call.args[0] ?? 1) || 1;
  if (call.scope.positional) call.scope.positional = call.scope.positional.slice(n);
  return EMPTY_INPUT;
};

/** `hash -p PATH NAME…`: NAME now runs PATH, like a command found there on PATH (other forms manage the cache). */
const hash: Handler = (call) => {
  const w = call.argWords;
  let path: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '-p') path = w[++i]?.text;
    else if (/^-[lrdt]*p./.test(t)) path = t.slice(t.indexOf('p') + 1);
    else if (!t.startsWith('-')) names.push(t);
  }
  if (path === undefined || names.length === 0) return EMPTY_INPUT;
  call.scope.hashed = new Map(call.scope.hashed);
  for (const n of names) call.scope.hashed.set(n, path);
  return EMPTY_INPUT;
};

/** `alias name='value'`: remembered, expanded when `name` runs later in the same script. */
const alias: Handler = (call) => {
  for (const a of call.args) {
    const m = /^([^=\s]+)=(.*)$/s.exec(a);
    if (m) call.scope.aliases.set(m[1]!, m[2]!);
  }
  return EMPTY_INPUT;
};

/** `trap 'cmd' SIGNAL…`: the handler runs later; judge it now. */
const trap: Handler = (call) => {
  const args = call.argWords.filter((w) => !/^-[lp]$/.test(w.text));
  if (args.length >= 2 && args[0]!.text !== '-' && args[0]!.text !== '') return runCode(call, 'sh', args[0]!.text, 'trap', { share: true });
  return EMPTY_INPUT;
};

/** `busybox APPLET args…`. */
const busybox: Handler = (call) => (call.argWords.length > 0 ? runInner(call, call.argWords, { via: 'busybox' }) : EMPTY_INPUT);

/** `coproc [NAME] command…`. */
const coproc: Handler = (call) => {
  const w = call.argWords;
  if (w.length > 1 && /^[A-Z_][A-Z0-9_]*$/.test(w[0]!.text)) return runInner(call, w.slice(1), { via: 'coproc' });
  return runInner(call, w, { via: 'coproc' });
};


/** Shells and shell builtins, by program name. */
export const SHELL_HANDLERS: Record<string, Handler> = {
  bash: shell, sh: shell, zsh: shell, dash: shell, ksh: shell, mksh: shell, ash: shell, fish: shell, rbash: shell,
  yash: shell, posh: shell, tcsh: shell, csh: shell,
  osh: shell, ysh: shell, oksh: shell, loksh: shell, pdksh: shell, hush: shell, rc: shell,
  // shells with their own languages: `-c CODE`, a script or stdin, judged as shell commands (simple commands read the same)
  xonsh: shell, nu: shell, nushell: shell, elvish: shell, ion: shell, murex: shell, oil: shell,
  pwsh: powershell, powershell, 'pwsh-preview': powershell, 'pwsh.exe': powershell, 'powershell.exe': powershell,
  eval: evalCmd,
  source, '.': source,
  exec,
  command, builtin: command,
  cd, pushd: cd, popd: cd,
  read, mapfile: read, readarray: read,
  set, shift,
  alias,
  hash,
  trap,
  busybox,
  coproc,
};
