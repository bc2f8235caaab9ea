/**
 * git (and gh): history-destroying operations, credentials, configuration that runs commands.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { judgeDelete, judgeRead, judgeWrite } from '../pathRules.js';
import { inWorkspace, isStrictlyUnder, normalizeAbsolute, protectedKind } from '../pathZones.js';
import { gitConfigEntryRuns } from '../gitConfigCommands.js';
import { judgeForgeSafetyNets } from './cloudSafetyNets.js';
import { type ShellWord, PLAIN, UNKNOWN } from '../shellValue.js';
import { generic } from './generic.js';
import { runCode } from './scripts.js';
import { UNKNOWN_OUTPUT, display, envValue, languageOf, namesProduction, pathOf, runInner } from './support.js';
import { applyDiff } from './diffApplication.js';
import { judgeGitRemote, judgeRemoteConfig } from './gitRemotes.js';
import { judgeRunnerFiles, trackedWrites } from '../workspaceRunners.js';

/** Config keys whose value git runs as a shell command. */
const COMMAND_KEYS = /^(?:core\.(?:sshcommand|pager|editor|fsmonitor|askpass|hookspath)|diff\.external|credential\.helper|sequence\.editor|gpg\.program|pager\.\w+|merge\.\w+\.driver|filter\.\w+\.(?:clean|smudge|process)|uploadpack\.packobjectshook|alias\.\w+)$/i;

/** Configuration given for one git invocation (`-c`, `GIT_CONFIG_PARAMETERS`, `GIT_CONFIG_KEY_n`): aliases it defines, settings that matter here. */
interface OneShotConfig {
  aliases: Map<string, string>;
  /** `clean.requireForce=false`: `git clean` deletes without `-f`. */
  cleanWithoutForce: boolean;
  /** `gc.reflogExpire=now`, `gc.pruneExpire=now`, …: `git gc` deletes unreachable commits and the reflog at once. */
  pruneNow: boolean;
}

/** Judge one `key=value` setting given for this invocation: commands it makes git run are judged now. */
function applyConfig(call: Call, cfg: OneShotConfig, keyText: string, value: string, via: string): void {
  const run = call.exec.run;
  const key = keyText.toLowerCase();
  if (key === 'clean.requireforce' && /^(?:false|no|off|0)$/i.test(value)) cfg.cleanWithoutForce = true;
  if (/^gc\.(?:reflogexpire|reflogexpireunreachable|pruneexpire|worktreepruneexpire)$/.test(key) && /^(?:now|all|0)$/i.test(value.trim())) cfg.pruneNow = true;
  if (!COMMAND_KEYS.test(key) || !value) return;
  if (key.startsWith('alias.')) {
    if (value.startsWith('!')) cfg.aliases.set(key.slice(6), value.slice(1));
  } else if (key === 'core.hookspath') run.add('persist.git-hook', `${via} core.hooksPath=${display(value)} runs hooks from another directory`);
  else runCode(call, 'sh', value.replace(/^!/, ''), `${via} ${key}`);
}

/** Settings passed through the environment: `GIT_CONFIG_PARAMETERS` and `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`. */
function envConfig(call: Call): [string, string][] {
  const get = (k: string) => envValue(call, k);
  const out: [string, string][] = [];
  const params = get('GIT_CONFIG_PARAMETERS');
  if (params) {
    for (const m of params.matchAll(/'([^']*)'(?:='([^']*)')?/g)) {
      const [k, v] = m[2] !== undefined ? [m[1]!, m[2]] : [m[1]!.split('=')[0]!, m[1]!.slice(m[1]!.indexOf('=') + 1)];
      out.push([k, v]);
    }
  }
  for (let n = 0; n < 16; n++) {
    const k = get(`GIT_CONFIG_KEY_${n}`);
    if (k !== undefined) out.push([k, get(`GIT_CONFIG_VALUE_${n}`) ?? '']);
  }
  return out;
}

/** Options of git subcommands whose value is a command git runs (`--upload-pack`, `rebase --exec`, `difftool --extcmd`). */
const COMMAND_OPTIONS: Record<string, RegExp> = {
  clone: /^(?:--upload-pack|-u)$/,
  fetch: /^--upload-pack$/,
  pull: /^--upload-pack$/,
  'ls-remote': /^--upload-pack$/,
  push: /^(?:--receive-pack|--exec)$/,
  archive: /^--exec$/,
  rebase: /^(?:--exec|-x)$/,
  difftool: /^(?:--extcmd|-x)$/,
};

