/**
 * git (and gh): history-destroying operations, credentials, configuration that runs commands.
 */
import { posix } from 'node:path';
import type { Handler } from '../call.js';
import { judgeDelete, judgeWrite } from '../pathRules.js';
import { normalizeAbsolute } from '../pathZones.js';
import { type ShellWord, UNKNOWN } from '../shellValue.js';
import { generic } from './generic.js';
import { runCode } from './scripts.js';
import { UNKNOWN_OUTPUT, display, pathOf } from './support.js';
import { applyDiff } from './files.js';

/** Config keys whose value git runs as a shell command. */
const COMMAND_KEYS = /^(?:core\.(?:sshcommand|pager|editor|fsmonitor|askpass|hookspath)|diff\.external|credential\.helper|sequence\.editor|gpg\.program|pager\.\w+|merge\.\w+\.driver|filter\.\w+\.(?:clean|smudge|process)|uploadpack\.packobjectshook|alias\.\w+)$/i;

const git: Handler = (call) => {
  const run = call.exec.run;
  const w = call.argWords;
  const aliases = new Map<string, string>();
  let i = 0;
  let cwd = call.scope.cwd;
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '-C') {
      const d = w[++i]?.text ?? '';
      cwd = d.includes(UNKNOWN) ? null : d.startsWith('/') ? normalizeAbsolute(d) : cwd ? normalizeAbsolute(posix.join(cwd, d)) : null;
      continue;
    }
    if (t === '-c' || t === '--config-env') {
      const kv = w[++i]?.text ?? '';
      const eq = kv.indexOf('=');
      const key = (eq < 0 ? kv : kv.slice(0, eq)).toLowerCase();
      const value = eq < 0 ? '' : kv.slice(eq + 1);
      if (COMMAND_KEYS.test(key) && value) {
        if (key.startsWith('alias.')) {
          if (value.startsWith('!')) aliases.set(key.slice(6), value.slice(1));
        } else if (key === 'core.hookspath') run.add('persist.git-hook', `git -c core.hooksPath=${display(value)} runs hooks from another directory`);
        else runCode(call, 'sh', value.replace(/^!/, ''), `git -c ${key}`);
      }
      continue;
    }
    if (/^--(?:git-dir|work-tree|namespace|exec-path|super-prefix|list-cmds|attr-source)$/.test(t)) { i++; continue; }
    if (t.startsWith('-')) continue;
    break;
  }
  const sub = w[i]?.text ?? '';
  const rest = w.slice(i + 1);
  const args = rest.map((x) => x.text);
  const has = (...flags: string[]) => args.some((a) => flags.includes(a));
  const shortHas = (c: string) => args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(c));
  const alias = aliases.get(sub);
  if (alias !== undefined) return runCode(call, 'sh', alias + ' ' + args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), `git alias ${sub}`);
  switch (sub) {
    case 'push': {
      const force = has('--force', '-f', '--mirror', '--force-if-includes') || args.some((a) => a.startsWith('--force-with-lease') || (/^-[A-Za-z]+$/.test(a) && a.includes('f')) || /^\+[^+]/.test(a) || /^[^-].*:\+/.test(a));
      if (force) run.add('vcs.force-push', `git push ${args.map(display).join(' ')} force-pushes, overwriting remote history`);
      if (has('--delete', '-d', '--prune') || args.some((a) => /^:[^:]/.test(a))) run.add('vcs.remote-delete', `git push ${args.map(display).join(' ')} deletes remote refs`);
      break;
    }
    case 'reset':
      if (has('--hard')) run.add('vcs.reset-hard', 'git reset --hard discards uncommitted changes');
      break;
    case 'clean':
      if ((has('--force') || shortHas('f')) && !(has('--dry-run') || shortHas('n')))
        run.add('vcs.clean-force', `git clean ${args.join(' ')} deletes untracked files${shortHas('x') ? ', including ignored ones' : ''}`);
      break;
    case 'branch':
      if (shortHas('D') || (has('--delete', '-d') && has('--force', '-f'))) run.add('vcs.branch-force-delete', `git branch ${args.join(' ')} deletes a branch even if unmerged`);
      break;
    case 'filter-branch':
    case 'filter-repo':
      run.add('vcs.history-rewrite', `git ${sub} rewrites the repository history`);
      break;
    case 'reflog':
      if (args[0] === 'expire' || args[0] === 'delete') run.add('vcs.history-rewrite', `git reflog ${args[0]} prunes the reflog`);
      break;
    case 'gc':
      if (args.some((a) => /^--prune=(?:now|all)/.test(a))) run.add('vcs.history-rewrite', 'git gc --prune=now deletes unreachable commits');
      break;
    case 'update-ref':
      if (has('-d')) run.add('vcs.history-rewrite', 'git update-ref -d deletes a ref');
      break;
    case 'stash':
      if (args[0] === 'clear' || args[0] === 'drop') run.add('vcs.discard-changes', `git stash ${args[0]} deletes stashed changes`);
      break;
    case 'checkout':
    case 'switch':
    case 'restore': {
      const dd = args.indexOf('--');
      const paths = dd >= 0 ? args.slice(dd + 1) : sub === 'restore' ? args.filter((a) => !a.startsWith('-')) : args.filter((a) => a === '.' || a === ':/');
      const staged = has('--staged', '-S') && !has('--worktree', '-W');
      if (has('-f', '--force', '--discard-changes') || (!staged && paths.some((p) => p === '.' || p === ':/' || p === '*' || p === ':'))) {
        run.add('vcs.discard-changes', `git ${sub} ${args.join(' ')} discards working-tree changes`);
      }
      break;
    }
    case 'rm': {
      if (has('-r') || shortHas('r')) {
        for (const a of rest.filter((x) => !x.text.startsWith('-'))) judgeDelete(run, pathOf({ ...call, scope: { ...call.scope, cwd } }, a), { recursive: true, verb: 'git rm -r' });
      }
      break;
    }
    case 'credential':
      if (args[0] === 'fill' || args[0] === 'get') run.add('secrets.credential-store', `git credential ${args[0]} prints stored credentials`);
      break;
    case 'config': {
      const setIdx = args.findIndex((a) => !a.startsWith('-'));
      const key = (args[setIdx] ?? '').toLowerCase();
      const value = args[setIdx + 1];
      if (value !== undefined && !has('--get', '--get-all', '--list', '-l', '--unset', '--get-regexp')) {
        if (key === 'core.hookspath') run.add('persist.git-hook', `git config core.hooksPath makes git run hooks from ${display(value)}`);
        else if (COMMAND_KEYS.test(key) && (!key.startsWith('alias.') || value.startsWith('!'))) runCode(call, 'sh', value.replace(/^!/, ''), `git config ${key}`);
      }
      if (has('--global', '--system')) judgeWrite(run, pathOf(call, has('--system') ? '/etc/gitconfig' : `${run.zones.home}/.gitconfig`), { verb: 'git config' });
      break;
    }
    case 'clone':
    case 'fetch':
    case 'pull':
    case 'submodule':
    case 'ls-remote':
      if (args.some((a) => /^ext::/.test(a))) run.add('exec.dynamic-code', 'git uses an ext:: transport, which runs a command');
      if (sub === 'clone') {
        const ops = rest.filter((x) => !x.text.startsWith('-'));
        const dest = ops[1];
        if (dest) judgeWrite(run, pathOf(call, dest), { verb: 'git clone' });
      }
      break;
    case 'apply':
    case 'am':
      return applyDiff({ ...call, argWords: w.slice(i), args: w.slice(i).map((x) => x.text), scope: { ...call.scope, cwd } });
    case 'daemon':
    case 'instaweb':
      run.add('net.outbound', `git ${sub} serves the repository on the network`);
      break;
  }
  return UNKNOWN_OUTPUT;
};

