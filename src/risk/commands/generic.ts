/**
 * The checks every program gets, handler or not: secret files among its arguments are reads,
 * protected paths handed to a program that may modify them are flagged.
 */
import { runCode } from './scripts.js';
import type { Call } from '../call.js';
import { isProtectedRef, judgeRead, judgeWrite } from '../pathRules.js';
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

/** True for programs that read or describe data and run nothing (`grep -e PATTERN`, `sed -e SCRIPT` have their own handlers). */
export function isDataTool(program: string): boolean {
  return READ_ONLY.has(program);
}

/** Options whose value is a file the program writes, for any program. */
const OUTPUT_OPTION = /^(?:-o|-out|--out|--output|-keyout|-outfile|--outfile)$/;

/** Output options particular to one program. */
const PROGRAM_OUTPUTS: Record<string, RegExp> = {
  mkcert: /^-(?:key|cert|p12)-file$/,
  'ssh-keygen': /^-f$/,
  certbot: /^--(?:key|cert|fullchain|chain)-path$/,
};

/** Absolute paths that follow a `:`, `=` or `,` inside one argument (not the argument itself). */
function embeddedPaths(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[:=,](\/[^,:;=]+)/g)) if (m.index !== undefined && m.index > 0) out.push(m[1]!);
  return out;
}

/** Subcommands that delete, destroy or purge something (in a CLI without a handler of its own). */
const DESTROY_VERB = /^(?:delete|del|destroy|rm|rb|rmi|purge|prune|forget|remove|uninstall|drop|wipe|erase|terminate|yank|teardown|nuke|clean-all|remove-all-but-n-full|remove-all-inc-of-but-n-full|remove-older-than)$/i;
/** A retention that keeps nothing (`borg prune --keep-last 0`, `duplicity remove-all-but-n-full 0`): everything goes. */
const KEEPS_NOTHING = /^--keep-[\w-]+=0+$|^--keep-[\w-]+$/;
/** Options that skip a confirmation or widen what goes: force, yes, all, cascade, recursive. */
const FORCE_OPTION = /^(?:-[a-zA-Z]*[fy][a-zA-Z]*|--force(?:=.*)?|--yes|--assume-yes|--all|--confirm|--no-confirm(?:ation)?|--no-prompt|--quiet-confirm|--auto-approve|--cascade|--purge|--prune|--recursive|-r|--non-interactive|--skip-confirmation|--versions)$/;

/**
 * A command-line tool VAIBOT has no handler for, asked to delete, destroy or purge something with
 * the confirmation skipped or the scope widened (`restic forget --prune`, `mc rb --force`, `kind
 * delete clusters --all`, `cdktf destroy --auto-approve`): what goes is unknown, so a human decides.
 */
export function judgeForcedDestroy(call: Call): void {
  const ops = call.args.filter((a) => !a.startsWith('-'));
  const verb = ops.slice(0, 3).find((o) => DESTROY_VERB.test(o));
  const a = call.args;
  const keepsNothing = a.some((x, i) => KEEPS_NOTHING.test(x) && (x.includes('=') || /^0+$/.test(a[i + 1] ?? ''))) || (verb !== undefined && /-but-n-/.test(verb) && /^0+$/.test(ops[ops.indexOf(verb) + 1] ?? ''));
  if (verb && (keepsNothing || a.some((x) => FORCE_OPTION.test(x))))
    call.exec.run.add('infra.cli-destroy', `${call.program} ${verb} ${call.args.filter((a) => a.startsWith('-')).join(' ')} deletes without asking (${display(call.args.join(' '))})`.replace(/\s+/g, ' '));
}

/**
 * The arguments of `jq`/`yq` that are strings, not paths: the program (`.key`, `to_entries[] |
 * .key`) as the first operand unless it comes from a file, and `--arg NAME VALUE` pairs. Empty for
 * any other program.
 */
function jqStrings(call: Call): Set<number> {
  const out = new Set<number>();
  if (call.program !== 'jq' && call.program !== 'yq') return out;
  let filter = call.args.some((a) => /^-(?:f|-from-file)$/.test(a));
  const w = call.argWords;
  for (let k = 0; k < w.length; k++) {
    const t = w[k]!.text;
    if (/^--(?:arg|argjson)$/.test(t)) { out.add(k + 1).add(k + 2); k += 2; continue; }
    if (/^--(?:slurpfile|rawfile)$/.test(t)) { k += 2; continue; }
    if (/^--(?:indent|tab)$/.test(t)) { k += 1; continue; }
    if (t.startsWith('-') || filter) continue;
    out.add(k);
    filter = true;
  }
  return out;
}

/**
 * A jq/yq program that sets package.json scripts (`.scripts.prebuild = "…"`, `.scripts += {"x": "…"}`)
 * on a package.json it reads: npm runs them later by itself, so they are judged now, as
 * `npm pkg set scripts.x=…` is (the result usually reaches the file through a temporary file and mv).
 */
function judgeJqScripts(call: Call, strings: Set<number>): void {
  if (strings.size === 0) return;
  const w = call.argWords;
  if (!w.some((x, k) => !strings.has(k) && /(?:^|\/)package\.json$/.test(x.text))) return;
  const str = String.raw`"((?:[^"\\]|\\.)*)"`;
  for (const k of strings) {
    const program = w[k]?.text ?? '';
    if (!/\.scripts\b/.test(program)) continue;
    const values = [
      ...program.matchAll(new RegExp(String.raw`\.scripts(?:\.[\w:-]+|\[\s*"[^"]*"\s*\])\s*\|?=\s*${str}`, 'g')),
      ...[...program.matchAll(/\.scripts\s*\+=\s*\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(new RegExp(String.raw`:\s*${str}`, 'g'))]),
    ];
    for (const m of values) runCode(call, 'sh', m[1]!.replace(/\\(.)/g, '$1'), `${call.program} sets a package.json script (run later by npm)`);
  }
}

