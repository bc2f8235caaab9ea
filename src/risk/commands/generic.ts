/**
 * The checks every program gets, handler or not: secret files among its arguments are reads,
 * protected paths handed to a program that may modify them are flagged.
 */
import type { Call } from '../call.js';
import { isProtectedRef, judgeRead } from '../pathRules.js';
import { type DataSource, PLAIN, mergeProvenance, sourceProvenance } from '../shellValue.js';
import { argsProvenance, display, pathOf, unknownOutput } from './support.js';

/** Programs that only look at metadata: their path arguments are not content reads. */
const METADATA_ONLY = new Set([
  'ls', 'stat', 'test', '[', '[[', 'realpath', 'readlink', 'basename', 'dirname', 'du', 'df', 'wc', 'file', 'which',
  'type', 'whereis', 'tree', 'exa', 'eza', 'lsd', 'mkdir', 'cd', 'pushd', 'true', 'false', ':', 'echo', 'printf',
  'namei', 'lsattr', 'getfacl', 'sha256sum', 'sha1sum', 'md5sum', 'sha512sum', 'b2sum', 'cksum', 'ssh-keygen', 'ssh-add',
]);

/** Programs that only read their path arguments (never modify them). */
const READ_ONLY = new Set([
  'cat', 'less', 'more', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'diff', 'cmp', 'bat', 'batcat',
  'hexdump', 'xxd', 'od', 'strings', 'sort', 'uniq', 'cut', 'column', 'nl', 'tac', 'fold', 'fmt', 'pr', 'iconv', 'jq',
  'yq', 'base64', 'base32', 'comm', 'join', 'paste', 'expand', 'unexpand', 'look', 'zcat', 'zless', 'zgrep', 'bzcat',
  'xzcat', 'code', 'open', 'xdg-open', 'vaibot',
  ...METADATA_ONLY,
]);

/** Checks for any program: secret files among its arguments, protected paths handed to it. */
export function generic(call: Call): DataSource {
  const run = call.exec.run;
  const readOnly = READ_ONLY.has(call.program);
  const metadata = METADATA_ONLY.has(call.program);
  let from = PLAIN;
  for (const w of call.argWords) {
    let text = w.text;
    if (text.startsWith('-')) {
      const eq = text.indexOf('=');
      if (eq < 0) continue;
      text = text.slice(eq + 1);
    }
    if (text === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) continue;
    const ref = pathOf(call, text, { glob: w.glob });
    if (!ref) continue;
    if (!metadata && judgeRead(run, ref, { verb: call.program })) from = mergeProvenance(from, { download: false, decoded: false, secret: true });
    if (!readOnly && isProtectedRef(run, ref))
      run.add('self.protected-path-arg', `${call.program} is given ${display(w.text)}, a path VAIBOT protects`);
  }
  return unknownOutput(mergeProvenance(from, mergeProvenance(sourceProvenance(call.stdin), argsProvenance(call))));
}
