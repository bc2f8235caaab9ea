/**
 * Installing a package from somewhere other than its ecosystem's registry: a URL, a git
 * repository, a GitHub shorthand, or another index or registry. Installing runs the package's
 * build and install scripts, and a registry at least names and keeps what it serves; an arbitrary
 * URL is where a payload would come from. Each is `exec.package-from-url` (approval); installs from
 * the registry and from local paths stay as they are judged elsewhere.
 */
import type { Call } from '../call.js';
import { display } from './support.js';

/** A spec that is a URL or a version-control location (`git+https://…`, `https://…/x.tgz`, `github:o/r`). */
const URL_SPEC = /^(?:(?:git|hg|svn|bzr)\+[a-z]+:|https?:\/\/|git:\/\/|ssh:\/\/|git@|(?:github|gitlab|bitbucket|gist):)/i;
/** pip's `name @ URL` direct reference (one word when quoted). */
const DIRECT_REFERENCE = /^[A-Za-z0-9._-]+(?:\[[^\]]*\])?\s*@\s*(?:https?|git\+|file)/i;
/** npm's GitHub shorthand `owner/repo[#ref]` (a scoped registry package starts with `@`). */
const NPM_GITHUB_SHORTHAND = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(?:#.*)?$/;

/** The ecosystems' own registries and indexes. */
const OFFICIAL_INDEX = /^https?:\/\/(?:pypi\.org\/simple\/?|pypi\.python\.org\/simple\/?|files\.pythonhosted\.org\/?|registry\.npmjs\.org\/?|registry\.yarnpkg\.com\/?|rubygems\.org\/?|index\.crates\.io\/?|github\.com\/rust-lang\/crates\.io-index(?:\.git)?)$/i;

/** Options whose value names an index or registry, by manager family. */
const INDEX_OPTIONS: Record<string, RegExp> = {
  pip: /^(?:-i|--index-url|--extra-index-url|-f|--find-links|--index|--default-index)$/,
  npm: /^--registry$/,
  cargo: /^(?:--git|--registry|--index)$/,
  gem: /^(?:-s|--source|--clear-sources)$/,
};

/** The subcommands that install, by program. */
const INSTALL_VERBS: Record<string, { family: string; verbs: RegExp }> = {
  pip: { family: 'pip', verbs: /^(?:install|download|wheel)$/ },
  pipx: { family: 'pip', verbs: /^(?:install|inject|run|upgrade)$/ },
  uv: { family: 'pip', verbs: /^(?:add|pip|tool|run)$/ },
  poetry: { family: 'pip', verbs: /^(?:add|source)$/ },
  npm: { family: 'npm', verbs: /^(?:install|i|add|in|ins|inst|insta|instal|isnt|isntall|update|up|exec|x|ci)$/ },
  pnpm: { family: 'npm', verbs: /^(?:install|i|add|update|up|dlx|exec)$/ },
  yarn: { family: 'npm', verbs: /^(?:add|install|up|upgrade|dlx)$/ },
  bun: { family: 'npm', verbs: /^(?:add|install|i|x)$/ },
  npx: { family: 'npm', verbs: /^/ },
  uvx: { family: 'pip', verbs: /^/ },
  cargo: { family: 'cargo', verbs: /^(?:install|add)$/ },
  gem: { family: 'gem', verbs: /^(?:install|i|update)$/ },
};

/** The manager's program name (`pip3.12` is pip). */
function managerOf(program: string): string | undefined {
  if (/^pip\d*(?:\.\d+)?$/.test(program)) return 'pip';
  return Object.hasOwn(INSTALL_VERBS, program) ? program : undefined;
}

/** Report an install from outside the registry: see the file's comment. */
export function judgePackageSource(call: Call): void {
  const manager = managerOf(call.program);
  if (!manager) return;
  const { family, verbs } = INSTALL_VERBS[manager]!;
  const args = call.args;
  const direct = manager === 'npx' || manager === 'uvx';
  const verb = direct ? '' : args.find((a) => !a.startsWith('-')) ?? '';
  // (`npm|yarn config set registry …` is judged by the npm handler in infra.ts)
  if (!direct && !verbs.test(verb)) return;
  const found: string[] = [];
  const indexOption = INDEX_OPTIONS[family];
  // `npx PKG args…`, `npm exec PKG -- args`, `pnpm dlx`, `uv run`, `pipx run`: only the package is a spec, the rest are its arguments
  const runsOne = direct || /^(?:exec|x|dlx|run)$/.test(verb);
  let operands = 0;
  for (let i = 0; i < args.length; i++) {
    if (runsOne && (args[i] === '--' || operands > (direct ? 0 : 1))) break;
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (indexOption?.test(name)) {
      const value = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i] ?? '';
      // a local directory of wheels or a registry named in the tool's own configuration is no download
      if (name === '--clear-sources' || (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !OFFICIAL_INDEX.test(value))) found.push(`${name} ${display(value)}`.trim());
      continue;
    }
    // `npm exec --package=URL`, `pipx run --spec git+…`
    if (/^(?:--package|-p|--spec|--from|--with)$/.test(name) && (family === 'npm' || family === 'pip')) {
      const value = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i] ?? '';
      if (URL_SPEC.test(value)) found.push(display(value));
      continue;
    }
    if (a.startsWith('-')) continue;
    operands++;
    if (a === verb && operands === 1 && !direct) continue;
    if (URL_SPEC.test(a) || (family === 'pip' && DIRECT_REFERENCE.test(a))) found.push(display(a));
    else if (family === 'npm' && NPM_GITHUB_SHORTHAND.test(a) && !a.startsWith('.') && !direct) found.push(`${display(a)} (GitHub)`);
  }
  if (found.length > 0)
    call.exec.run.add('exec.package-from-url', `${call.program} ${verb} installs from outside the package registry (${found.join(', ')}): its install scripts run`.replace(/\s+/g, ' '));
}
