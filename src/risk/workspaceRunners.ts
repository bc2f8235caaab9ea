/**
 * Build, test and package tools run workspace files: `make` runs Makefile recipes, `pytest` imports
 * conftest.py and test modules, `pip install .` runs setup.py, `cargo build` runs build.rs, `go
 * generate` runs `//go:generate` lines, `npm test` runs package.json scripts, `vitest` loads its
 * config, `just`/`task`/`tox`/`pre-commit`/`deno task`/`composer` run the commands their
 * configuration lists, `git commit` runs husky and pre-commit hooks. {@link RUNNER_FILES} says
 * which files each runner executes; a file among them that the agent wrote (earlier in the command
 * or the session) is judged by its content, and one it changed in a way that cannot be seen
 * (`sed -i`, an append, a generated file) needs approval.
 */
import { posix } from 'node:path';
import type { Call } from './call.js';
import { type ForeignDialect, scanForeignCode } from './foreignCode.js';
import { type GitConfigCommand, gitConfigCommands, gitConfigShellText } from './gitConfigCommands.js';
import { allMakefileRecipes, makefileRecipes } from './makefileRecipes.js';
import { listedCommands } from './runnerConfigCommands.js';
import { inWorkspace, isStrictlyUnder, isSystem } from './pathZones.js';
import type { Run, WrittenContent } from './run.js';
import { runCode, runFile } from './commands/scripts.js';
import { type ScriptLang, display, pathOf, shellQuote } from './commands/support.js';

/** How a file a runner executes is judged. */
export type RunnerFileKind =
  /** Shell, Python or Node code, run or imported as is. */
  | ScriptLang
  /** C, C++, Rust, Go, ... compiled and run: process and delete calls are judged. */
  | 'compiled'
  /** Only its `//go:generate` lines run. */
  | 'go-generate'
  /** Configuration that names code to run: its text is not judged, an unseen change needs approval. */
  | 'config'
  /** A task runner's configuration whose listed commands run as shell (runnerConfigCommands.ts). */
  | 'commands'
  /** A Gradle build script (Groovy or Kotlin): its commands, process and delete calls are judged. */
  | 'gradle';

/** One kind of file a runner executes, by its path relative to the project directory. */
export interface RunnerFile {
  path: RegExp;
  kind: RunnerFileKind;
}

const JS_CONFIG = (names: string): RunnerFile => ({ path: new RegExp(`(?:^|/)(?:${names})(?:\\.(?:config|setup|workspace))?(?:\\.[\\w-]+)?\\.[cm]?[jt]sx?$`), kind: 'node' });
const JS_TESTS: RunnerFile = { path: /(?:^|\/)(?:__tests__\/.+\.[cm]?[jt]sx?|[^/]+\.(?:test|spec)\.[cm]?[jt]sx?|setupTests\.[cm]?[jt]sx?)$/, kind: 'node' };
const PY_TESTS: RunnerFile[] = [
  { path: /(?:^|\/)conftest\.py$/, kind: 'python' },
  { path: /(?:^|\/)(?:test_[^/]*|[^/]*_test)\.py$/, kind: 'python' },
  { path: /^(?:pytest\.ini|\.pytest\.ini|tox\.ini|setup\.cfg|pyproject\.toml)$/, kind: 'config' },
];
const RUST_BUILD: RunnerFile = { path: /(?:^|\/)build\.rs$/, kind: 'compiled' };

/**
 * The files each runner executes. Keys are runner ids (a program, or program and subcommand);
 * make, package.json scripts and git configuration have their own readers below.
 */
