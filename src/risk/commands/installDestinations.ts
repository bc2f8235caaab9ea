/**
 * Where a package manager puts what it installs, beside what it installs (packageSources.ts judges
 * where a package comes from). Two checks:
 * - an explicit destination (`pip install --target DIR`, `--prefix`, `--root`, `npm install
 *   --prefix DIR`, `gem install --install-dir DIR`, `cargo install --root DIR`) is a write into
 *   that directory, judged like any other: a workspace `vendor/` stays quiet, `~/.local/lib/…/
 *   site-packages` needs approval as a write in home outside the workspace;
 * - a user-wide install (`pip install --user`, `npm install -g`, `yarn global add`, `cargo install
 *   --path`, …) of a LOCAL package is `persist.user-install`: the package is code the agent can
 *   write, and once installed it runs in every later shell or program of the user (a `.pth` file
 *   Python loads at each start, a command on PATH). User-wide installs from the registry stay as
 *   they are.
 */
import type { Call } from '../call.js';
import { judgeWrite } from '../pathRules.js';
import { display, pathOf } from './support.js';

/** A package spec that names local code: a path, a `file:` spec, or a built archive or wheel. */
const LOCAL_SPEC = /^(?:\.{1,2}(?:\/|$)|\/|~|file:)|\.(?:whl|tar\.gz|tgz|tar\.bz2|zip|gem|crate)$/i;

/** Options that name the install's destination directory, by manager. */
const DESTINATION_OPTIONS: Record<string, RegExp> = {
  pip: /^(?:-t|--target|--prefix|--root|--home)$/,
  npm: /^(?:--prefix|--global-dir|--global-bin-dir|--modules-folder)$/,
  gem: /^(?:-i|--install-dir|-n|--bindir)$/,
  cargo: /^--root$/,
};

/** Options whose value is not a package spec, by manager (so the value is not read as one). */
const VALUE_OPTIONS: Record<string, RegExp> = {
  pip: /^(?:-r|--requirement|-c|--constraint|-i|--index-url|--extra-index-url|-f|--find-links|--python-version|--platform|--implementation|--abi|--src|--upgrade-strategy|--progress-bar|--log|--proxy|--retries|--timeout|--cache-dir|--config-settings|-C|--global-option|--build-option|--no-binary|--only-binary|--python)$/,
  npm: /^(?:--registry|--tag|--cache|--workspace|-w|--filter|--userconfig|--loglevel|--omit|--include|--install-strategy)$/,
  gem: /^(?:-v|--version|-s|--source|--platform|-P|--trust-policy)$/,
  cargo: /^(?:--version|--vers|--git|--branch|--tag|--rev|--registry|--index|--bin|--example|--features|-F|--target|--target-dir|--profile|-j|--jobs|--config|-Z)$/,
};

/** How a manager is asked to install user-wide, and with which verbs. */
interface Manager { family: string; verbs: RegExp; userWide: (args: readonly string[]) => boolean }

const has = (args: readonly string[], re: RegExp): boolean => args.some((a) => re.test(a));

const MANAGERS: Record<string, Manager> = {
  pip: { family: 'pip', verbs: /^install$/, userWide: (a) => has(a, /^--user$/) },
  npm: { family: 'npm', verbs: /^(?:install|i|add|in|ins|inst|insta|instal|isnt|isntall|link|ln)$/, userWide: (a) => has(a, /^(?:-g|--global|--location=global)$/) },
  pnpm: { family: 'npm', verbs: /^(?:add|install|i|link|ln)$/, userWide: (a) => has(a, /^(?:-g|--global)$/) },
  // `yarn global add X` (classic)
  yarn: { family: 'npm', verbs: /^global$/, userWide: () => true },
  bun: { family: 'npm', verbs: /^(?:add|install|i|link)$/, userWide: (a) => has(a, /^(?:-g|--global)$/) },
  gem: { family: 'gem', verbs: /^(?:install|i)$/, userWide: () => true },
  // `cargo install --path DIR` puts the crate's binaries in ~/.cargo/bin, on PATH
  cargo: { family: 'cargo', verbs: /^install$/, userWide: () => true },
};

/** The manager a program is (`pip3.12` is pip). */
function managerOf(program: string): string | undefined {
  if (/^pip\d*(?:\.\d+)?$/.test(program)) return 'pip';
  return Object.hasOwn(MANAGERS, program) ? program : undefined;
}

/** Judge where an install puts things: see the file's comment. */
export function judgeInstallDestination(call: Call): void {
  const name = managerOf(call.program);
  if (!name) return;
  const m = MANAGERS[name]!;
  const words = call.argWords;
  const verbAt = words.findIndex((w) => !w.text.startsWith('-'));
  const verb = words[verbAt]?.text ?? '';
  if (!m.verbs.test(verb)) return;
  const destination = DESTINATION_OPTIONS[m.family];
  const valued = VALUE_OPTIONS[m.family]!;
  const verbText = `${call.program} ${verb}`;
  const local: string[] = [];
  let operands = 0;
  for (let i = 0; i < words.length; i++) {
    if (i === verbAt) continue;
    const t = words[i]!.text;
    const eq = t.indexOf('=');
    const opt = t.startsWith('--') && eq > 0 ? t.slice(0, eq) : t;
    if (destination?.test(opt)) {
      const value = t.startsWith('--') && eq > 0 ? t.slice(eq + 1) : words[++i]?.text;
      if (value !== undefined) {
        const ref = pathOf(call, value);
        judgeWrite(call.exec.run, ref ? { ...ref, scope: 'under' } : ref, { verb: `${verbText} ${opt}` });
      }
      continue;
    }
    // `cargo install --path DIR`, `pip install -e DIR`: the value is the package
    if (/^(?:--path|-e|--editable)$/.test(opt)) {
      const value = t.startsWith('--') && eq > 0 ? t.slice(eq + 1) : words[++i]?.text;
      if (value !== undefined) local.push(value);
      continue;
    }
    if (valued.test(opt)) {
      if (!(t.startsWith('--') && eq > 0)) i++;
      continue;
    }
    if (t.startsWith('-')) continue;
    operands++;
    // `yarn global add X`: `add` is the second verb
    if (name === 'yarn' && operands === 1 && t === 'add') continue;
    if (LOCAL_SPEC.test(t)) local.push(t);
  }
  if (local.length > 0 && m.userWide(call.args)) {
    call.exec.run.add('persist.user-install', `${verbText} installs ${local.map(display).join(', ')} (local code) user-wide, where it runs in later shells and programs outside this session`);
  }
}