/** Commands a subcommand's options or operands make git run: judged as shell commands. */
function subcommandCommands(call: Call, sub: string, rest: readonly ShellWord[]): void {
  const args = rest.map((x) => x.text);
  const takes = Object.hasOwn(COMMAND_OPTIONS, sub) ? COMMAND_OPTIONS[sub] : undefined;
  for (let k = 0; takes && k < args.length; k++) {
    const a = args[k]!;
    const eq = a.indexOf('=');
    const opt = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (!takes.test(opt)) continue;
    const value = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++k];
    if (value) runCode(call, 'sh', value, `git ${sub} ${opt}`);
  }
  if (sub === 'bisect' && args[0] === 'run' && rest.length > 1) runInner(call, rest.slice(1) as ShellWord[], { via: 'git bisect run' });
  if (sub === 'submodule' && args.includes('foreach')) {
    const cmd = args.slice(args.indexOf('foreach') + 1).filter((x) => x !== '--recursive' && x !== '-q' && x !== '--quiet');
    if (cmd.length) runCode(call, 'sh', cmd.join(' '), 'git submodule foreach');
  }
}

/** git config keys whose value is a credential: an Authorization header, a password or token. */
const SECRET_GIT_KEY = /^https?(?:\..+)?\.extraheader$|^credential(?:\..+)?\.(?:password|token|oauthrefreshtoken)$/;

/** Subcommands that only read the repository. */
const GIT_READS = /^(?:status|log|diff|show|blame|grep|ls-files|ls-tree|rev-parse|rev-list|describe|shortlog|cat-file|branch|tag|remote|config|reflog|show-ref|for-each-ref|whatchanged|help|version|)$/;