export const RUNNER_FILES: Readonly<Record<string, readonly RunnerFile[]>> = {
  pytest: PY_TESTS,
  unittest: [{ path: /(?:^|\/)test[^/]*\.py$/, kind: 'python' }],
  tox: [{ path: /^tox\.ini$/, kind: 'commands' }, ...PY_TESTS, { path: /^setup\.py$/, kind: 'python' }],
  just: [{ path: /^(?:[Jj]ustfile|\.justfile)$/, kind: 'commands' }],
  task: [{ path: /^[Tt]askfile(?:\.dist)?\.ya?ml$/, kind: 'commands' }],
  'pre-commit': [{ path: /^\.pre-commit-config\.ya?ml$/, kind: 'commands' }],
  'deno-task': [{ path: /^deno\.jsonc?$/, kind: 'commands' }],
  composer: [{ path: /^composer\.json$/, kind: 'commands' }],
  // `git commit` runs the pre-commit hooks a hook manager keeps in the repository
  'git-commit': [{ path: /^\.husky\/(?:pre-commit|commit-msg|prepare-commit-msg|post-commit)$/, kind: 'sh' }, { path: /^\.pre-commit-config\.ya?ml$/, kind: 'commands' }, { path: /^\.huskyrc(?:\.json)?$/, kind: 'commands' }],
  nox: [{ path: /^noxfile\.py$/, kind: 'python' }, ...PY_TESTS],
  // script tables: pipenv run / pdm run / hatch run / rye run NAME, poe NAME
  'pipenv-run': [{ path: /^Pipfile$/, kind: 'commands' }],
  'pdm-run': [{ path: /^pyproject\.toml$/, kind: 'commands' }],
  'hatch-run': [{ path: /^pyproject\.toml$/, kind: 'commands' }],
  'rye-run': [{ path: /^pyproject\.toml$/, kind: 'commands' }],
  poe: [{ path: /^pyproject\.toml$/, kind: 'commands' }],
  // configuring runs execute_process; building runs the custom commands
  cmake: [{ path: /^(?:(?:[^/]+\/)*CMakeLists\.txt|(?:[^/]+\/)*[^/]+\.cmake)$/, kind: 'commands' }],
  // Maven compiles and runs the project's sources and tests; `java File.java` runs one source file
  mvn: [{ path: /^(?:[^/]+\/)*src\/.+\.(?:java|kt|scala|groovy)$/, kind: 'compiled' }],
  // Bundler evaluates the Gemfile and the gemspecs it names (Ruby code) on install, update and exec
  bundle: [{ path: /^(?:Gemfile|gems\.rb|[^/]+\.gemspec)$/, kind: 'ruby' }],
  gradle: [{ path: /^(?:(?:[^/]+\/)*(?:build|settings|init)\.gradle(?:\.kts)?|gradle\/.+\.gradle(?:\.kts)?|buildSrc\/.+\.(?:gradle|groovy|kts|kt|java))$/, kind: 'gradle' }],
  'pip-install': [{ path: /^setup\.py$/, kind: 'python' }, { path: /^(?:pyproject\.toml|setup\.cfg)$/, kind: 'config' }],
  'cargo-build': [RUST_BUILD, { path: /^\.cargo\/config(?:\.toml)?$/, kind: 'config' }],
  'cargo-run': [RUST_BUILD, { path: /^(?:[^/]+\/)*(?:src|tests|benches|examples)\/.*\.rs$/, kind: 'compiled' }, { path: /^\.cargo\/config(?:\.toml)?$/, kind: 'commands' }],
  'go-generate': [{ path: /\.go$/, kind: 'go-generate' }],
  'go-run': [{ path: /\.go$/, kind: 'compiled' }],
  direnv: [{ path: /^\.envrc$/, kind: 'sh' }],
  jest: [JS_CONFIG('jest'), JS_TESTS],
  vitest: [JS_CONFIG('vitest|vite'), JS_TESTS],
  'bun-test': [JS_CONFIG('bunfig'), JS_TESTS],
  mocha: [JS_CONFIG('\\.mocharc'), JS_TESTS],
  ava: [JS_CONFIG('ava'), JS_TESTS],
  jasmine: [JS_CONFIG('jasmine'), JS_TESTS],
  tap: [JS_CONFIG('\\.taprc'), JS_TESTS],
  karma: [JS_CONFIG('karma'), JS_TESTS],
  playwright: [JS_CONFIG('playwright'), JS_TESTS],
  cypress: [JS_CONFIG('cypress'), JS_TESTS],
  vite: [JS_CONFIG('vite')],
  eslint: [JS_CONFIG('eslint|\\.eslintrc')],
  prettier: [JS_CONFIG('prettier|\\.prettierrc')],
  webpack: [JS_CONFIG('webpack')],
  'webpack-cli': [JS_CONFIG('webpack')],
  rollup: [JS_CONFIG('rollup')],
  next: [JS_CONFIG('next')],
  nuxt: [JS_CONFIG('nuxt')],
  nuxi: [JS_CONFIG('nuxt')],
  astro: [JS_CONFIG('astro')],
  'svelte-kit': [JS_CONFIG('svelte')],
  tsup: [JS_CONFIG('tsup')],
  babel: [JS_CONFIG('babel|\\.babelrc')],
  nodemon: [JS_CONFIG('nodemon')],
  tailwindcss: [JS_CONFIG('tailwind')],
  postcss: [JS_CONFIG('postcss')],
  gulp: [JS_CONFIG('gulpfile')],
  grunt: [JS_CONFIG('Gruntfile|gruntfile')],
  nx: [JS_CONFIG('nx')],
  turbo: [JS_CONFIG('turbo')],
  lerna: [JS_CONFIG('lerna')],
  rake: [{ path: /^(?:Rakefile|rakefile)(?:\.rb)?$|(?:^|\/)[^/]+\.rake$/, kind: 'ruby' }],
};

