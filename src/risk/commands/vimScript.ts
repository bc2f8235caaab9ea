/**
 * Ex commands given to vim, nvim or ex on the command line (`+CMD`, `-c CMD`, `--cmd CMD`) or fed to
 * `vim -es` on stdin: shell escapes, the embedded interpreters and the Vim script functions that run,
 * delete, write or read.
 */
import type { Call } from '../call.js';
import { judgeDelete, judgeRead, judgeWrite } from '../pathRules.js';
import { runCode } from './scripts.js';
import { pathOf } from './support.js';

/** A Vim script string literal (`'…'` doubles its quotes; `"…"` has backslash escapes). */
const VIM_STRING = String.raw`(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)")`;
/** A path argument: a string, possibly wrapped in expand()/fnamemodify(…). */
const VIM_PATH = String.raw`(?:expand\(\s*|fnamemodify\(\s*)?${VIM_STRING}`;

const SYSTEM_CALL = new RegExp(String.raw`\b(?:system|systemlist|jobstart|job_start|term_start|termopen)\(\s*${VIM_STRING}`, 'g');
const DELETE_CALL = new RegExp(String.raw`\bdelete\(\s*${VIM_PATH}\s*\)?\s*(?:,\s*${VIM_STRING})?`, 'g');
const WRITE_CALL = new RegExp(String.raw`\bwritefile\([^,]*,\s*${VIM_PATH}`, 'g');
const READ_CALL = new RegExp(String.raw`\b(?:readfile|readblob)\(\s*${VIM_PATH}`, 'g');
/** `:python3 code`, `:lua code` and the like: the rest of the line is that language's code. */
const EMBEDDED: Array<[RegExp, 'python' | 'lua' | 'perl' | 'ruby']> = [
  [/^(?:py3?|python3?|pyx|pythonx)\s+(.+)$/s, 'python'],
  [/^lua\s+(.+)$/s, 'lua'],
  [/^perl\s+(.+)$/s, 'perl'],
  [/^ruby\s+(.+)$/s, 'ruby'],
];

function literal(m: RegExpMatchArray, at: number): string {
  const single = m[at];
  return single !== undefined ? single.replace(/''/g, "'") : (m[at + 1] ?? '').replace(/\\(.)/g, '$1');
}

/** Judge ex commands as what they do; `label` introduces them in reasons. */
export function judgeVimCommands(call: Call, commands: readonly string[], label: string): void {
  const run = call.exec.run;
  const path = (text: string) => pathOf(call, text === '~' || text.startsWith('~/') ? run.zones.home + text.slice(1) : text.replace(/^\$HOME\b/, run.zones.home));
  for (const raw of commands) {
    for (const line of raw.split('\n')) {
      const cmd = line.trim().replace(/^:+\s*/, '').replace(/^(?:silent!?|sil!?|keepalt|noautocmd)\s+/, '');
      // a bang is the rest of the line (`|` does not end it); so are :read !cmd and :write !cmd
      const bang = /^(?:(?:r|read|w|write)\s*)?!(.+)$/s.exec(cmd);
      if (bang) { runCode(call, 'sh', bang[1]!, `${label} :!`); continue; }
      const embedded = EMBEDDED.find(([re]) => re.test(cmd));
      if (embedded) { runCode(call, embedded[1], embedded[0].exec(cmd)![1]!, `${label} :${cmd.split(/\s/)[0]}`); continue; }
      for (const m of cmd.matchAll(SYSTEM_CALL)) runCode(call, 'sh', literal(m, 1), `${label} ${m[0].split('(')[0]}()`);
      for (const m of cmd.matchAll(DELETE_CALL)) {
        const flags = m[3] !== undefined || m[4] !== undefined ? literal(m, 3) : '';
        judgeDelete(run, path(literal(m, 1)), { recursive: flags.includes('rf') || flags === 'd', verb: `${label} delete()` });
      }
      for (const m of cmd.matchAll(WRITE_CALL)) judgeWrite(run, path(literal(m, 1)), { verb: `${label} writefile()` });
      for (const m of cmd.matchAll(READ_CALL)) judgeRead(run, path(literal(m, 1)), { verb: `${label} readfile()` });
      const write = /^(?:w|write|sav|saveas)!?\s+([^!|\s][^|\s]*)$/.exec(cmd);
      if (write) judgeWrite(run, path(write[1]!), { verb: `${label} :write` });
    }
  }
}

/** The ex commands on a vim/nvim/ex command line: `+CMD`, `-c CMD`, `--cmd CMD` (a bare `+` or `+N` only moves the cursor). */
export function vimCommandArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-c' || a === '--cmd') && args[i + 1] !== undefined) out.push(args[++i]!);
    else if (a.startsWith('+') && !/^\+\d*$/.test(a) && !a.startsWith('+/')) out.push(a.slice(1));
  }
  return out;
}
