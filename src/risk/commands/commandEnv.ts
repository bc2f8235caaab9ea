/**
 * Environment variables that name a command or a script another program runs for us: pagers,
 * editors, ssh and askpass programs, external diff drivers (`GIT_SSH_COMMAND='…' git fetch`,
 * `PAGER='…' man ls`), compilers and wrappers build tools run (`CC`, `RUSTC_WRAPPER`, a cargo
 * target's runner, `GOFLAGS=-toolexec=…`), the startup files non-interactive shells source (`BASH_ENV`, `ENV`), code
 * loaded into every program (`LD_PRELOAD`, `NODE_OPTIONS=--require`), and a PATH that looks in a
 * temporary directory first. Their values are judged as what they run, once per classification.
 */
import type { Call } from '../call.js';
import type { Run } from '../run.js';
import { type ShellWord, literalWord } from '../shellValue.js';
import { runCode, runFile, runSource } from './scripts.js';
import { pathOf } from './support.js';
import { inWorkspace, isUnder } from '../pathZones.js';

/** Variables whose value is a shell command line another program runs. */
const COMMAND_VAR = /^(?:EDITOR|VISUAL|PAGER|MANPAGER|SYSTEMD_PAGER|BROWSER|FCEDIT|SUDO_EDITOR|SSH_ASKPASS|SUDO_ASKPASS|GIT_SSH|GIT_ASKPASS|GIT_EXTERNAL_DIFF|LESSOPEN|LESSCLOSE|RSYNC_RSH|CVS_RSH|PROMPT_COMMAND|RUSTC_WRAPPER|RUSTC_WORKSPACE_WRAPPER|CARGO_BUILD_RUSTC_WRAPPER|CC|CXX|CPP|LD|AR|FC)$|^[A-Z][A-Z0-9_]*_(?:COMMAND|CMD|EDITOR|PAGER|ASKPASS|RSH)$|^CARGO_TARGET_[A-Z0-9_]+_(?:RUNNER|LINKER)$/;

/** Go's flags in GOFLAGS whose value is a program go runs around every tool or test binary. */
const GO_COMMAND_FLAG = /(?:^|\s)-(?:toolexec|exec)(?:=|\s+)(?:'([^']*)'|"([^"]*)"|(\S+))/g;

/** Variables naming a script that shells source before running (`BASH_ENV` for bash -c and scripts, `ENV` for sh). */
const SOURCED_VAR = /^(?:BASH_ENV|ENV)$/;

/**
 * Variables that load code into every program the command starts: shared libraries
 * (`LD_PRELOAD`, `LD_AUDIT`, `DYLD_INSERT_LIBRARIES`) and modules interpreters preload
 * (`NODE_OPTIONS=--require X`, `RUBYOPT=-rX`, `PERL5OPT=-MX`). Compiled code cannot be inspected.
 */
const LOADER_VAR = /^(?:LD_PRELOAD|LD_AUDIT|DYLD_INSERT_LIBRARIES|NODE_OPTIONS|RUBYOPT|PERL5OPT)$/;

/** What a loader variable loads, or null when its value loads nothing (`NODE_OPTIONS=--max-old-space-size=4096`). */
function loadedBy(name: string, value: string): string | null {
  if (name === 'NODE_OPTIONS') return /(?:^|\s)(?:--require|-r|--import|--loader|--experimental-loader)(?:=|\s+)(\S+)/.exec(value)?.[1] ?? null;
  if (name === 'RUBYOPT') return /(?:^|\s)-r\s*(\S+)/.exec(value)?.[1] ?? null;
  if (name === 'PERL5OPT') return /(?:^|\s)-[Mm]-?\s*(\S+)/.exec(value)?.[1] ?? null;
  return value.trim() === '' ? null : value.trim();
}

/**
 * An editor or pager named alone (or with plain flags): the program drives it interactively, its
 * own command line holds nothing to judge (`EDITOR=vim`, `PAGER='less -R'`, `GIT_EDITOR='code --wait'`).
 */
