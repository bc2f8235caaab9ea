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
import type { Run } from './run.js';
import { EMPTY_INPUT } from './shellValue.js';
import { ShellWalker } from './shellWalker.js';
import { gradleCommands, judgeGitConfigCommand } from './workspaceRunners.js';
import { listedCommands } from './runnerConfigCommands.js';
import { allMakefileRecipes } from './makefileRecipes.js';
import { runCode } from './commands/scripts.js';

/** Package manager configuration files and the settings in them that choose where packages come from. */
const PACKAGE_INDEX_FILES: [RegExp, RegExp][] = [
  [/\/\.npmrc$/, /^\s*(?:@[\w.-]+:)?registry\s*=/m],
  [/\/\.yarnrc(?:\.yml)?$/, /^\s*(?:registry|npmRegistryServer|npmScopes)\b/m],
  [/\/\.bunfig\.toml$|\/bunfig\.toml$/, /^\s*(?:registry|\[install\.scopes\])/m],
  [/\/(?:\.pip\/pip\.conf|\.config\/pip\/pip\.conf|pip\/pip\.ini|pip\.conf)$/, /^\s*(?:index-url|extra-index-url|find-links|trusted-host)\s*=/m],
  [/\/(?:\.config\/uv\/uv\.toml|uv\.toml)$/, /^\s*(?:index-url|extra-index-url|find-links|\[\[index\]\])/m],
  [/\/\.cargo\/config(?:\.toml)?$/, /^\s*(?:replace-with|\[registries|\[source)/m],
  [/\/\.gemrc$/, /^\s*:?sources:/m],
  [/\/\.condarc$/, /^\s*(?:channels|channel_alias|default_channels):/m],
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
 * Files whose content other tools run without being asked again (lifecycle scripts on `npm install`,
 * setup.py, conftest.py, task runners, git hook managers, editor tasks on folder open, dev
 * containers, `.envrc`, CI workflows): the code a patch adds there is judged now, as what it runs.
 */
const PLANTED_CODE: Array<[RegExp, (added: string, path: string) => Array<{ lang: 'sh' | 'python'; code: string }>]> = [
  [/(?:^|\/)package\.json$/, (a) => jsonStrings(a, /^(?:pre|post)?(?:install|prepare|prepublish(?:Only)?|pack|test|start|build|dev|publish|version)$/).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)(?:setup|conftest|noxfile|sitecustomize|usercustomize)\.py$/, (a) => [{ lang: 'python', code: a }]],
  [/(?:^|\/)\.husky\/[^/]+$|(?:^|\/)\.envrc$|(?:^|\/)\.git\/hooks\/[^/]+$/, (a) => [{ lang: 'sh', code: a }]],
  [/(?:^|\/)(?:Makefile|makefile|GNUmakefile)$/, (a) => allMakefileRecipes(a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.vscode\/tasks\.json$/, (a) => jsonStrings(a, /^command$/).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.devcontainer(?:\/[^/]+)?\/devcontainer\.json$|(?:^|\/)\.devcontainer\.json$/, (a) => jsonStrings(a, /^(?:initialize|onCreate|updateContent|postCreate|postStart|postAttach)Command$/).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/, (a) => [...a.matchAll(/^\s*(?:-\s+)?run\s*:\s*(?![|>])(.+)$/gm)].map((m) => ({ lang: 'sh', code: m[1]!.replace(/\$\{\{[^}]*\}\}/g, 'x') }))],
  // task runners' configurations: the commands they list
  [/(?:^|\/)(?:[Jj]ustfile|\.justfile|[Tt]askfile\.ya?ml|tox\.ini|\.pre-commit-config\.ya?ml|deno\.jsonc?|composer\.json|Pipfile|pyproject\.toml|CMakeLists\.txt|[^/]+\.cmake|\.huskyrc(?:\.json)?)$/, (a, path) => listedCommands(path, a).map((code) => ({ lang: 'sh', code }))],
  [/(?:^|\/)(?:build|settings|init)\.gradle(?:\.kts)?$/, (a) => gradleCommands(a).map((code) => ({ lang: 'sh', code }))],
];

/** Judge what a patch's added text plants: git config commands, PATH executables, package registries. */
function judgePlanted(run: Run, call: () => Call, path: string, added: string, verb: string): void {
  for (const [file, extract] of PLANTED_CODE) {
    if (!file.test(path)) continue;
    for (const p of extract(added, path)) runCode(call(), p.lang, p.code, `${verb} ${path} (run later by the tools that read it)`);
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
  judgePathShadowIfAny(run, call, path, added, verb);
  for (const [file, setting] of PACKAGE_INDEX_FILES)
    if (file.test(path) && setting.test(added)) run.add('persist.package-index', `${verb} changes where packages are installed from (${path})`);
  judgePackageManagerCode(run, path, added, verb);
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