/** The `key: value` pairs a yq expression assigns (`.a.b = "v"`, `.a |= "v"`, `{"key": "v"}` in what it adds), as YAML lines. */
function yqAssignedYaml(expr: string): string {
  const str = String.raw`"((?:[^"\\]|\\.)*)"`;
  const lines: string[] = [];
  for (const m of expr.matchAll(new RegExp(String.raw`\.([\w-]+)\s*\|?=\s*${str}`, 'g'))) lines.push(`${m[1]}: ${m[2]!.replace(/\\(.)/g, '$1')}`);
  for (const m of expr.matchAll(new RegExp(String.raw`"([\w-]+)"\s*:\s*${str}`, 'g'))) lines.push(`${m[1]}: ${m[2]!.replace(/\\(.)/g, '$1')}`);
  return lines.join('\n');
}

/** `cut -d= -f1 .env`: the names before `=` only, no value (a .env read that shows no secret). */
function cutsNamesOnly(args: readonly string[]): boolean {
  const delim = args.some((a, k) => a === '-d=' || a === '--delimiter==' || (a === '-d' && args[k + 1] === '='));
  const fields = args.some((a, k) => a === '-f1' || a === '--fields=1' || (a === '-f' && args[k + 1] === '1'));
  return delim && fields;
}

/**
 * Checks for any program: secret files among its arguments, protected paths handed to it.
 * `opts.showsNoSecret`: the program prints nothing secret of what it reads (`openssl x509`,
 * `keytool`), so a key file or `.env` among its arguments is no secret read (credential files and
 * VAIBOT's own keys still are).
 */
export function generic(call: Call, opts: { showsNoSecret?: boolean } = {}): DataSource {
  const run = call.exec.run;
  const readOnly = READ_ONLY.has(call.program);
  const metadata = METADATA_ONLY.has(call.program);
  let from = PLAIN;
  const outputs = Object.hasOwn(PROGRAM_OUTPUTS, call.program) ? PROGRAM_OUTPUTS[call.program] : undefined;
  // `yq -i EXPR FILE…` edits its files in place; what the expression puts there is judged as planted
  // text (`.jobs.x.steps += [{"run": "…"}]` adds a CI step that runs)
  if (call.program === 'yq' && call.args.some((a) => /^-[a-zA-Z]*i[a-zA-Z]*$|^--inplace\b/.test(a))) {
    const words = call.argWords.filter((w) => !w.text.startsWith('-'));
    const expr = words[0]?.text ?? '';
    for (const f of words.slice(1)) {
      const ref = pathOf(call, f.text);
      judgeWrite(run, ref, { verb: 'yq -i' });
      if (ref) call.exec.written(ref.path, yqAssignedYaml(expr), 'yq -i', call.scope);
    }
  }
  const strings = jqStrings(call);
  judgeJqScripts(call, strings);
  const namesOnly = opts.showsNoSecret === true || (call.program === 'cut' && cutsNamesOnly(call.args));
  for (let k = 0; k < call.argWords.length; k++) {
    if (strings.has(k)) continue;
    const w = call.argWords[k]!;
    const prev = call.argWords[k - 1]?.text ?? '';
    if (OUTPUT_OPTION.test(prev) || outputs?.test(prev)) {
      // what the program writes (`openssl genrsa -out dev.key`): not a read of a secret
      judgeWrite(run, pathOf(call, w.text), { verb: call.program });
      continue;
    }
    let text = w.text;
    if (text.startsWith('-')) {
      const eq = text.indexOf('=');
      if (eq < 0) continue;
      text = text.slice(eq + 1);
    }
    if (text === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) continue;
    const ref = pathOf(call, text, { glob: w.glob });
    if (!ref) continue;
    if (!metadata && judgeRead(run, ref, { verb: call.program, ignoreDotenv: namesOnly })) from = mergeProvenance(from, { download: false, decoded: false, secret: true });
    if (!readOnly && isProtectedRef(run, ref))
      run.add('self.protected-path-arg', `${call.program} is given ${display(w.text)}, a path VAIBOT protects`);
  }
  // paths inside an argument (`UNIX-LISTEN:/home/u/.vaibot/run/x.sock`, `out=/home/u/.codex/hooks.json`)
  if (!readOnly) {
    for (const w of call.argWords) {
      for (const inner of embeddedPaths(w.text)) {
        if (isProtectedRef(run, pathOf(call, inner))) {
          run.add('self.protected-path-arg', `${call.program} is given ${display(w.text)}, which names a path VAIBOT protects`);
          break;
        }
      }
    }
  }
  const provenance = mergeProvenance(from, mergeProvenance(sourceProvenance(call.stdin), argsProvenance(call)));
  // a line filter over paths listed below a directory (`find DIR | head -1`) still lists paths below it
  const stdin = call.stdin;
  if (LINE_FILTERS.has(call.program) && stdin.kind === 'unknown' && stdin.under !== undefined)
    return { kind: 'unknown', from: provenance, under: stdin.under, ...(stdin.whole ? { whole: true } : {}) };
  return unknownOutput(provenance);
}

/** Programs that pass some of their input lines through unchanged. */
const LINE_FILTERS = new Set(['head', 'tail', 'sort', 'uniq', 'tac', 'grep', 'shuf']);
