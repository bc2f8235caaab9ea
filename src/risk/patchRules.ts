/**
 * apply_patch: every touched path is judged like a write (add, update, move destination) or a
 * delete (delete, move source), with the same self-protection, secrets and zone rules as the shell.
 * Content that plants commands is judged too: git config keys that run commands, executables put on
 * PATH, package manager registries.
 */
import type { PatchIntent } from '../intent/intent.js';
import type { Call } from './call.js';
import { gitConfigCommands, isGitConfigPath } from './gitConfigCommands.js';
import { judgePathShadow } from './pathShadow.js';
import { judgeDelete, judgeWrite, resolvePathText } from './pathRules.js';
import type { Run } from './run.js';
import { EMPTY_INPUT } from './shellValue.js';
import { ShellWalker } from './shellWalker.js';
import { judgeGitConfigCommand } from './workspaceRunners.js';

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
];

/** A call to judge patch content with (shell text, interpreter code) as if a command ran it. */
function patchCall(run: Run, cwd: string): Call {
  const scope = { depth: 0, cwd, vars: new Map(), positional: [], scriptName: 'apply_patch', functions: new Map(), aliases: new Map(), callStack: [], remote: false };
  return { exec: new ShellWalker(run), words: [], name: 'apply_patch', program: 'apply_patch', args: [], argWords: [], stdin: EMPTY_INPUT, scope, env: new Map(), via: [] };
}

/** Judge what a patch's added text plants: git config commands, PATH executables, package registries. */
function judgePlanted(run: Run, call: () => Call, path: string, added: string, verb: string): void {
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
}

/** PATH shadowing is only looked at for paths that can be on PATH (cheap test first). */
function judgePathShadowIfAny(run: Run, call: () => Call, path: string, added: string, verb: string): void {
  if (!/\/(?:s?bin|shims|tools|pnpm)\/[^/]+$/.test(path)) return;
  judgePathShadow(call(), path, added, verb);
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
