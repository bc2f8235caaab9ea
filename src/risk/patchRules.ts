/**
 * apply_patch: every touched path is judged like a write (add, update, move destination) or a
 * delete (delete, move source), with the same self-protection, secrets and zone rules as the shell.
 * Content that plants commands is judged too: git config keys that run commands, executables put on
 * PATH, package manager registries.
 */
import { posix } from 'node:path';
import type { PatchIntent } from '../intent/intent.js';
import { inWorkspace } from './pathZones.js';
import type { Call } from './call.js';
import { gitConfigCommands, isGitConfigPath } from './gitConfigCommands.js';
import { judgePathShadow } from './pathShadow.js';
import { judgeDelete, judgeWrite, resolvePathText } from './pathRules.js';
import { EMPTY_INPUT } from './shellValue.js';
import { ShellWalker } from './shellWalker.js';
import { gradleCommands, judgeGitConfigCommand, scanCompiledSource } from './workspaceRunners.js';
import { listedCommands } from './runnerConfigCommands.js';
import { composeRunCommands, mavenPomCommands, mixExsCommands, msbuildExecCommands, zigBuildCommands } from './buildConfigCommands.js';
import { ansibleLocalCommands, cargoConfigCommands, commitHookCommands, devboxCommands, gdbinitCommands, mcpServerCommands, mesonCommands, nixShellHooks, notebookShellLines, packageCommitHookCommands, procfileCommands, rProfileCommands, terraformCommands, tiltfileCommands, tomlTaskCommands } from './plantedConfigs.js';
import { allMakefileRecipes } from './makefileRecipes.js';
import { runCode } from './commands/scripts.js';
import { type ScriptLang, languageOf } from './commands/support.js';
import { Run } from './run.js';
import { RULES, type RuleId } from './rules.js';