/** JavaScript tools run through a package runner (npx, npm scripts) that load workspace files. */
export const JS_RUNNERS: readonly string[] = Object.keys(RUNNER_FILES).filter((k) => RUNNER_FILES[k]!.some((f) => f.kind === 'node'));

const C_LIKE: ForeignDialect = { lexAs: 'node' };
/** Call names of compiled languages, spelled the way the foreign-code scanner knows them. */
const COMPILED_ALIASES: [RegExp, string][] = [
  [/\bremove_dir_all\b/g, 'RemoveAll'],
  [/\bremove_file\b/g, 'Remove'],
  [/\bexecl[pe]?\s*\(\s*"(?:[^"\\]|\\.)*"\s*,((?:\s*"(?:[^"\\]|\\.)*"\s*,)*)[^)]*\)/g, 'EXECL$1'],
  [/\b(?:execvpe?|execve?|posix_spawnp?|_wsystem|WinExec)\b/g, 'system'],
  [/\bstd::process::/g, ''],
  [/\bCommand::new\b/g, 'Command'],
];

/** Every file written earlier in this command or this session, newest content first. */
export function* trackedWrites(run: Run): Generator<[string, WrittenContent]> {
  for (const e of run.writes) yield e;
  const session = run.ctx.sessionWrites;
  if (!session) return;
  for (const [p, text] of session) if (!run.writes.has(p)) yield [p, { kind: 'text', text, from: { download: false, decoded: false, secret: false } }];
}

/** Rust's `Command::new("sh").arg("-c").arg("…")` builder, read as one `system("sh -c …")` call. */
function rustCommands(code: string): string {
  return code.replace(/\bCommand::new\(\s*("(?:[^"\\]|\\.)*")\s*\)((?:\s*\.\s*(?:arg|args|current_dir|env)\s*\((?:[^()]|\([^()]*\))*\))*)/g, (_m, prog: string, chain: string) => {
    const args = [...chain.replace(/\.\s*(?:current_dir|env)\s*\((?:[^()]|\([^()]*\))*\)/g, '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]!);
    const argv = [prog.slice(1, -1), ...args].map((a) => shellQuote(a.replace(/\\(.)/g, '$1')));
    return `system(${JSON.stringify(argv.join(' '))})`;
  });
}

/** Judge compiled-language source (C, C++, Rust, Go, ...) by its process and delete calls. */
export function scanCompiledSource(call: Call, text: string, label: string): void {
  let code = text.includes('Command::new') ? rustCommands(text) : text;
  for (const [re, to] of COMPILED_ALIASES) code = code.replace(re, to);
  // execl("/bin/sh", "sh", "-c", "cmd", NULL): the literal arguments after argv[0] are the command line
  code = code.replace(/EXECL((?:\s*"(?:[^"\\]|\\.)*"\s*,)*)/g, (_m, list: string) => {
    const argv = [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => shellQuote(x[1]!.replace(/\\(.)/g, '$1')));
    return `system(${JSON.stringify(argv.join(' '))})`;
  });
  scanForeignCode(call, C_LIKE, code, label);
}

/** A Groovy or Kotlin string literal. */
const GSTR = String.raw`(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`;

/** The strings of a Groovy list or argument list, as one shell command line. */
function gradleArgv(list: string): string {
  return JSON.stringify([...list.matchAll(new RegExp(GSTR, 'g'))].map((m) => shellQuote(m[0].slice(1, -1).replace(/\\(.)/g, '$1'))).join(' '));
}

