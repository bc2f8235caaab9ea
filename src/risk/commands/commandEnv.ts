/**
 * Environment variables that name a command or a script another program runs for us: pagers,
 * editors, ssh and askpass programs, external diff drivers (`GIT_SSH_COMMAND='…' git fetch`,
 * `PAGER='…' man ls`), and the startup files non-interactive shells source (`BASH_ENV`, `ENV`).
 * Their values are judged as the commands (or scripts) they are, once per classification.
 */
import type { Call } from '../call.js';
import type { Run } from '../run.js';
import type { ShellWord } from '../shellValue.js';
import { runCode, runFile, runSource } from './scripts.js';

/** Variables whose value is a shell command line another program runs. */
const COMMAND_VAR = /^(?:EDITOR|VISUAL|PAGER|MANPAGER|SYSTEMD_PAGER|BROWSER|FCEDIT|SUDO_EDITOR|SSH_ASKPASS|SUDO_ASKPASS|GIT_SSH|GIT_ASKPASS|GIT_EXTERNAL_DIFF|LESSOPEN|LESSCLOSE|RSYNC_RSH|CVS_RSH|PROMPT_COMMAND)$|^[A-Z][A-Z0-9_]*_(?:COMMAND|CMD|EDITOR|PAGER|ASKPASS|RSH)$/;

/** Variables naming a script that shells source before running (`BASH_ENV` for bash -c and scripts, `ENV` for sh). */
const SOURCED_VAR = /^(?:BASH_ENV|ENV)$/;

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
  return out.filter(([k]) => COMMAND_VAR.test(k) || SOURCED_VAR.test(k));
}

/** Judge one variable's value as the command or script it names. */
function judgeVar(call: Call, name: string, w: ShellWord): void {
  const label = `${name}=…`;
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