/** `gh`: the GitHub CLI. */
const gh: Handler = (call) => {
  const run = call.exec.run;
  const [a, b] = call.args;
  if (a === 'auth' && (b === 'token' || (b === 'status' && call.args.some((x) => x === '--show-token' || x === '-t'))))
    run.add('secrets.credential-store', 'gh auth prints the GitHub token');
  if (a === 'repo' && b === 'delete') run.add('infra.cloud-destroy', 'gh repo delete deletes a GitHub repository');
  if (a === 'release' && (b === 'create' || b === 'upload')) run.add('publish.package', `gh release ${b} publishes a release`);
  if (a === 'release' && b === 'delete') run.add('infra.cloud-delete', 'gh release delete deletes a release');
  if (a === 'gist' && b === 'create') run.add('exfil.upload-file', 'gh gist create uploads files to a gist');
  if (a === 'secret' && (b === 'set' || b === 'delete')) run.add('infra.cloud-delete', `gh secret ${b} changes repository secrets`);
  if (a === 'api') {
    const m = call.args.findIndex((x) => x === '-X' || x === '--method');
    const method = m >= 0 ? call.args[m + 1]?.toUpperCase() : call.args.find((x) => /^--method=/.test(x))?.slice(9).toUpperCase();
    if (method === 'DELETE') run.add('infra.cloud-delete', 'gh api -X DELETE deletes GitHub resources');
  }
  if (a === 'codespace' && (b === 'ssh' || b === 'cp')) run.add('net.outbound', `gh codespace ${b} connects to a remote machine`);
  return generic({ ...call, argWords: [] as ShellWord[], args: [] });
};


/** Version-control handlers, by program name. */
export const GIT_HANDLERS: Record<string, Handler> = { git, gh };