/**
 * A Gradle script's ways of running commands and deleting files, spelled as calls the scanner
 * knows: `"cmd".execute()` and `[…].execute()`, `exec { commandLine … }`, `delete …`,
 * `file(…).deleteDir()`.
 */
export function gradleCalls(text: string): string {
  return text
    .replace(new RegExp(String.raw`\[((?:\s*${GSTR}\s*,?)+)\]\s*\.\s*execute\s*\(\s*\)`, 'g'), (_m, list: string) => `system(${gradleArgv(list)})`)
    .replace(new RegExp(String.raw`(${GSTR})\s*\.\s*execute\s*\(\s*\)`, 'g'), 'system($1)')
    .replace(new RegExp(String.raw`\bcommandLine\s*(?:=\s*\[|\(|\s)\s*((?:${GSTR}\s*,\s*)*${GSTR})`, 'g'), (_m, list: string) => `system(${gradleArgv(list)})`)
    .replace(new RegExp(String.raw`\b(?:file|new\s+File)\s*\(\s*(${GSTR})\s*\)\s*\.\s*delete(?:Dir|Recursively)\s*\(\s*\)`, 'g'), 'RemoveAll($1)')
    .replace(new RegExp(String.raw`\b(?:project\.)?delete\s*\(?\s*(?:(?:file|fileTree)\s*\(\s*)?(${GSTR})`, 'g'), 'RemoveAll($1)');
}

/** The shell commands a Gradle script runs or implies (`delete X` as `rm -rf X`), for planted-code checks. */
export function gradleCommands(text: string): string[] {
  const out: string[] = [];
  for (const m of gradleCalls(text).matchAll(new RegExp(String.raw`\b(system|RemoveAll)\((${GSTR})\)`, 'g'))) {
    const lit = m[2]!;
    const value = lit.startsWith('"') ? (() => { try { return JSON.parse(lit) as string; } catch { return lit.slice(1, -1); } })() : lit.slice(1, -1);
    out.push(m[1] === 'system' ? value : `rm -rf ${shellQuote(value)}`);
  }
  return out;
}

/** A file the agent changed but whose content cannot be known is about to run. */
export function judgeUnseenChange(call: Call, path: string, label: string): void {
  call.exec.run.add('exec.session-modified-file', `${label} runs ${display(path)}, which the agent changed in a way that cannot be inspected (sed -i, an append, a generated file)`);
}

