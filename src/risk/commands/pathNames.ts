/**
 * Programs that print path names computed from their arguments: `dirname`, `basename`, `realpath`,
 * `readlink -f/-e/-m`. Their output is known text, so a path built from it (`cat "$(dirname
 * "$PWD")/.netrc"`, `cat "$(realpath ..)/.aws/credentials"`) is judged as the path it is.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { PLAIN } from '../shellValue.js';
import { generic } from './generic.js';
import { pathOf } from './support.js';

/** The operands, or null when one is only known at run time. */
function operands(call: Call): string[] | null {
  const ops = call.argWords.filter((w) => !w.text.startsWith('-') || w.text === '-');
  return ops.some((w) => w.dynamic) ? null : ops.map((w) => w.text);
}

/** Known text output, one line per name; anything unknown falls back to the generic checks. */
function names(call: Call, f: (ops: string[]) => string[] | null): ReturnType<Handler> {
  const ops = operands(call);
  const out = ops && ops.length > 0 ? f(ops) : null;
  return out ? { kind: 'text', text: `${out.join('\n')}\n`, from: PLAIN } : generic(call);
}

const dirname: Handler = (call) => names(call, (ops) => ops.map((p) => posix.dirname(p)));

const basename: Handler = (call) => names(call, (ops) => {
  const multiple = call.args.some((a) => a === '-a' || a === '--multiple' || /^-s|^--suffix/.test(a));
  if (multiple) return null;
  const [name, suffix] = ops;
  const base = posix.basename(name!);
  return [suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base];
});

/** `realpath P`, `readlink -f|-e|-m P`: the absolute path, symlinks resolved. */
const resolved: Handler = (call) => {
  if (call.program === 'readlink' && !call.args.some((a) => /^-[a-zA-Z]*[fem]|^--canonicalize/.test(a))) return generic(call);
  if (call.args.some((a) => /^--relative-(?:to|base)/.test(a))) return generic(call);
  return names(call, (ops) => {
    const out: string[] = [];
    for (const p of ops) {
      const ref = pathOf(call, p);
      if (!ref) return null;
      out.push(ref.real);
    }
    return out;
  });
};

/** Path-name printers, by program name. */
export const PATH_NAME_HANDLERS: Record<string, Handler> = { dirname, basename, realpath: resolved, readlink: resolved, grealpath: resolved, greadlink: resolved };