const git: Handler = (call) => {
  const run = call.exec.run;
  const w = call.argWords;
  const cfg: OneShotConfig = { aliases: new Map(), cleanWithoutForce: false, pruneNow: false };
  const aliases = cfg.aliases;
  for (const [k, v] of envConfig(call)) applyConfig(call, cfg, k, v, 'GIT_CONFIG');
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
      applyConfig(call, cfg, eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? '' : kv.slice(eq + 1), 'git -c');
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
  subcommandCommands(call, sub, rest);
  // `git -C ~/.codex stash`: anything but reading, in a directory VAIBOT or Codex relies on
  if (cwd !== null && cwd !== call.scope.cwd && !GIT_READS.test(sub) && protectedKind(cwd, run.zones) !== null)
    run.add('self.write-protected', `git -C ${display(cwd)} ${sub} changes files VAIBOT or Codex relies on`);
  switch (sub) {
    case 'add': {
      // staging a secret file (`git add -f .env`) puts it in the next commit, and wherever that is pushed
      for (const f of rest.filter((x) => !x.text.startsWith('-'))) judgeRead(run, pathOf(call, f), { verb: 'git add' });
      break;
    }
    case 'send-email': {
      // every file operand is mailed
      for (const f of rest.filter((x, k) => !x.text.startsWith('-') && !/^--(?:to|cc|bcc|from|subject|in-reply-to|smtp-server|smtp-user)$/.test(rest[k - 1]?.text ?? ''))) {
        const ref = pathOf(call, f);
        const secret = judgeRead(run, ref, { verb: 'git send-email' });
        run.add(secret ? 'exfil.upload-secret' : 'exfil.upload-file', `git send-email mails ${display(f.text)}`);
      }
      break;
    }
    case 'rev-parse':
      // the repository's top level, when it is the workspace found for this call and git looks there
      if (args.length === 1 && args[0] === '--show-toplevel' && run.zones.repository !== null && cwd === call.scope.cwd)
        return { kind: 'text', text: `${run.zones.repository}\n`, from: PLAIN };
      break;
    case 'commit':
    case 'merge':
      // the repository's hook manager (husky, pre-commit) runs its hooks
      if (!has('--no-verify', '-n') || sub === 'merge') judgeRunnerFiles(call, 'git-commit');
      break;
    case 'push': {
      const force = has('--force', '-f', '--mirror') || args.some((a) => (/^-[A-Za-z]+$/.test(a) && a.includes('f')) || /^\+[^+]/.test(a) || /^[^-].*:\+/.test(a));
      const lease = args.some((a) => a.startsWith('--force-with-lease') || a === '--force-if-includes');
      // refspecs named on the line (`origin feat/x`, `+feat/x`, `HEAD:feat/x`): their remote branches
      const refs = args.filter((x) => !x.startsWith('-')).slice(1).map((x) => x.replace(/^\+/, '').split(':').pop() ?? '');
      const branchesOnly = refs.length > 0 && !has('--all', '--mirror', '--tags') && refs.every((r) => /^[\w.\/-]+$/.test(r) && !/^(?:refs\/heads\/)?(?:main|master|trunk|develop|development|dev|stable|staging|gh-pages|HEAD|(?:release|releases|prod|production|hotfix)(?:[\/.-].*)?|v?\d+(?:\.\d+)+.*|refs\/tags\/.*)$/i.test(r));
      if (force && branchesOnly) run.add('vcs.force-push-branch', `git push ${args.map(display).join(' ')} force-pushes ${refs.join(', ')}, overwriting that branch's remote history`);
      else if (force) run.add('vcs.force-push', `git push ${args.map(display).join(' ')} force-pushes, overwriting remote history`);
      // only if the remote is still where this clone last saw it: the usual push after a rebase
      // (to named work branches, it is what a rebase of the agent's own branch needs: not flagged)
      else if (lease && !branchesOnly) run.add('vcs.force-push-lease', `git push ${args.map(display).join(' ')} overwrites remote history if nobody pushed since the last fetch`);
      if (has('--delete', '-d', '--prune') || args.some((a) => /^:[^:]/.test(a))) run.add('vcs.remote-delete', `git push ${args.map(display).join(' ')} deletes remote refs`);
      break;
    }
    case 'remote':
      judgeGitRemote(call, args);
      break;
    case 'reset':
      if (has('--hard')) run.add('vcs.reset-hard', 'git reset --hard discards uncommitted changes');
      break;
    case 'clean':
      if ((has('--force') || shortHas('f') || cfg.cleanWithoutForce) && !(has('--dry-run') || shortHas('n'))) {
        // limited to named directories below the working directory (`git clean -fdX -- dist coverage`): as deleting them
        const dd = args.indexOf('--');
        const specs = (dd >= 0 ? args.slice(dd + 1) : args.filter((x, k) => !x.startsWith('-') && !/^(?:-e|--exclude)$/.test(args[k - 1] ?? '')));
        const refs = specs.map((x) => (/^:|[*?[]/.test(x) ? null : pathOf(call, x)));
        const limited = specs.length > 0 && refs.every((r) => r !== null && call.scope.cwd !== null && isStrictlyUnder(r.real, call.scope.cwd) && inWorkspace(r.real, run.zones));
        if (limited) {
          for (const r of refs) judgeDelete(run, r, { recursive: true, verb: 'git clean' });
          break;
        }
        run.add('vcs.clean-force', `git clean ${args.join(' ')} deletes untracked files${shortHas('x') ? ', including ignored ones' : ''}`);
      }
      break;
    case 'branch':
      if (shortHas('D') || (has('--delete', '-d') && has('--force', '-f'))) run.add('vcs.branch-force-delete', `git branch ${args.join(' ')} deletes a branch even if unmerged`);
      break;
    case 'filter-branch':
    case 'filter-repo':
      if (!args.includes('--help') && !args.includes('-h')) run.add('vcs.history-rewrite', `git ${sub} rewrites the repository history`);
      break;
    case 'reflog':
      if (args[0] === 'expire' || args[0] === 'delete') run.add('vcs.history-rewrite', `git reflog ${args[0]} prunes the reflog`);
      break;
    case 'gc':
      if (args.some((a) => /^--prune=(?:now|all)/.test(a)) || cfg.pruneNow) run.add('vcs.history-rewrite', `git gc ${cfg.pruneNow ? 'with its expiry set to now ' : '--prune=now '}deletes unreachable commits`);
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
      // --cached only untracks: the files stay on disk
      if ((has('-r') || shortHas('r')) && !has('--cached')) {
        for (const a of rest.filter((x) => !x.text.startsWith('-'))) judgeDelete(run, pathOf({ ...call, scope: { ...call.scope, cwd } }, a), { recursive: true, verb: 'git rm -r' });
      }
      break;
    }
    case 'credential':
    case 'credential-store':
    case 'credential-cache':
    case 'credential-manager':
    case 'credential-osxkeychain':
    case 'credential-libsecret':
      if (args.some((a) => a === 'fill' || a === 'get')) run.add('secrets.credential-store', `git ${sub} ${args.join(' ')} prints stored credentials`);
      break;
    case 'config': {
      // the key and value, past options and their values (`--file F`, `--type bool`)
      const ops: string[] = [];
      let fileArg: string | undefined;
      for (let i = 0; i < args.length; i++) {
        const t = args[i]!;
        if (t === '-f' || t === '--file') fileArg = args[++i];
        else if (t.startsWith('--file=')) fileArg = t.slice(7);
        else if (/^(?:--blob|--type|--default|--comment)$/.test(t)) i++;
        else if (!t.startsWith('-')) ops.push(t);
      }
      const key = (ops[0] ?? '').toLowerCase();
      const value = ops[1];
      // reading back an Authorization header or a stored password: a token in the clear
      const reads = value === undefined || has('--get', '--get-all', '--get-regexp', '--get-urlmatch');
      if (reads && (SECRET_GIT_KEY.test(key) || (has('--get-regexp') && /extraheader|password|token/i.test(key))))
        run.add('secrets.credential-store', `git config ${key} prints a stored credential`);
      if (value !== undefined && !has('--get', '--get-all', '--list', '-l', '--unset', '--get-regexp')) {
        // a hook directory of the repository itself (`.husky`, `.githooks`), set for this repository only: its files are
        // the project's own, judged when written, as `npx husky init` does
        if (key === 'core.hookspath') {
          const hooks = pathOf(call, value);
          const own = !has('--global', '--system') && fileArg === undefined && !/^[~$]/.test(value) && hooks !== null && inWorkspace(hooks.real, run.zones) && !/(?:^|\/)\.git(?:\/|$)/.test(hooks.real);
          if (!own) run.add('persist.git-hook', `git config core.hooksPath makes git run hooks from ${display(value)}`);
          // what this session wrote there runs at the next commit: judged as the hook it becomes
          else for (const [path, c] of trackedWrites(run)) if (c.kind === 'text' && isStrictlyUnder(path, hooks.path)) runCode(call, languageOf(path, c.text), c.text, `git hook ${path} (core.hooksPath)`);
        }
        judgeRemoteConfig(call, key, value);
        // every fetch and push of a matching URL goes to another server from now on
        if (/^url\..+\.(?:insteadof|pushinsteadof)$/.test(key)) run.add('persist.package-index', `git config ${key} sends every git fetch or push of ${display(value)} to ${display(key.slice(4, key.lastIndexOf('.')))}`);
        else if (gitConfigEntryRuns(key, value) === 'shell') runCode(call, 'sh', value.replace(/^!/, ''), `git config ${key}`);
        // a proxy, or certificates not checked: every fetch and push can be read and changed in transit
        if (/^https?(?:\..+)?\.(?:proxy|sslcainfo|sslcapath)$|^core\.gitproxy$/.test(key) || (/^https?(?:\..+)?\.sslverify$/.test(key) && /^(?:false|no|off|0)$/i.test(value)))
          run.add('persist.package-index', `git config ${key} ${display(value)} routes git's traffic through another server or stops checking its certificates`);
        // in the user's or the system's configuration (or a file outside the workspace) such a key
        // runs in every repository from now on, whatever the command looks like today
        const file = fileArg ? pathOf(call, fileArg) : null;
        const wide = has('--global', '--system') || (file !== null && !inWorkspace(file.real, run.zones));
        const runs = gitConfigEntryRuns(key, value);
        // a credential helper is handed the user name and password of every fetch and push: a shell
        // snippet or another program there gets them, whatever it does with them today
        if (!wide && /^credential(?:\..+)?\.helper$/.test(key) && (runs === 'shell' || runs === 'path') && !/^(?:store|cache|osxkeychain|manager(?:-core)?|libsecret|wincred|gnome-keyring)(?:\s|$)|^!(?:\S*\/)?(?:gh|glab) auth git-credential$/.test(value))
          run.add('persist.git-config-command', `git config ${key} ${display(value)} hands the credentials of every fetch and push to a command`);
        if (wide && (runs === 'shell' || runs === 'path'))
          run.add('persist.git-config-command', `git config ${has('--system') ? '--system' : file ? `--file ${display(file.raw)}` : '--global'} ${key} makes git run ${runs === 'path' ? 'code from ' : ''}${display(value)} in every repository`);
      }
      // git edits one key (judged by its meaning): the file is not replaced
      if (has('--global', '--system')) judgeWrite(run, pathOf(call, has('--system') ? '/etc/gitconfig' : `${run.zones.home}/.gitconfig`), { verb: 'git config', keyed: true });
      break;
    }
    case 'clone':
    case 'fetch':
    case 'pull':
    case 'submodule':
    case 'ls-remote':
      if (args.some((a) => /^ext::/.test(a))) run.add('exec.dynamic-code', 'git uses an ext:: transport, which runs a command');
      if (sub === 'clone') cloneInto(call, rest, { ...call.scope, cwd }, 'git clone');
      break;
    case 'diff':
    case 'grep':
    case 'blame':
      judgeLocalReads({ ...call, scope: { ...call.scope, cwd } }, sub, rest);
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

/** Options of `git clone` (and `gh repo clone`'s pass-through) that take a value. */
const CLONE_VALUE_OPTS = /^(?:-[bocuj]|--(?:branch|origin|config|upload-pack|template|reference|reference-if-able|separate-git-dir|depth|shallow-since|shallow-exclude|jobs|filter|server-option|bundle-uri|ref-format))$/;

/** True when a clone source is fetched over the network (a URL or `host:path`), not a local directory. */
export function isRemoteSource(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(src) ? !/^file:/i.test(src) : /^[^/:]+:/.test(src);
}

/**
 * `git clone SRC [DIR]`: the destination is written, and when SRC is remote the tree it holds is code
 * from the network for the rest of the command (running its scripts or its build is judged so).
 * @param words the words after `clone`
 */
function cloneInto(call: Call, words: readonly ShellWord[], scope: Call['scope'], verb: string, src?: string): void {
  const ops: ShellWord[] = [];
  let uploadPack: string | undefined;
  for (let k = 0; k < words.length; k++) {
    const t = words[k]!.text;
    if (t === '--') { ops.push(...words.slice(k + 1)); break; }
    if (t === '-u' || t === '--upload-pack') uploadPack = words[k + 1]?.text;
    else if (t.startsWith('--upload-pack=')) uploadPack = t.slice(14);
    if (CLONE_VALUE_OPTS.test(t)) { k++; continue; }
    if (!t.startsWith('-')) ops.push(words[k]!);
  }
  const source = src ?? ops.shift()?.text;
  if (source === undefined) return;
  // a local clone runs the upload-pack command on this machine
  if (uploadPack !== undefined && src === undefined && !isRemoteSource(source)) runCode(call, 'sh', uploadPack, `${verb} --upload-pack`);
  const destWord = ops[0];
  const scoped = { ...call, scope };
  const dest = destWord ? pathOf(scoped, destWord) : pathOf(scoped, source.replace(/\/+$/, '').replace(/\.git$/, '').split(/[/:]/).pop() ?? '');
  if (destWord) judgeWrite(call.exec.run, dest, { verb });
  if (dest && (src !== undefined || isRemoteSource(source)) && !source.includes(UNKNOWN)) call.exec.run.fetchedTrees.set(dest.path, `${verb} ${display(source)}`);
}

/** Options of `git diff|grep|blame` that take a value (the value is not a path operand). */
const GIT_VALUE_OPTS = /^(?:-[eCSGOLMU]|--(?:contents|max-depth|threshold|output|src-prefix|dst-prefix|line-prefix|relative|abbrev|stat|color|word-diff-regex|anchored|find-object|diff-filter|ignore-matching-lines|rotate-to|skip-to|ignore-revs-file|encoding|reverse|since|until|author|grep))$/;

/**
 * `git diff --no-index A B` (also implied for paths outside the repository), `git grep --no-index`,
 * `git blame --contents FILE`: they read local files and print their content.
 */
function judgeLocalReads(call: Call, sub: string, rest: readonly ShellWord[]): void {
  const run = call.exec.run;
  const args = rest.map((x) => x.text);
  const noIndex = args.includes('--no-index') || args.includes('--untracked');
  const operands: ShellWord[] = [];
  let afterDd = false;
  for (let k = 0; k < rest.length; k++) {
    const t = rest[k]!.text;
    if (!afterDd && t === '--') { afterDd = true; continue; }
    if (!afterDd && t === '--contents' && rest[k + 1]) { judgeRead(run, pathOf(call, rest[++k]!), { verb: 'git blame --contents' }); continue; }
    if (!afterDd && t.startsWith('--contents=')) { judgeRead(run, pathOf(call, t.slice(11)), { verb: 'git blame --contents' }); continue; }
    if (!afterDd && t.startsWith('-')) { if (GIT_VALUE_OPTS.test(t)) k++; continue; }
    operands.push(rest[k]!);
  }
  if (sub === 'blame') return;
  // git grep: the first operand is the pattern (unless given with -e)
  const files = sub === 'grep' && !args.includes('-e') && !args.includes('-f') ? operands.slice(1) : operands;
  for (const f of files) {
    // a revision (HEAD~1, main) is not a file; a path outside the repository implies --no-index
    if (!noIndex && !/^[~/]/.test(f.text) && !f.text.startsWith(run.zones.home)) continue;
    judgeRead(run, pathOf(call, f, { glob: f.glob }), { verb: `git ${sub}`, recursive: sub === 'grep' });
  }
}

/** True when `gh repo edit|create` options make the repository public. */
function makesPublic(args: readonly string[]): boolean {
  return args.some((x, k) => x === '--public' || /^--visibility=public$/i.test(x) || (x === '--visibility' && /^public$/i.test(args[k + 1] ?? '')));
}

/** `gh`: the GitHub CLI. */
const gh: Handler = (call) => {
  const run = call.exec.run;
  const [a, b] = call.args;
  if (a === 'auth' && (b === 'token' || (b === 'status' && call.args.some((x) => x === '--show-token' || x === '-t'))))
    run.add('secrets.credential-store', 'gh auth prints the GitHub token');
  if (a === 'repo' && b === 'delete') run.add('infra.cloud-destroy', 'gh repo delete deletes a GitHub repository');
  else if (/^(?:delete|remove|rm|archive)$/.test(b ?? '') || (a === 'cache' && b === 'delete')) run.add('infra.cloud-delete', `gh ${a} ${b} deletes or archives GitHub resources`);
  // a renamed repository breaks every clone, link and CI reference to its old name
  else if (a === 'repo' && b === 'rename') run.add('infra.cloud-delete', 'gh repo rename renames a GitHub repository (every remote, link and CI reference to the old name)');
  if (a === 'repo' && (b === 'edit' || (b === 'create' && call.args.some((x) => /^(?:--source|--push|-s)\b/.test(x)))) && makesPublic(call.args)) run.add('publish.package', `gh repo ${b} makes a repository public`);
  if (a === 'release' && (b === 'create' || b === 'upload')) run.add('publish.package', `gh release ${b} publishes a release`);
  if (a === 'release' && b === 'delete') run.add('infra.cloud-delete', 'gh release delete deletes a release');
  if (a === 'gist' && b === 'create') run.add('exfil.upload-file', 'gh gist create uploads files to a gist');
  if (a === 'secret' && (b === 'set' || b === 'delete')) run.add('infra.cloud-delete', `gh secret ${b} changes repository secrets`);
  if (a === 'api') {
    const method = apiMethod(call.args);
    if (method === 'DELETE') run.add('infra.cloud-delete', 'gh api -X DELETE deletes GitHub resources');
    const endpoint = call.args.slice(1).find((x) => !x.startsWith('-') && /^\/?(?:repos|orgs|user|graphql|enterprises)\b/.test(x)) ?? '';
    const writes = method !== undefined ? /^(?:PUT|POST|PATCH)$/.test(method) : call.args.some((x) => /^-(?:f|F|-field|-raw-field|-input)$/.test(x));
    // who may push, administer or receive events, and what protects a branch
    if (writes && /\/(?:collaborators|keys|gpg_keys|ssh_signing_keys|hooks|invitations|members|memberships|rulesets|branches\/[^/]+\/protection|actions\/secrets|environments\/[^/]+\/secrets|actions\/permissions|actions\/runners)\b/.test(endpoint))
      run.add('infra.access-grant', `gh api ${method ?? 'POST'} ${endpoint} changes who can access the repository or what protects it`);
    if (endpoint === 'graphql' && call.args.some((x) => /\bmutation\b[\s\S]*\b(?:delete|remove|archive|transfer)\w*\s*\(/i.test(x)))
      run.add('infra.cloud-delete', 'gh api graphql runs a mutation that deletes, archives or transfers GitHub resources');
    // `gh api -X PATCH repos/o/r -f visibility=public` (or private=false)
    if (call.args.some((x) => /^(?:visibility=public|private=false)$/i.test(x))) run.add('publish.package', 'gh api makes a repository public');
  }
  if (a === 'repo' && b === 'clone' && call.argWords[2]) {
    // `gh repo clone OWNER/REPO [DIR] [-- <git clone flags>]`
    const words = call.argWords.slice(3);
    const dd = words.findIndex((x) => x.text === '--');
    cloneInto(call, dd >= 0 ? words.slice(0, dd) : words, call.scope, 'gh repo clone', call.argWords[2].text);
  }
  // a token with more power, a merge past branch protection, an extension (code from a repository)
  if (a === 'auth' && b === 'refresh' && call.args.some((x, k) => (x === '-s' || x === '--scopes') && /delete_repo|admin:|write:org|site_admin/.test(call.args[k + 1] ?? '')))
    run.add('infra.access-grant', 'gh auth refresh asks for a token that can delete repositories or administer organizations');
  // a key on the account lets its holder push to every repository (ssh) or sign commits as the user (gpg)
  if (/^(?:ssh-key|gpg-key)$/.test(a ?? '') && b === 'add') run.add('infra.access-grant', `gh ${a} add adds a key to the GitHub account (${a === 'gpg-key' ? 'commits it signs show as the user\'s, verified' : 'its holder can push to every repository the user can'})`);
  if (a === 'pr' && b === 'merge' && call.args.includes('--admin')) run.add('infra.access-grant', 'gh pr merge --admin merges past branch protection (required reviews and checks)');
  if (a === 'workflow' && b === 'run' && namesProduction(call.args)) run.add('publish.deploy-production', 'gh workflow run starts a workflow aimed at production');
  if (a === 'extension' && (b === 'install' || b === 'upgrade')) run.add('exec.package-from-url', `gh extension ${b} installs and later runs code from a repository`);
  if (a === 'codespace' && (b === 'ssh' || b === 'cp')) run.add('net.outbound', `gh codespace ${b} connects to a remote machine`);
  judgeForgeSafetyNets(call, apiMethod(call.args));
  return generic({ ...call, argWords: [] as ShellWord[], args: [] });
};


/** The HTTP method of a forge CLI's raw API call (`-X PUT`, `--method PUT`, `--method=PUT`), upper-cased. */
function apiMethod(args: readonly string[]): string | undefined {
  const m = args.findIndex((x) => x === '-X' || x === '--method');
  return (m >= 0 ? args[m + 1] : args.find((x) => x.startsWith('--method='))?.slice(9))?.toUpperCase();
}

/** `glab`: the GitLab CLI's raw API calls that delete. */
const glab: Handler = (call) => {
  judgeForgeSafetyNets(call, apiMethod(call.args));
  if (call.args[0] === 'api' && apiMethod(call.args) === 'DELETE') call.exec.run.add('infra.cloud-delete', 'glab api -X DELETE deletes GitLab resources');
  if (call.args[0] === 'repo' && call.args[1] === 'delete') call.exec.run.add('infra.cloud-destroy', 'glab repo delete deletes a GitLab project');
  // `glab snippet create [-t TITLE] FILE…`: the files go to GitLab
  if (call.args[0] === 'snippet' && call.args[1] === 'create') {
    for (const w of call.argWords.slice(2).filter((x, k, all) => !x.text.startsWith('-') && !/^-[tdfv]$|^--(?:title|description|filename|visibility|repo)$/.test(all[k - 1]?.text ?? ''))) {
      const secret = judgeRead(call.exec.run, pathOf(call, w), { verb: 'glab snippet create' });
      call.exec.run.add(secret ? 'exfil.upload-secret' : 'exfil.upload-file', `glab snippet create uploads ${display(w.text)} to GitLab`);
    }
  }
  return generic({ ...call, argWords: [] as ShellWord[], args: [] });
};

/** Version-control handlers, by program name. */
export const GIT_HANDLERS: Record<string, Handler> = { git, gh, glab };