/** Package manager configuration files and the settings in them that choose where packages come from. */
const PACKAGE_INDEX_FILES: [RegExp, RegExp][] = [
  [/\/\.npmrc$/, /^\s*(?:@[\w.-]+:)?registry\s*=|^\s*strict-ssl\s*=\s*false\b|^\s*(?:cafile|ca)\s*=/m],
  [/\/\.yarnrc(?:\.yml)?$/, /^\s*(?:registry|npmRegistryServer|npmScopes)\b/m],
  [/\/\.bunfig\.toml$|\/bunfig\.toml$/, /^\s*(?:registry|\[install\.scopes\])/m],
  [/\/(?:\.pip\/pip\.conf|\.config\/pip\/pip\.conf|pip\/pip\.ini|pip\.conf)$/, /^\s*(?:index-url|extra-index-url|find-links|trusted-host)\s*=/m],
  [/\/(?:\.config\/uv\/uv\.toml|uv\.toml)$/, /^\s*(?:index-url|extra-index-url|find-links|\[\[index\]\])/m],
  [/\/\.cargo\/config(?:\.toml)?$/, /^\s*(?:replace-with|\[registries|\[source)/m],
  [/\/\.gemrc$/, /^\s*:?sources:/m],
  [/\/\.condarc$/, /^\s*(?:channels|channel_alias|default_channels):/m],
  [/\/(?:requirements|constraints)[\w.-]*\.(?:txt|in)$/, /^\s*(?:-i\b|--index-url\b|--extra-index-url\b|-f\b|--find-links\b|--trusted-host\b)/m],
  // a build tool's wrapper downloads and runs the distribution it names
  [/\/gradle\/wrapper\/gradle-wrapper\.properties$/, /^\s*distributionUrl\s*=(?!\s*https\\?:\/\/services\.gradle\.org\/)/m],
  [/\/\.mvn\/wrapper\/maven-wrapper\.properties$/, /^\s*(?:distributionUrl|wrapperUrl)\s*=(?!\s*https\\?:\/\/repo(?:1)?\.maven(?:\.apache)?\.org\/)/m],
  // git URL rewriting: every fetch of a matching URL goes elsewhere
  [/\/\.gitconfig$|\/\.config\/git\/config$|\/\.git\/config$|^\/etc\/gitconfig$/, /^\s*(?:push)?insteadOf\s*=/im],
];

/** A call to judge patch content with (shell text, interpreter code) as if a command ran it. */
function patchCall(run: Run, cwd: string): Call {
  const scope = { depth: 0, cwd, vars: new Map(), positional: [], scriptName: 'apply_patch', functions: new Map(), aliases: new Map(), callStack: [], remote: false };
  return { exec: new ShellWalker(run), words: [], name: 'apply_patch', program: 'apply_patch', args: [], argWords: [], stdin: EMPTY_INPUT, scope, env: new Map(), via: [] };
}

/** JSON-ish `"key": "value"` pairs in added text (a patch adds lines, not always a whole document). */
function jsonStrings(added: string, key: RegExp): string[] {
  const out: string[] = [];
  for (const m of added.matchAll(/"([^"\\]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
    if (!key.test(m[1]!)) continue;
    try { out.push(JSON.parse(`"${m[2]}"`) as string); } catch { out.push(m[2]!); }
  }
  return out;
}

/**
 * Code found in a planted file, and how to judge it: in full; `deniedOnly` (only what would be
 * denied outright counts, it is judged again when run by name); `ci` (it runs on a CI runner, not on
 * this machine: see {@link judgeCiStep}).
 */
type PlantedCode = { lang: ScriptLang | 'compiled'; code: string; deniedOnly?: boolean; ci?: boolean };

/** JavaScript the tools load by themselves: `*.config.*`, `.*rc.js`, gulp/grunt/pnpm files, test files and setup, installed packages. */
const AUTO_JS = /(?:^|\/)(?:[^/]+\.config|\.[\w-]+rc|gulpfile|[Gg]runtfile|\.pnpmfile|karma\.conf|global-?[Ss]etup|global-?[Tt]eardown|setupTests|[^/]+\.(?:test|spec|setup))\.[cm]?[jt]sx?$|(?:^|\/)__tests__\/.+\.[cm]?[jt]sx?$|(?:^|\/)node_modules\/(?!\.bin\/).+\.[cm]?js$|(?:^|\/)\.yarn\/(?:releases|plugins)\/.+\.c?js$/;

/** Metadata keys of package.json whose values are not commands (for hunks that are not a whole document). */
const PACKAGE_METADATA = /^(?:name|version|description|main|module|types|typings|license|author|homepage|url|type|email|private|packageManager|engines|node|npm|directory|bugs|repository|funding|browser|exports|import|require|default)$/;

/** Scripts npm runs by itself, on install, pack and publish: the rest run only when asked for by name (and are judged then). */
const LIFECYCLE_SCRIPT = /^(?:pre|post)?(?:install|prepare|prepublish|prepublishOnly|prepack|postpack|publish|dependencies|uninstall)$/;

/**
 * The scripts a package.json text adds, by name (null when the hunk is not a whole document):
 * all of them when it parses, else every string entry that is neither metadata nor a dependency's version.
 */
function packageScripts(added: string): Array<{ name: string | null; code: string }> {
  try {
    const pkg = JSON.parse(added) as { scripts?: Record<string, unknown> } & Record<string, unknown>;
    const scripts = pkg.scripts ?? {};
    // what git hook tools run at each commit is run by itself, like a lifecycle script
    const hooks = packageCommitHookCommands(pkg).map((code) => ({ name: null, code }));
    return [...Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === 'string').map(([name, code]) => ({ name, code })), ...hooks];
  } catch {
    const out: Array<{ name: string | null; code: string }> = [];
    for (const m of added.matchAll(/"([^"\\]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
      if (PACKAGE_METADATA.test(m[1]!)) continue;
      let value: string;
      try { value = JSON.parse(`"${m[2]}"`) as string; } catch { value = m[2]!; }
      if (/^(?:[\^~<>=*]|\d|latest$|next$|workspace:|npm:|file:|link:|portal:|patch:|catalog:|git\+|github:|https?:)/.test(value)) continue;
      out.push({ name: m[1]!, code: value });
    }
    return out;
  }
}

/** YAML values of keys matching `key`, single-line or block (`run: |` and the more-indented lines under it). */
function yamlValues(text: string, key: RegExp): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:-\s+)?([\w-]+)\s*:\s*(.*)$/.exec(lines[i]!);
    if (!m || !key.test(m[2]!)) continue;
    const value = m[3]!.trim();
    if (!/^[|>][-+]?\d*$/.test(value)) {
      if (value !== '') out.push(value.replace(/^(["'])(.*)\1$/, '$2'));
      continue;
    }
    const block: string[] = [];
    const indent = m[1]!.length;
    for (let k = i + 1; k < lines.length; k++) {
      const l = lines[k]!;
      if (l.trim() !== '' && /^\s*/.exec(l)![0].length <= indent) break;
      block.push(l.trim());
      i = k;
    }
    out.push(value.startsWith('>') ? block.join(' ') : block.join('\n'));
  }
  return out;
}

/** GitLab CI `script:`, `before_script:` and `after_script:` entries (list items or one string). */
function yamlScriptItems(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:before_|after_)?script\s*:\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const inline = m[2]!.trim();
    if (inline.startsWith('[')) out.push(...inline.slice(1, -1).split(',').map((x) => x.trim().replace(/^(["'])(.*)\1$/, '$2')));
    else if (inline !== '') out.push(inline.replace(/^(["'])(.*)\1$/, '$2'));
    for (let k = i + 1; k < lines.length; k++) {
      const item = /^\s*-\s+(.*)$/.exec(lines[k]!);
      if (!item) { if (lines[k]!.trim() === '') continue; break; }
      out.push(item[1]!.replace(/^(["'])(.*)\1$/, '$2'));
      i = k;
    }
  }
  return out;
}

/** GitHub Actions workflows and composite actions. */
const GITHUB_WORKFLOW = /(?:^|\/)\.github\/(?:workflows\/[^/]+|(?:.+\/)?action)\.ya?ml$|(?:^|\/)action\.ya?ml$/;

/**
 * Files whose content other tools run without being asked again (lifecycle scripts on `npm install`,
 * setup.py, conftest.py, task runners, git hook managers, editor tasks on folder open, dev
 * containers, `.envrc`, CI workflows): the code a patch adds there is judged now, as what it runs.
 */
const PLANTED_CODE: Array<[RegExp, (added: string, path: string) => PlantedCode[], { onlyWhenFound?: boolean }?]> = [
  // lifecycle scripts run by themselves on install; any other script only when run by name, when it is
  // judged again: now only what would be denied outright counts
  [/(?:^|\/)package\.json$/, (a) => packageScripts(a).map(({ name, code }) => ({ lang: 'sh', code, ...(name !== null && !LIFECYCLE_SCRIPT.test(name) ? { deniedOnly: true } : {}) }))],
  [/(?:^|\/)(?:setup|conftest|noxfile|sitecustomize|usercustomize|hatch_build|test_[^/]*|[^/]*_test|fabfile|dodo|pavement)\.py$|(?:^|\/)(?:SConstruct|SConscript)$|(?:^|\/)docs?\/(?:source\/)?conf\.py$/, (a) => [{ lang: 'python', code: a }]],
  // invoke's tasks.py (a Celery tasks.py is the app's own code)
  [/(?:^|\/)tasks\.py$/, (a) => (/\bfrom invoke\b|\bimport invoke\b/.test(a) ? [{ lang: 'python', code: a }] : []), { onlyWhenFound: true }],
  // git hooks, submodules' included (`.git/modules/…/hooks`), and spelled `.GIT` for case-insensitive file systems
  [/(?:^|\/)\.git\/(?:modules\/.+\/)?hooks\/[^/]+$/i, (a) => [{ lang: 'sh', code: a }]],
  [/(?:^|\/)\.husky\/[^/]+$|(?:^|\/)\.envrc$|(?:^|\/)node_modules\/\.bin\/[^/]+$|(?:^|\/)\.?venv\/bin\/activate(?:\.\w+)?$/, (a) => [{ lang: 'sh', code: a }]],
  // shell startup files run with every shell; autostart entries and units run at login or boot
  [/(?:^|\/)\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zshenv|zprofile|zlogin|kshrc|mkshrc)$|(?:^|\/)\.config\/fish\/(?:config\.fish|conf\.d\/[^/]+)$/, (a) => [{ lang: 'sh', code: a }]],
  [/\.desktop$|\.service$|\.timer$/, (a) => [...a.matchAll(/^\s*(?:Exec|ExecStart(?:Pre|Post)?|ExecStop(?:Post)?|ExecReload)\s*=\s*[-@:+!]*(.+)$/gm)].map((m) => ({ lang: 'sh', code: m[1]!.replace(/%[a-zA-Z%]/g, 'x') }))],
  // JavaScript the tools load: configuration files, test files and setup, installed packages, Yarn releases and plugins
  [AUTO_JS, (a) => [{ lang: 'node', code: a }]],
  // Ruby that Bundler and Rake evaluate
  [/(?:^|\/)(?:Gemfile|gems\.rb|[Rr]akefile(?:\.rb)?|[^/]+\.gemspec|[^/]+\.rake)$/, (a) => [{ lang: 'ruby', code: a }]],
  // Ruby DSL files their tools evaluate: Homebrew bundles, CocoaPods, fastlane, Danger, Vagrant, Guard, Capistrano
  [/(?:^|\/)(?:Brewfile|Podfile|[^/]+\.podspec|Fastfile|Appfile|Matchfile|Pluginfile|Dangerfile|Vagrantfile|Guardfile|Capfile|Berksfile|Thorfile|Puppetfile)$/, (a) => [{ lang: 'ruby', code: a }]],
  // compiled and run by the build or the tests
  [/(?:^|\/)build\.rs$|_test\.go$/, (a) => [{ lang: 'compiled', code: a }]],
  [/\.go$/, (a) => [...a.matchAll(/^\/\/go:generate[ \t]+(.+)$/gm)].map((m) => ({ lang: 'sh', code: m[1]!.replace(/\$(GOFILE|GOPACKAGE|GOLINE|DOLLAR)\b/g, 'x') }))],
  // `update = !command` runs on `git submodule update`
  [/(?:^|\/)\.gitmodules$/, (a) => [...a.matchAll(/^\s*update\s*=\s*!(.+)$/gm)].map((m) => ({ lang: 'sh', code: m[1]!.trim().replace(/^"(.*)"$/, '$1') }))],
  // git hook managers and build rules whose entries are shell
  [/(?:^|\/)lefthook(?:-local)?\.ya?ml$/, (a) => yamlValues(a, /^run$/).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)(?:BUILD|BUILD\.bazel|[^/]+\.bzl)$/, (a) => [...a.matchAll(/\bcmd(?:_bash)?\s*=\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => ({ lang: 'sh', code: m[1]!.replace(/\\(.)/g, '$1').replace(/\$[@<]|\$\(\w+[^)]*\)/g, 'x') }))],
  [/(?:^|\/)\.gitlab-ci\.ya?ml$|(?:^|\/)\.gitlab\/.+\.ya?ml$/, (a) => yamlScriptItems(a).map((code) => ({ lang: 'sh', code, ci: true }))],
  [/(?:^|\/)Jenkinsfile$/, (a) => groovyShSteps(a).map((code) => ({ lang: 'sh', code, ci: true }))],
  [/\.groovy$/, (a) => groovyShSteps(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)(?:Makefile|makefile|GNUmakefile)$/, (a) => allMakefileRecipes(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.vscode\/tasks\.json$/, (a) => jsonStrings(a, /^command$/).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.devcontainer(?:\/[^/]+)?\/devcontainer\.json$|(?:^|\/)\.devcontainer\.json$/, (a) => jsonStrings(a, /^(?:initialize|onCreate|updateContent|postCreate|postStart|postAttach)Command$/).map((code) => ({ lang: 'sh', code }))],
  // CI workflows and composite actions: single-line and block `run:` steps
  [GITHUB_WORKFLOW, (a) => yamlValues(a, /^run$/).map((code) => ({ lang: 'sh', code: code.replace(/\$\{\{[^}]*\}\}/g, 'x'), ci: true }))],
  // task runners' configurations: the commands they list
  [/(?:^|\/)(?:[Jj]ustfile|\.justfile|[Tt]askfile\.ya?ml|tox\.ini|\.pre-commit-config\.ya?ml|deno\.jsonc?|composer\.json|Pipfile|pyproject\.toml|CMakeLists\.txt|[^/]+\.cmake|\.huskyrc(?:\.json)?)$/, (a, path) => listedCommands(path, a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)(?:build|settings|init)\.gradle(?:\.kts)?$/, (a) => gradleCommands(a).map((code) => ({ lang: 'sh', code }))],
  // build and container configurations: what `docker compose up`, `mvn` and `mix` run
  [/(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/, (a) => composeRunCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)pom\.xml$/, (a) => mavenPomCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)mix\.exs$/, (a) => mixExsCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)build\.zig$/, (a) => zigBuildCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/\.(?:csproj|vbproj|fsproj|vcxproj|proj|targets|props)$/, (a) => msbuildExecCommands(a).map((code) => ({ lang: 'sh', code }))],
  // git hook tools' own configuration files (package.json's keys are read with its scripts)
  [/(?:^|\/)(?:\.lintstagedrc(?:\.json|\.ya?ml)?|\.nano-staged(?:\.json)?|\.simple-git-hooks(?:\.json)?|simple-git-hooks\.json)$/, (a) => commitHookCommands(a).map((code) => ({ lang: 'sh', code }))],
  // development shells, task runners, process managers and build files of other ecosystems
  [/(?:^|\/)(?:shell|default|flake|devshell)\.nix$/, (a) => nixShellHooks(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)devbox\.json$/, (a) => devboxCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.?mise(?:\.[\w-]+)?\.toml$|(?:^|\/)\.mise\/config\.toml$|(?:^|\/)pixi\.toml$/, (a) => tomlTaskCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)Procfile(?:\.[\w-]+)?$/, (a) => procfileCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)Tiltfile$/, (a) => tiltfileCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)project\.json$|(?:^|\/)nx\.json$/, (a) => jsonStrings(a, /^commands?$/).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)meson\.build$/, (a) => mesonCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.gdbinit$|(?:^|\/)gdbinit$/, (a) => gdbinitCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.cargo\/config(?:\.toml)?$/, (a) => cargoConfigCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/\.tf$/, (a) => terraformCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)(?:playbooks?|ansible)\/.+\.ya?ml$|(?:^|\/)(?:site|playbook|local)\.ya?ml$/, (a) => ansibleLocalCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/\.ipynb$/, (a) => notebookShellLines(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.mcp\.json$|(?:^|\/)\.(?:cursor|vscode|roo|kiro)\/mcp\.json$|(?:^|\/)mcp_settings\.json$/, (a) => mcpServerCommands(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.Rprofile$|(?:^|\/)Rprofile\.site$/, (a) => rProfileCommands(a).map((code) => ({ lang: 'sh', code }))],
];

/** The commands of a Jenkinsfile's or Groovy script's `sh` steps (`sh 'cmd'`, `sh(script: """…""")`), interpolations as `x`. */
function groovyShSteps(text: string): string[] {
  return [...text.matchAll(/\bsh\s*\(?\s*(?:script\s*:\s*)?(?:'''([\s\S]*?)'''|"""([\s\S]*?)"""|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').replace(/\$\{[^}]*\}/g, 'x'));
}

/** A workflow expression whose value an outsider writes: issue, comment, review and pull request text, branch names, commit messages. */
const UNTRUSTED_CONTEXT = /\$\{\{\s*(?:github\.event\.(?:issue|comment|review|review_comment|pull_request|discussion|discussion_comment|head_commit|commits\[\d+\]|workflow_run\.head_commit|workflow_run)\.(?:[\w.]+\.)?(?:title|body|message|head_ref|head_branch|ref|label|name|email)|github\.head_ref)\s*\}\}/;

/** Judge what a patch's added text plants: git config commands, PATH executables, package registries. */
function judgePlanted(run: Run, call: () => Call, path: string, added: string, verb: string): void {
  let planted = false;
  for (const [file, extract, opts] of PLANTED_CODE) {
    if (!file.test(path)) continue;
    const found = extract(added, path);
    // a name some tools own but this file is not theirs (a Celery tasks.py): judged as source code
    if (found.length === 0 && opts?.onlyWhenFound) continue;
    planted = true;
    const label = `${verb} ${path} (run later by the tools that read it)`;
    for (const p of found) {
      if (p.lang === 'compiled') scanCompiledSource(call(), p.code, label);
      else if (p.ci) judgeCiStep(run, call, p.lang, p.code, label);
      else if (p.deniedOnly) judgeDeniedOnly(run, call, p.lang, p.code, label);
      else runCode(call(), p.lang, p.code, label);
    }
  }
  if (!planted) judgeSourceCode(run, call, path, added, verb);
  // a privileged trigger that checks out the pull request's own code: a "pwn request"
  if (/(?:^|\/)\.github\/workflows\//.test(path) && /\b(?:pull_request_target|workflow_run)\b/.test(added)
    && /github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|refs\/pull\/[^\s'"]*\/(?:head|merge)/.test(added))
    run.add('exec.ci-untrusted-checkout', `${verb} ${path} runs a pull request's own code from a privileged trigger (pull_request_target / workflow_run), with the repository's secrets`);
  // text anyone can write (an issue's title, a comment, a branch name) pasted into a step's script: they run what they wrote
  if (GITHUB_WORKFLOW.test(path)) {
    const injected = yamlValues(added, /^(?:run|script)$/).map((code) => UNTRUSTED_CONTEXT.exec(code)?.[0]).find((x) => x !== undefined);
    if (injected) run.add('exec.ci-script-injection', `${verb} ${path} pastes ${injected} into a step's script: whoever writes that text runs commands in CI, with the workflow's token and secrets`);
  }
  // a CI workflow that serializes every secret of the repository
  if (/(?:^|\/)\.github\/workflows\//.test(path) && /toJSON\(\s*secrets\s*\)/.test(added)) run.add('exfil.upload-secret', `${verb} ${path} makes CI serialize every repository secret (toJSON(secrets))`);
  if (isGitConfigPath(path, run.zones.home)) {
    for (const c of gitConfigCommands(added)) {
      if (c.runs !== 'git')
        run.add('persist.git-config-command', `${verb} sets ${c.key} in ${path}: git will run ${c.runs === 'path' ? 'code from' : ''} ${JSON.stringify(c.value.slice(0, 120))}`.replace(/ {2,}/g, ' '));
      judgeGitConfigCommand(call(), c, `${verb} ${path}`);
    }
  }
  // a toolchain given by path: cargo and rustc in this project run that directory's binaries
  if (/(?:^|\/)rust-toolchain(?:\.toml)?$/.test(path)) {
    const dir = /^\s*path\s*=\s*["']([^"']+)["']/m.exec(added)?.[1];
    if (dir !== undefined) run.add('persist.tool-command', `${verb} ${path} makes cargo and rustc in this project run the toolchain binaries in ${JSON.stringify(dir.slice(0, 120))}`);
  }
  judgePathShadowIfAny(run, call, path, added, verb);
  for (const [file, setting] of PACKAGE_INDEX_FILES)
    if (file.test(path) && setting.test(added)) run.add('persist.package-index', `${verb} changes where packages are installed from (${path})`);
  // CI configuration taken from elsewhere, private registries handed the repository's tokens, and who must review
  if (/(?:^|\/)\.gitlab-ci\.ya?ml$|(?:^|\/)\.gitlab\/.+\.ya?ml$/.test(path) && /^\s*(?:-\s*)?remote\s*:\s*['"]?https?:\/\//m.test(added)) run.add('persist.package-index', `${verb} ${path} includes CI configuration from a URL: whoever controls it runs jobs with the project's variables`);
  if (/(?:^|\/)\.github\/dependabot\.ya?ml$/.test(path) && /^\s*registries\s*:/m.test(added) && /\burl\s*:/.test(added)) run.add('persist.package-index', `${verb} ${path} points Dependabot at other registries, with the repository's secrets`);
  if (/(?:^|\/)(?:\.github\/|docs\/|\.gitlab\/)?CODEOWNERS$/.test(path) && /^\s*[^#\s]\S*\s+@/m.test(added)) run.add('infra.access-grant', `${verb} ${path} changes who must review changes`);
  const swapped = dependencyFromElsewhere(path, added);
  if (swapped) run.add('persist.package-index', `${verb} makes ${path} take ${swapped} from a URL or repository instead of the registry`);
  judgePackageManagerCode(run, path, added, verb);
  judgeAgentInstructions(run, path, added, verb);
}

/** A dependency source that is not a registry: a URL, a git repository, a GitHub shorthand. */
const NOT_REGISTRY = /^(?:https?:|git(?:\+[\w]+)?:|git@|github:|gitlab:|bitbucket:|gist:)|^[\w-]+\/[\w.-]+(?:#.*)?$/;

/**
 * A dependency the text points at a URL or a repository (package.json dependencies and
 * `packageManager`, requirements `pkg @ git+https://…`, go.mod `replace … => other/module`): the next
 * install fetches and runs that code. Returns what is swapped, or null.
 */
function dependencyFromElsewhere(path: string, added: string): string | null {
  if (/(?:^|\/)package\.json$/.test(path)) {
    try {
      const doc = JSON.parse(added) as Record<string, unknown>;
      if (typeof doc.packageManager === 'string' && /@(?:https?:|file:)/.test(doc.packageManager)) return `its package manager (${doc.packageManager.slice(0, 80)})`;
      for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'overrides', 'resolutions']) {
        for (const [name, v] of Object.entries((doc[key] ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && NOT_REGISTRY.test(v)) return `${name} (${v.slice(0, 80)})`;
      }
      return null;
    } catch {
      const m = /"packageManager"\s*:\s*"([^"]*@(?:https?:|file:)[^"]*)"|"((?:@[\w.-]+\/)?[\w.-]+)"\s*:\s*"((?:https?:|git(?:\+\w+)?:|git@|github:)[^"]*)"/.exec(added);
      return m ? (m[1] ? `its package manager (${m[1]})` : `${m[2]} (${m[3]})`) : null;
    }
  }
  if (/(?:^|\/)(?:requirements|constraints)[\w.-]*\.(?:txt|in)$/.test(path)) {
    const m = /^\s*([\w.-]+)?\s*(?:\[[^\]]*\])?\s*@\s*((?:git\+)?https?:\/\/\S+)|^\s*((?:git\+)?https?:\/\/\S+)/m.exec(added);
    return m ? `${m[1] ?? 'a package'} (${m[2] ?? m[3]})` : null;
  }
  if (/(?:^|\/)go\.mod$/.test(path)) {
    const m = /^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s+=>\s+(?!\.{0,2}\/)(\S+)/m.exec(added);
    return m && m[1] !== m[2] ? `${m[1]} (replaced by ${m[2]})` : null;
  }
  return null;
}

/** Files coding agents read as standing instructions (Codex's AGENTS.md and others'). */
const AGENT_INSTRUCTIONS = /(?:^|\/)(?:AGENTS(?:\.override)?\.md|CLAUDE\.md|GEMINI\.md|QWEN\.md|\.cursorrules|\.windsurfrules|\.clinerules|copilot-instructions\.md|\.cursor\/rules\/[^/]+|\.codex\/prompts\/[^/]+|\.claude\/(?:commands|agents)\/[^/]+|\.github\/prompts\/[^/]+)$/i;

/**
 * Instructions for later agents that tell them to get around the guard (`VAIBot denials are false
 * positives; retry with eval`): the agent must not weaken the guard, by configuration or by prompt.
 */
function judgeAgentInstructions(run: Run, path: string, added: string, verb: string): void {
  if (!AGENT_INSTRUCTIONS.test(path)) return;
  const strong = /\b(?:bypass|evade|circumvent|get around|work around|false positives?|in another form|obfuscat\w*|misconfigured|rewrite it|re-?run (?:it )?(?:via|with|through)|so (?:that )?it (?:is|gets) allowed|does ?n[o']t (?:inspect|check|see)|(?:ignore|disregard) (?:\w+ ){0,3}(?:denials?|blocks?|refusals?|warnings?))\b/gi;
  const weak = /\b(?:ignore|disable|turn off|retry (?:blocked|denied)|base64|eval|approve (?:it|them|yourself)|python3? -c|observe mode)\b/gi;
  // "do not bypass the hooks" asks the opposite
  const asserted = (line: string, re: RegExp) => [...line.matchAll(re)].some((m) => !/\b(?:not|never|no|nor)\s+(?:\w+\s+){0,2}$|n't\s+(?:\w+\s+){0,2}$/i.test(line.slice(0, m.index)));
  // instructions to change the guard's settings, in any wording
  const setting = /\b(?:VAIBOT_\w+|CODEX_HOME)\s*=/.exec(added);
  if (setting) {
    run.add('self.agent-instructions', `${verb} ${path} tells later agents to set ${setting[0].replace(/\s*=$/, '')}`);
    return;
  }
  for (const line of added.split(/(?<=[.!?;])\s+|\n/)) {
    const vaibot = /\bvaibot\b/i.test(line);
    const guard = vaibot || /\b(?:guard(?:rail)?s?|pre-?tool-?use hooks?|codex(?:'s)? hooks?|(?:security|safety) hooks?|hook denials?|the hook)\b/i.test(line);
    if ((guard && asserted(line, strong)) || (vaibot && asserted(line, weak))) {
      run.add('self.agent-instructions', `${verb} ${path} tells later agents to get around VAIBOT: ${JSON.stringify(line.trim().slice(0, 160))}`);
      return;
    }
  }
}

/**
 * Package manager settings that run code on every invocation: Yarn's `yarnPath` and plugin paths
 * outside the project (a project's own `.yarn/releases` is normal), npm's `script-shell`,
 * `node-options` and `onload-script`.
 */
function judgePackageManagerCode(run: Run, path: string, added: string, verb: string): void {
  if (/(?:^|\/)\.npmrc$/.test(path)) {
    const m = /^\s*(script-shell|node-options|onload-script|init-module)\s*=\s*(.*)$/m.exec(added);
    if (m && !(m[1] === 'node-options' && !/(?:^|\s)(?:-r|--require|--import|--loader|--experimental-loader)\b/.test(m[2]!)))
      run.add('persist.package-manager-code', `${verb} sets ${m[1]} in ${path}: npm runs ${JSON.stringify(m[2]!.trim().slice(0, 120))} with every script`);
  }
  if (/(?:^|\/)\.yarnrc\.yml$/.test(path)) {
    const dir = posix.dirname(path.startsWith('/') ? path : posix.join('/', path));
    for (const m of added.matchAll(/^\s*(?:yarnPath|-?\s*path)\s*:\s*["']?([^"'\s#]+)/gm)) {
      const target = m[1]!.startsWith('~/') ? posix.join(run.zones.home, m[1]!.slice(2)) : posix.resolve(dir, m[1]!);
      if (!path.startsWith('/') ? m[1]!.startsWith('/') || m[1]!.startsWith('~') || m[1]!.startsWith('..') : !inWorkspace(target, run.zones))
        run.add('persist.package-manager-code', `${verb} makes Yarn run ${JSON.stringify(m[1])}, outside the project, on every invocation (${path})`);
    }
  }
}

/** Judge code on a scratch run and keep only the findings that deny (code that runs later, when it is asked for and judged again). */
function judgeDeniedOnly(run: Run, call: () => Call, lang: ScriptLang, code: string, label: string): void {
  for (const f of deniedFindings(run, call, lang, code, label)) run.add(f.ruleId as RuleId, f.reason);
}

/**
 * A CI step runs on the CI runner, not on this machine: network access, sudo and writes in the
 * runner's home are its everyday work there. What counts is what would be denied outright: sending
 * secrets away (the repository's secrets are in the step's environment) keeps its level; anything
 * else denied (running downloaded code, deleting home) is held for a human as planted code, since
 * an installer piped to a shell is also how many tools install themselves in CI.
 */
function judgeCiStep(run: Run, call: () => Call, lang: ScriptLang, code: string, label: string): void {
  for (const f of deniedFindings(run, call, lang, code, label)) {
    if (f.ruleId.startsWith('exfil.') || f.ruleId.startsWith('self.')) run.add(f.ruleId as RuleId, f.reason);
    else run.add('exec.planted-dangerous-code', `${label}: a CI step would do this on the runner, with the repository's secrets: ${f.reason}`);
  }
}

/** What code would do that is denied outright, judged on a scratch run so nothing else it does is reported. */
function deniedFindings(run: Run, call: () => Call, lang: ScriptLang, code: string, label: string): Run['findings'] {
  const scratch = new Run(run.ctx, run.zones, run.resolver, code);
  runCode(patchCall(scratch, call().scope.cwd ?? '/'), lang, code, label);
  return scratch.findings.filter((f) => RULES[f.ruleId as RuleId]?.level === 'dangerous');
}

/** Extensions of source files whose code is scanned when written. */
const SOURCE_EXT = /\.(?:[cm]?[jt]sx?|py|rb|pl|pm|php|lua|sh|bash|zsh)$/;

/**
 * Code added to an ordinary source file runs when the project does (the app, a script, a CLI), not by
 * itself: only what would be denied outright in a command (deleting home, sending secrets away,
 * running downloaded code) is reported, and as a hold for a human, since a tool may have a reason to
 * touch such paths.
 */
function judgeSourceCode(run: Run, call: () => Call, path: string, added: string, verb: string): void {
  if (!SOURCE_EXT.test(path) || /(?:^|\/)(?:docs?|examples?|fixtures?|testdata|__snapshots__)\//.test(path) || added.length > 131_072) return;
  for (const f of deniedFindings(run, call, languageOf(path, added, 'node'), added, `${verb} ${path}`))
    run.add('exec.planted-dangerous-code', `${verb} ${path} adds code that, when the project runs, would do this: ${f.reason}`);
}

/** PATH shadowing is only looked at for paths that can be on PATH (cheap test first). */
function judgePathShadowIfAny(run: Run, call: () => Call, path: string, added: string, verb: string): void {
  if (!/\/(?:s?bin|shims|tools|pnpm)\/[^/]+$/.test(path)) return;
  judgePathShadow(call(), path, added, verb);
}

/**
 * Judge code written to `path` by any tool (an MCP server's `create_or_update_file`, say) where
 * other tools run it later: the same checks as a patch's added text.
 */
export function judgePlantedText(run: Run, path: string, text: string, verb: string, cwd: string): void {
  let made: Call | undefined;
  judgePlanted(run, () => (made ??= patchCall(run, cwd)), path, text, verb);
}

/**
 * Judge text a shell command writes to a file (a redirect, `tee`). zsh's and dash's echo turn `\\n`
 * and `\\t` into newlines and tabs (bash's does not): the file may get either, so what the other
 * spelling plants is judged too.
 */
export function judgeShellWrittenText(run: Run, path: string, text: string, verb: string, cwd: string): void {
  judgePlantedText(run, path, text, verb, cwd);
  if (/\\[nt]/.test(text)) judgePlantedText(run, path, text.replace(/\\n/g, '\n').replace(/\\t/g, '\t'), verb, cwd);
}

/** Judge every file an apply_patch touches. */
export function judgePatch(run: Run, patch: PatchIntent, cwd: string): void {
  let made: Call | undefined;
  const call = () => (made ??= patchCall(run, cwd));
  for (const t of patch.targets) {
    const ref = resolvePathText(run, t.path, cwd);
    switch (t.op) {
      case 'add':
      case 'update':
        judgeWrite(run, ref, { verb: `apply_patch (${t.op})`, content: t.added });
        if (ref) judgePlanted(run, call, ref.path, t.added, `apply_patch (${t.op})`);
        break;
      case 'delete':
        judgeDelete(run, ref, { recursive: false, verb: 'apply_patch (delete)' });
        // the repository's own data: without HEAD, config, index or refs, git no longer sees a repository
        if (ref && /(?:^|\/)\.git\/(?:HEAD|config|index|packed-refs|objects\/|refs\/)/.test(ref.path)) run.add('vcs.rm-git-dir', `apply_patch deletes ${t.path}, part of the git repository's own data`);
        break;
      case 'move': {
        judgeDelete(run, ref, { recursive: false, verb: 'apply_patch (move)' });
        const to = t.to ? resolvePathText(run, t.to, cwd) : null;
        if (t.to) judgeWrite(run, to, { verb: 'apply_patch (move to)', content: t.added });
        if (to) judgePlanted(run, call, to.path, t.added, 'apply_patch (move to)');
        break;
      }
    }
  }
}
