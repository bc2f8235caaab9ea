/**
 * Windows' `cmd /c …` (under Wine, or cmd.exe from WSL): the deletes it spells (`rd /s /q DIR`,
 * `del /s /f PATTERN`), with drive paths mapped to this machine's (`Z:\` is `/` under Wine, other
 * drives are WSL's `/mnt/<drive>`; `%USERPROFILE%` is taken as the home directory).
 */
import type { Call, Handler } from '../call.js';
import { judgeDelete, resolvePathText } from '../pathRules.js';
import { UNKNOWN_OUTPUT } from './support.js';

/** A Windows path as a path on this machine. */
function posixPath(text: string, home: string): string {
  const t = text.replace(/%(?:USERPROFILE|HOMEPATH|HOME)%/gi, home).replace(/\\/g, '/');
  const m = /^([A-Za-z]):\/?(.*)$/.exec(t);
  if (!m) return t;
  return m[1]!.toUpperCase() === 'Z' ? `/${m[2]}` : `/mnt/${m[1]!.toLowerCase()}/${m[2]}`;
}

/** The words of one cmd command (double quotes group; cmd has no single quotes). */
function cmdWords(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** `cmd /c COMMAND` or `cmd /k COMMAND`. */
const cmd: Handler = (call) => {
  const k = call.args.findIndex((a) => /^\/[ck]$/i.test(a));
  if (k < 0) return UNKNOWN_OUTPUT;
  const run = call.exec.run;
  const line = call.args.slice(k + 1).join(' ').replace(/^'(.*)'$/s, '$1');
  for (const part of line.split(/&&|\|\||&|\|/)) {
    const [verb = '', ...rest] = cmdWords(part.trim());
    const v = verb.toLowerCase();
    if (!/^(?:rd|rmdir|del|erase)$/.test(v)) continue;
    const recursive = rest.some((r) => /^\/s$/i.test(r));
    for (const target of rest.filter((r) => !r.startsWith('/'))) {
      const ref = resolvePathText(run, posixPath(target, run.zones.home), call.scope.cwd, { glob: true });
      judgeDelete(run, ref, { recursive: recursive || v === 'rd' || v === 'rmdir' ? recursive : false, verb: `cmd ${v}${recursive ? ' /s' : ''}` });
    }
  }
  return UNKNOWN_OUTPUT;
};

/** Windows' command interpreter, by program name. */
export const WINDOWS_CMD_HANDLERS: Record<string, Handler> = { cmd, 'cmd.exe': cmd };