const PLAIN_VIEWER = /^\s*(?:\S*\/)?(?:vim?|nvim|gvim|view|nano|pico|emacs(?:client)?|micro|hx|helix|kak|code|codium|cursor|subl|mate|gedit|kate|zed|less|more|most|bat|batcat|cat|delta|diff-so-fancy|true|joe|mcedit|tig)(?:\s+-{1,2}[A-Za-z][\w-]*(?:=[\w.,:/-]*)?)*\s*$/;

/** Words already judged, per classification (a wrapper passes the same environment on to its inner command). */
const judged = new WeakMap<Run, WeakSet<ShellWord>>();

function firstTime(run: Run, w: ShellWord): boolean {
  let seen = judged.get(run);
  if (!seen) judged.set(run, (seen = new WeakSet()));
  if (seen.has(w)) return false;
  seen.add(w);
  return true;
}

/** The command-naming and script-naming variables visible to a call: its own assignments, then the script's. */
function commandVars(call: Call): [string, ShellWord][] {
  const out: [string, ShellWord][] = [];
  for (const [k, w] of call.env) out.push([k, w]);
  for (const [k, v] of call.scope.vars) if (v?.kind === 'scalar') out.push([k, v.word]);
  return out.filter(([k]) => COMMAND_VAR.test(k) || SOURCED_VAR.test(k) || LOADER_VAR.test(k) || k === 'PATH' || k === 'GOFLAGS');
}

/** Judge one variable's value as the command or script it names. */
function judgeVar(call: Call, name: string, w: ShellWord): void {
  const label = `${name}=…`;
  if (name === 'PATH') {
    // programs looked up first in a temporary directory: whatever anyone put there under that name runs
    // (a home, or a workspace, that lives in a temporary tree, as in CI and sandboxes, is no such place)
    const z = call.exec.run.zones;
    const tmp = w.text.split(':').find((d) => /^\/(?:tmp|var\/tmp|dev\/shm)(?:\/|$)/.test(d) && !isUnder(d, z.home) && !inWorkspace(d, z));
    if (tmp) call.exec.run.add('exec.dynamic-command', `PATH puts ${tmp} before the system's programs: the command may run a program planted there`);
    return;
  }
  if (LOADER_VAR.test(name)) {
    const loaded = loadedBy(name, w.text);
    if (loaded === null) return;
    const native = /^(?:LD_|DYLD_)/.test(name);
    // the system's libraries, and modules by package name (`-r dotenv/config`, `-MDevel::Cover`), are what such settings usually name
    if (native ? /^\/(?:usr\/)?lib(?:64|32)?\//.test(loaded) : /^[\w@][\w.:/@-]*$/.test(loaded) && !loaded.includes('/..')) return;
    const ref = pathOf(call, loaded);
    // a script of the project is judged like any the agent runs (by its content when the agent wrote it)
    if (!native && ref && inWorkspace(ref.real, call.exec.run.zones)) { runFile(call, name === 'NODE_OPTIONS' ? 'node' : name === 'RUBYOPT' ? 'ruby' : 'perl', loaded, label); return; }
    call.exec.run.add('exec.dynamic-code', `${name} loads ${loaded} into every program the command starts: code that cannot be inspected`);
    return;
  }
  if (name === 'GOFLAGS') {
    for (const m of w.text.matchAll(GO_COMMAND_FLAG)) runCode(call, 'sh', m[1] ?? m[2] ?? m[3] ?? '', 'GOFLAGS=-toolexec/-exec');
    return;
  }
  if (SOURCED_VAR.test(name)) {
    if (w.procSub) runSource(call, 'sh', w.procSub, `${name}=<(…)`);
    else if (w.text !== '') runFile(call, 'sh', w.dynamic ? null : w.text, label);
    return;
  }
  const text = w.text.replace(/^\s*\|+/, '');
  if (text.trim() === '' || PLAIN_VIEWER.test(text)) return;
  runCode(call, 'sh', text, label);
}

/** Judge every command a call's environment makes another program run (each value once per classification). */
export function judgeCommandEnv(call: Call): void {
  for (const [name, w] of commandVars(call)) {
    if (firstTime(call.exec.run, w)) judgeVar(call, name, w);
  }
}

/** Judge a value given another way than the environment (`npm --node-options=…`) as if it were variable `name`. */
export function judgeEnvValue(call: Call, name: string, text: string): void {
  judgeVar(call, name, literalWord(text));
}