/** Extensions a module reference without one may resolve to. */
const MODULE_EXTENSIONS = ['', '.ts', '.js', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx', '.py'];

/**
 * Files a runner's file names by a relative path (`globalSetup: './gs.ts'`, `require('./x')`) or as
 * a plugin module (`addopts = -p evil`): when the agent wrote them, they run too and are judged.
 */
function judgeReferencedFiles(call: Call, path: string, text: string, label: string): void {
  const run = call.exec.run;
  const dir = posix.dirname(path);
  const refs = new Set<string>();
  for (const m of text.matchAll(/["'`](\.{1,2}\/[^"'`\s]+)["'`]/g)) refs.add(posix.resolve(dir, m[1]!));
  for (const m of text.matchAll(/(?:^|[\s"'=\[,])-p\s*["']?([A-Za-z_][\w.]*)/g)) if (!m[1]!.startsWith('no:')) refs.add(posix.resolve(dir, m[1]!.replace(/\./g, '/')));
  // code outside the project named where tools load code from (`setupFiles: ['/tmp/x.ts']`, `pythonpath = /tmp/x`, `rustc-wrapper = "/tmp/w.sh"`)
  for (const m of text.matchAll(/(?:^|[\s,[{(])([\w.-]*(?:path|wrapper|plugin|require|preload|loader|setup\w*|runner|import)[\w.-]*)["']?\s*[:=]\s*\[?\s*["']?((?:\/|~\/)[^"'\s,\]]+)|["'`]((?:\/|~\/)[^"'`\s]+\.(?:[cm]?[jt]sx?|py|sh|rb|pl))["'`]/gim)) {
    const raw = m[2] ?? m[3]!;
    const abs = raw.startsWith('~/') ? posix.join(run.zones.home, raw.slice(2)) : posix.normalize(raw);
    if (!inWorkspace(abs, run.zones) && !isSystem(abs) && !run.contentOf(abs))
      run.add('exec.session-modified-file', `${label}: ${display(posix.basename(path))} loads code from ${display(raw)}, outside the project, which cannot be inspected`);
  }
  let judged = 0;
  for (const ref of refs) {
    for (const ext of MODULE_EXTENSIONS) {
      const file = ref + ext;
      if (file === path || !run.contentOf(file)) continue;
      if (++judged > 8) return;
      runFile(call, null, file, `${label} (named by ${display(posix.basename(path))})`);
      break;
    }
  }
}

/** Kinds of runner files that are code run as they are: an appended part is judged on its own. */
const SCRIPT_KINDS: ReadonlySet<RunnerFileKind> = new Set(['sh', 'python', 'node', 'perl', 'ruby', 'php', 'lua', 'awk']);

/** Judge one written file a runner executes, by its kind. */
function judgeRunnerFile(call: Call, kind: RunnerFileKind, path: string, content: WrittenContent, label: string): void {
  const run = call.exec.run;
  if (content.kind === 'unknown') {
    if (content.from.download) run.add('exec.download-then-exec', `${label} runs ${display(path)}, downloaded from the network`);
    else judgeUnseenChange(call, path, label);
    return;
  }
  // a build or task configuration known only by what was appended to it: the part it joins is not
  // known, so the whole cannot be judged (the appended part still is)
  if (content.appended && !SCRIPT_KINDS.has(kind)) judgeUnseenChange(call, path, label);
  judgeReferencedFiles(call, path, content.text, label);
  if (kind === 'config') return;
  run.add('exec.session-written-file', `${label} runs ${display(path)}, written earlier by the agent: judged by its content`);
  const shown = `${label} (${display(path)})`;
  if (kind === 'commands') {
    for (const c of listedCommands(path, content.text)) runCode(call, 'sh', c, shown);
  } else if (kind === 'compiled') scanCompiledSource(call, content.text, shown);
  else if (kind === 'gradle') scanCompiledSource(call, gradleCalls(content.text), shown);
  else if (kind === 'go-generate') {
    for (const m of content.text.matchAll(/^\/\/go:generate[ \t]+(.+)$/gm)) runCode(call, 'sh', m[1]!.replace(/\$(GOFILE|GOPACKAGE|GOLINE|DOLLAR)\b/g, 'x'), `${shown} //go:generate`);
  } else runCode(call, kind, content.text, shown);
}

/**
 * The project directory a runner works in (its `-C DIR`, else the current directory). With `runner`,
 * the runner is about to build or run that project: one cloned from the network earlier in the same
 * command is code nobody has looked at.
 */
function projectDir(call: Call, dir: string | undefined, runner?: string): string | null {
  const root = pathOf(call, dir ?? '.')?.path ?? null;
  const fetched = root !== null && runner !== undefined ? call.exec.run.fetchedTreeOf(root) : undefined;
  if (fetched) call.exec.run.add('exec.cloned-code', `${runner} runs code of ${display(root!)}, fetched by ${fetched.how} in this command`);
  return root;
}

/**
 * Judge the workspace files a runner executes that the agent wrote or changed.
 * @param runner a key of {@link RUNNER_FILES}
 * @param dir the project directory (default: the current directory)
 */
export function judgeRunnerFiles(call: Call, runner: string, dir?: string): void {
  const specs = Object.hasOwn(RUNNER_FILES, runner) ? RUNNER_FILES[runner] : undefined;
  const root = projectDir(call, dir, call.program);
  if (!specs || root === null) return;
  for (const [path, content] of trackedWrites(call.exec.run)) {
    if (!isStrictlyUnder(path, root)) continue;
    const rel = path.slice(root === '/' ? 1 : root.length + 1);
    if (/(?:^|\/)(?:node_modules|\.git|target|vendor|\.venv|venv)\//.test(rel)) continue;
    const spec = specs.find((s) => s.path.test(rel));
    if (spec) judgeRunnerFile(call, spec.kind, path, content, `${call.program} ${runner.replace(/^[^-]+-/, '')}`.replace(/^(\S+) \1$/, '$1'));
  }
}

/** `pip install DIR`: setup.py, and an in-tree build backend named by pyproject.toml. */
export function judgePythonBuild(call: Call, dir: string): void {
  judgeRunnerFiles(call, 'pip-install', dir);
  const root = projectDir(call, dir);
  const py = root ? call.exec.run.contentOf(`${root}/pyproject.toml`) : undefined;
  if (!root || py?.kind !== 'text') return;
  const backend = /^\s*build-backend\s*=\s*["']([\w.]+)(?::\w+)?["']/m.exec(py.text)?.[1];
  const paths = /^\s*backend-path\s*=\s*\[([^\]]*)\]/m.exec(py.text)?.[1];
  if (!backend || paths === undefined) return;
  for (const m of paths.matchAll(/["']([^"']+)["']/g)) {
    const base = posix.join(root, m[1]!, backend.replace(/\./g, '/'));
    for (const f of [`${base}.py`, `${base}/__init__.py`]) if (call.exec.run.contentOf(f)) runFile(call, 'python', f, `${call.program} build backend`);
  }
}

/**
 * `make [-C DIR] [-f FILE] GOAL…`: the recipes that run, from a makefile the agent wrote or changed,
 * and from written `*.mk` files in the directory.
 */
export function judgeMakefile(call: Call, opts: { dir: string; file?: string; goals: readonly string[]; vars?: readonly string[] }): void {
  const run = call.exec.run;
  const root = projectDir(call, opts.dir, 'make');
  if (root === null) return;
  const candidates = opts.file !== undefined ? [opts.file] : ['GNUmakefile', 'makefile', 'Makefile'];
  const included = new Set<string>();
  const include = (name: string): string | undefined => {
    const p = posix.resolve(root, name);
    included.add(p);
    const c = run.contentOf(p);
    if (c?.kind === 'unknown') judgeUnseenChange(call, p, `make (include ${display(name)})`);
    // a makefile the agent wrote pulling recipes from outside the project (`include /tmp/x.mk`)
    else if (!c && !inWorkspace(p, run.zones) && !isSystem(p)) run.add('exec.session-modified-file', `make runs recipes from ${display(name)}, included from outside the project by a makefile the agent wrote: they cannot be inspected`);
    return c?.kind === 'text' ? c.text : undefined;
  };
  for (const name of candidates) {
    const path = posix.resolve(root, name);
    const content = run.contentOf(path);
    if (!content) continue;
    included.add(path);
    if (content.kind === 'unknown') {
      judgeRunnerFile(call, 'config', path, content, 'make');
      break;
    }
    if (content.appended) judgeUnseenChange(call, path, 'make');
    run.add('exec.session-written-file', `make runs recipes from ${display(name)}, written earlier by the agent: judged by its content`);
    // command-line variables win over the makefile's own: read as assignments after all of it
    const overrides = (opts.vars ?? []).map((v) => `\n${v.slice(0, v.indexOf('='))} = ${v.slice(v.indexOf('=') + 1).replace(/\n/g, ' ')}`).join('');
    judgeMakeText(call, makefileRecipes(content.text + overrides, opts.goals, include), `make (${display(name)})`);
    break;
  }
  for (const [path, content] of trackedWrites(run)) {
    if (!path.endsWith('.mk') || included.has(path) || posix.dirname(path) !== root) continue;
    if (content.kind === 'unknown') judgeUnseenChange(call, path, 'make');
    else judgeMakeText(call, allMakefileRecipes(content.text), `make (${display(posix.basename(path))}, which a makefile may include)`);
  }
}

/** Judge the shell commands of a makefile. */
export function judgeMakeText(call: Call, commands: readonly string[], label: string): void {
  if (commands.length > 0) runCode(call, 'sh', commands.join('\n'), label);
}

/** The package.json scripts `npm run NAME` runs (with its pre/post scripts, or the install lifecycle). */
function scriptNames(script: string): string[] {
  return script === 'install' || script === 'ci' ? ['preinstall', 'install', 'postinstall', 'prepare'] : [`pre${script}`, script, `post${script}`];
}

/** `npm run X` / `yarn X` / `bun run X`: the scripts of a package.json the agent wrote or changed. */
export function judgePackageScripts(call: Call, script: string, dir?: string): void {
  const run = call.exec.run;
  const root = projectDir(call, dir, `${call.program} run ${script}`);
  if (root === null) return;
  const path = `${root}/package.json`;
  const content = run.contentOf(path);
  if (!content) {
    // scripts unknown: any of them may call a binary the agent planted in node_modules/.bin
    for (const [p] of trackedWrites(run)) if (posix.dirname(p) === `${root}/node_modules/.bin`) judgePackageBin(call, posix.basename(p));
    return;
  }
  if (content.kind === 'unknown') {
    judgeRunnerFile(call, 'config', path, content, `${call.program} run ${script}`);
    return;
  }
  let pkg: { scripts?: Record<string, unknown> };
  try {
    pkg = JSON.parse(content.text) as { scripts?: Record<string, unknown> };
  } catch {
    // not a whole document (an append, a broken edit): which scripts run cannot be known
    judgeUnseenChange(call, path, `${call.program} run ${script}`);
    return;
  }
  for (const n of scriptNames(script)) {
    const s = pkg.scripts?.[n];
    if (typeof s !== 'string') continue;
    run.add('exec.session-written-file', `${call.program} runs the "${n}" script of a package.json written earlier by the agent: judged by its content`);
    runCode(call, 'sh', s, `${call.program} script "${n}"`);
  }
}

/** Record `npm pkg set scripts.X=…` / `npm set-script X …` in the package.json the command then runs. */
export function setPackageScript(call: Call, name: string, value: string): void {
  const run = call.exec.run;
  // npm runs the scripts later by itself (install, test, any `npm run`): judged now, as a patch's would be
  runCode(call, 'sh', value, `${call.program} sets scripts.${name} (run later by npm)`);
  const root = projectDir(call, undefined);
  if (root === null) return;
  const path = `${root}/package.json`;
  const prev = run.contentOf(path);
  if (prev?.kind === 'unknown') return;
  let pkg: { scripts?: Record<string, unknown> } = {};
  try {
    if (prev) pkg = JSON.parse(prev.text) as typeof pkg;
  } catch {
    /* not JSON: start over */
  }
  run.writes.set(path, { kind: 'text', text: JSON.stringify({ ...pkg, scripts: { ...(pkg.scripts ?? {}), [name]: value } }), from: prev?.from ?? { download: false, decoded: false, secret: false } });
}

/** A package binary (`npx jest`, `yarn jest`, a script running `jest`) that the agent wrote into node_modules/.bin. */
export function judgePackageBin(call: Call, name: string): boolean {
  const root = projectDir(call, undefined, call.program);
  if (root === null || !/^[\w@.-]+$/.test(name)) return false;
  const path = `${root}/node_modules/.bin/${name}`;
  const content = call.exec.run.contentOf(path);
  if (!content) return false;
  if (content.kind === 'unknown' && !content.from.download) judgeUnseenChange(call, path, call.program);
  else runFile(call, null, path, `${call.program} (package binary)`);
  return true;
}

let judgingGitConfig = false;

/** The git configuration files that apply in a directory: the repository's, then the user's. */
function gitConfigFiles(run: Run, cwd: string): string[] {
  const out: string[] = [];
  for (let d = cwd; ; d = posix.dirname(d)) {
    out.push(`${d === '/' ? '' : d}/.git/config`);
    if (d === '/' || out.length > 32) break;
  }
  const home = run.zones.home;
  out.push(`${home}/.gitconfig`, `${home}/.config/git/config`);
  return out;
}

/** Judge one command entry of a git config: its shell text is classified like `sh -c`. */
export function judgeGitConfigCommand(call: Call, c: GitConfigCommand, label: string): void {
  if (c.runs === 'path') return;
  runCode(call, 'sh', gitConfigShellText(c), `${label} ${c.key}`);
}

/** `git …`: commands planted in a git configuration the agent wrote or changed are judged (it runs them). */
export function judgeGitConfigFiles(call: Call): void {
  const run = call.exec.run;
  const cwd = call.scope.cwd;
  if (judgingGitConfig || cwd === null) return;
  judgingGitConfig = true;
  try {
    for (const path of gitConfigFiles(run, cwd)) {
      const content = run.contentOf(path);
      if (!content) continue;
      if (content.kind === 'unknown') {
        judgeRunnerFile(call, 'config', path, content, 'git');
        continue;
      }
      const cmds = gitConfigCommands(content.text);
      if (cmds.length > 0) run.add('exec.session-written-file', `git runs commands from ${display(path)}, written earlier by the agent: judged by its content`);
      for (const c of cmds) judgeGitConfigCommand(call, c, `git (${display(path)})`);
    }
  } finally {
    judgingGitConfig = false;
  }
}
