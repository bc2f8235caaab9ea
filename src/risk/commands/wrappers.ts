/**
 * Wrappers: programs that run another command given in their arguments (sudo, env, timeout, nice,
 * nohup, xargs, watch, npx, ...). Each is peeled off and the inner command judged as if it ran
 * directly, plus whatever the wrapper adds (privilege, a changed environment).
 */
import type { Call, Handler } from '../call.js';
import { type DataSource, type ShellWord, EMPTY_INPUT, UNKNOWN, literalWord, PLAIN } from '../shellValue.js';
import { runCode, runSource } from './scripts.js';
import { UNKNOWN_OUTPUT, display, filteredToNonSecret, parseOptions, pathOf, runInner, runRemote, splitWords, wordsOf } from './support.js';
import { judgeRead } from '../pathRules.js';
import { normalizeAbsolute } from '../pathZones.js';
import { posix } from 'node:path';
import { RUNNER_FILES, judgeRunnerFiles } from '../workspaceRunners.js';
import { judgeUnboundedFanOut } from './diskFill.js';
import { judgeDirenvAllow } from './toolConfig.js';

/**
 * Skip a wrapper's options: `argOpts` are options that consume the next word (short letters, or
 * long names); `positionals` is how many operands precede the command (timeout's duration).
 */
function skipOptions(words: readonly ShellWord[], argOpts: { short?: string; long?: string[] }, positionals = 0): number {
  let i = 0;
  while (i < words.length) {
    const t = words[i]!.text;
    if (t === '--') return i + 1 + positionals;
    if (t.startsWith('--')) {
      if (!t.includes('=') && argOpts.long?.includes(t)) i++;
      i++;
      continue;
    }
    if (t.startsWith('-') && t.length > 1 && !/^-\d+$/.test(t)) {
      const letters = t.slice(1);
      for (let j = 0; j < letters.length; j++) {
        if (argOpts.short?.includes(letters[j]!)) {
          if (j === letters.length - 1) i++;
          break;
        }
      }
      i++;
      continue;
    }
    break;
  }
  return i + positionals;
}

/** A wrapper that simply runs the rest after its options. */
function simple(argOpts: { short?: string; long?: string[] }, positionals = 0, name?: string): Handler {
  return (call) => {
    const i = skipOptions(call.argWords, argOpts, positionals);
    const inner = call.argWords.slice(i);
    if (inner.length === 0) return EMPTY_INPUT;
    return runInner(call, inner, { via: name ?? call.program });
  };
}

/** `sudo`, `doas`, `pkexec`, `run0`: privilege, then the inner command (or a root shell). */
const sudo: Handler = (call) => {
  const run = call.exec.run;
  const w = call.argWords;
  let i = 0;
  let shellMode = false;
  let edit = call.program === 'sudoedit';
  let noCommand = false;
  const env = new Map<string, ShellWord>();
  const argShort = call.program === 'doas' ? 'uC' : 'ugpCDrtTUhR';
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '--') { i++; break; }
    if (t.startsWith('--')) {
      if (['--user', '--group', '--prompt', '--chdir', '--role', '--type', '--host', '--close-from', '--other-user', '--command-timeout', '--chroot'].includes(t)) i++;
      if (t === '--shell' || t === '--login') shellMode = true;
      if (t === '--edit') edit = true;
      if (t === '--list' || t === '--validate' || t === '--reset-timestamp' || t === '--remove-timestamp' || t === '--version' || t === '--help') noCommand = true;
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      const letters = t.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const c = letters[j]!;
        if (c === 's' || c === 'i') shellMode = true;
        if (c === 'e') edit = true;
        if ('lvkKV'.includes(c) && call.program !== 'doas') noCommand = true;
        if (argShort.includes(c)) {
          if (j === letters.length - 1) i++;
          break;
        }
      }
      continue;
    }
    if (/^[A-Za-z_]\w*=/.test(t) && call.program === 'sudo') {
      const eq = t.indexOf('=');
      env.set(t.slice(0, eq), { ...w[i]!, text: t.slice(eq + 1) });
      continue;
    }
    break;
  }
  const inner = w.slice(i);
  if (noCommand && inner.length === 0) return EMPTY_INPUT;
  run.add('proc.privileged', `${call.program} runs ${inner.length ? display(inner[0]!.text) : 'a shell'} with elevated privileges`);
  if (edit) return runInner(call, [literalWord('sudoedit-editor'), ...inner], { via: call.program });
  if (inner.length === 0) {
    if (shellMode || call.program === 'su') run.add('exec.interactive', `${call.program} starts a root shell: commands sent to it with write_stdin are not governed`);
    return UNKNOWN_OUTPUT;
  }
  if (shellMode) return runCode(call, 'sh', inner.map((x) => x.text).join(' '), `${call.program} -s`, { stdin: call.stdin });
  return runInner(call, inner, { via: call.program, env });
};

/** `su [-] [user] [-c cmd]`, `runuser`. */
const su: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'cgGsuw', longArg: ['--command', '--shell', '--group', '--user', '--whitelist-environment', '--session-command'] });
  const cmd = o.values.get('c')?.[0] ?? o.values.get('--command')?.[0] ?? o.values.get('--session-command')?.[0];
  run.add('proc.privileged', `${call.program} switches user`);
  if (cmd) return runCode(call, 'sh', cmd.text, `${call.program} -c`, { stdin: call.stdin });
  const dd = call.argWords.findIndex((x) => x.text === '--');
  if (call.program === 'runuser' && dd >= 0) return runInner(call, call.argWords.slice(dd + 1), { via: 'runuser' });
  run.add('exec.interactive', `${call.program} starts a shell as another user: commands sent with write_stdin are not governed`);
  return UNKNOWN_OUTPUT;
};

/** `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=VALUE…] [command…]`; alone it dumps the environment. */
const env: Handler = (call) => {
  const w = call.argWords;
  const vars = new Map<string, ShellWord>();
  let i = 0;
  let split: string | undefined;
  let chdir: string | undefined;
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '--') { i++; break; }
    if (t === '-' || t === '-i' || t === '--ignore-environment' || t === '-0' || t === '--null' || t === '-v' || t === '--debug') continue;
    if (t === '-u' || t === '--unset') { i++; continue; }
    if (t.startsWith('--unset=')) continue;
    if (t === '-C' || t === '--chdir') { chdir = w[++i]?.text; continue; }
    if (t.startsWith('--chdir=')) { chdir = t.slice(8); continue; }
    if (t === '-S' || t === '--split-string') { split = w[++i]?.text; continue; }
    if (t.startsWith('-S') && t.length > 2) { split = t.slice(2); continue; }
    if (t.startsWith('--split-string=')) { split = t.slice(15); continue; }
    if (t.startsWith('-') && /^-[iv0]+$/.test(t)) continue;
    break;
  }
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(t);
    if (!m) break;
    vars.set(m[1]!, { ...w[i]!, text: m[2]! });
  }
  let inner = w.slice(i);
  if (split !== undefined) {
    // env -S expands ${NAME} (not $NAME, not ~)
    const expanded = split.replace(/\$\{([A-Za-z_]\w*)\}/g, (_m, n: string) => {
      const v = call.scope.vars.get(n);
      if (v?.kind === 'scalar') return v.word.text;
      return n === 'HOME' ? call.exec.run.zones.home : UNKNOWN;
    });
    inner = [...wordsOf(splitWords(expanded)), ...inner];
  }
  if (inner.length === 0) {
    const dump = vars.size === 0 && !filteredToNonSecret(call);
    if (dump) call.exec.run.add('secrets.dump-env', 'env prints every environment variable, secrets included');
    return { kind: 'unknown', from: { download: false, decoded: false, secret: dump } };
  }
  let scope = call.scope;
  if (chdir !== undefined) {
    const cwd = chdir.includes(UNKNOWN) ? null : chdir.startsWith('/') ? normalizeAbsolute(chdir) : call.scope.cwd ? normalizeAbsolute(posix.join(call.scope.cwd, chdir)) : null;
    scope = { ...call.scope, cwd };
  }
  const saved: [string, unknown][] = [];
  for (const [k, v] of vars) {
    saved.push([k, scope.vars.get(k)]);
    scope.vars.set(k, { kind: 'scalar', word: v });
  }
  const out = call.exec.argv({ ...call, scope, words: inner, name: inner[0]!.text, program: programBase(inner[0]!.text), args: inner.slice(1).map((x) => x.text), argWords: inner.slice(1), env: new Map([...call.env, ...vars]), via: [...call.via, 'env'] });
  for (const [k, v] of saved) if (v === undefined) scope.vars.delete(k); else scope.vars.set(k, v as never);
  return out;
};

function programBase(name: string): string {
  return name.includes('/') ? posix.basename(name) : name;
}

/** `timeout [opts] DURATION command…`. */
const timeout = simple({ short: 'sk', long: ['--signal', '--kill-after'] }, 1);

/** `watch [opts] command…`: the rest is run through `sh -c` unless `-x`. */
const watch: Handler = (call) => {
  const i = skipOptions(call.argWords, { short: 'nq', long: ['--interval', '--equexit'] });
  const inner = call.argWords.slice(i);
  if (inner.length === 0) return EMPTY_INPUT;
  if (call.args.includes('-x') || call.args.includes('--exec')) return runInner(call, inner, { via: 'watch' });
  return runCode(call, 'sh', inner.map((x) => x.text).join(' '), 'watch');
};

/** The data xargs appends: lines of stdin, or unknown paths under a known directory. */
function xargsInput(stdin: DataSource, byLine = false): { words: ShellWord[] | null; under: string | null; whole?: boolean } {
  if (stdin.kind === 'text' && !stdin.text.includes(UNKNOWN)) {
    // with -I each line is one item (leading blanks dropped), else blank-separated words
    const items = (byLine ? stdin.text.split('\n').map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '') : splitWords(stdin.text)).slice(0, 64);
    return { words: items.map((t) => ({ ...literalWord(t), from: stdin.from })), under: null };
  }
  const under = stdin.kind === 'unknown' ? stdin.under ?? null : null;
  return { words: null, under, whole: stdin.kind === 'unknown' && stdin.whole === true };
}

/** `xargs [opts] [command [args…]]`: the command runs with items from stdin appended. */
const xargs: Handler = (call) => {
  const w = call.argWords;
  let i = 0;
  let replace: string | undefined;
  let batch = 0;
  // `-0` / `--null` / `-d DELIM`: items are separated by that character alone, so a line with spaces stays one argument
  let delimiter: string | undefined;
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '--') { i++; break; }
    if (!t.startsWith('-') || t === '-') break;
    if (/^-[0rtpxo]*0[0rtpxo]*$/.test(t) || t === '--null') delimiter = '\0';
    if (t === '-d' || t === '--delimiter') delimiter = unescapeDelimiter(w[i + 1]?.text ?? '');
    else if (/^-d./.test(t)) delimiter = unescapeDelimiter(t.slice(2));
    else if (t.startsWith('--delimiter=')) delimiter = unescapeDelimiter(t.slice(12));
    if (/^-[0rtpxo]+$/.test(t) || /^--(?:null|no-run-if-empty|verbose|interactive|exit|open-tty|show-limits)$/.test(t)) continue;
    if (t === '-I') { replace = w[++i]?.text; continue; }
    if (t.startsWith('-I')) { replace = t.slice(2); continue; }
    if (t === '-i' || t.startsWith('--replace')) { replace = t.includes('=') ? t.slice(t.indexOf('=') + 1) : '{}'; continue; }
    if (/^-[nL]$/.test(t)) { batch = Number(w[++i]?.text) || 0; continue; }
    if (/^-[nL]\d+$/.test(t)) { batch = Number(t.slice(2)) || 0; continue; }
    if (/^--max-(?:args|lines)=\d+$/.test(t)) { batch = Number(t.slice(t.indexOf('=') + 1)) || 0; continue; }
    // `-a FILE`: the items come from that file, which is read
    const argFile = t === '-a' ? w[i + 1] : /^-a./.test(t) ? { ...w[i]!, text: t.slice(2) } : t.startsWith('--arg-file=') ? { ...w[i]!, text: t.slice(11) } : undefined;
    if (argFile) judgeRead(call.exec.run, pathOf(call, argFile), { verb: 'xargs -a' });
    if (/^-[dEelPsa]$/.test(t)) { i++; continue; }
    if (/^-[dEelPsa]./.test(t) || t.startsWith('--')) continue;
  }
  judgeUnboundedFanOut(call, w.slice(0, i).some((x, k) => /^-[0rtpx]*P0$|^--max-procs=0$/.test(x.text) || (/^(?:-P|--max-procs)$/.test(x.text) && w[k + 1]?.text === '0')));
  let inner = w.slice(i);
  if (inner.length === 0) inner = [literalWord('echo')];
  const input = xargsInput(call.stdin, replace !== undefined);
  if (delimiter !== undefined && call.stdin.kind === 'text') {
    const from = call.stdin.from;
    const parts = call.stdin.text.split(delimiter);
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    input.words = parts.slice(0, 64).map((p) => ({ ...literalWord(p), from }));
  }
  const placeholder = (): ShellWord => {
    // an unfiltered `find DIR` lists DIR itself and everything in it
    const text = input.under ? (input.whole ? input.under : `${input.under}/${UNKNOWN}`) : UNKNOWN;
    const w: ShellWord = { ...literalWord(text), from: call.stdin.kind === 'terminal' ? PLAIN : call.stdin.from };
    // what produced the lines (`pgrep codex | xargs kill`) stays known, as for `$(pgrep codex)`
    if (text === UNKNOWN && call.stdin.kind === 'unknown' && call.stdin.producer) w.producer = call.stdin.producer;
    return w;
  };
  // paths known to be among the lines (a find whose name tests let credentials through)
  const stdin = call.stdin;
  const samples = input.words === null && stdin.kind === 'unknown' ? (stdin.samples ?? []).slice(0, 4).map((p) => ({ ...literalWord(p), from: stdin.from })) : [];
  if (replace !== undefined) {
    const items = input.words ?? [placeholder(), ...samples];
    let out: DataSource = EMPTY_INPUT;
    for (const item of items.slice(0, 8)) {
      const words = inner.map((x) => (x.text.includes(replace!) ? { ...x, text: x.text.split(replace!).join(item.text), dynamic: x.dynamic || item.dynamic } : x));
      out = runInner(call, words, { via: 'xargs', stdin: EMPTY_INPUT });
    }
    return out;
  }
  const extra = input.words ?? [placeholder()];
  if (batch > 0 && input.words) {
    let out: DataSource = EMPTY_INPUT;
    for (let k = 0; k < extra.length && k < batch * 8; k += batch) out = runInner(call, [...inner, ...extra.slice(k, k + batch)], { via: 'xargs', stdin: EMPTY_INPUT });
    return out;
  }
  for (const sample of samples) runInner(call, [...inner, sample], { via: 'xargs', stdin: EMPTY_INPUT });
  return runInner(call, [...inner, ...extra], { via: 'xargs', stdin: EMPTY_INPUT });
};

/** An xargs delimiter as written (`'\n'`, `'\0'`, `,`). */
function unescapeDelimiter(text: string): string {
  const m = /^\\(.)$/.exec(text);
  if (!m) return text.slice(0, 1);
  return m[1] === 'n' ? '\n' : m[1] === 't' ? '\t' : m[1] === '0' ? '\0' : m[1]!;
}

/** `parallel [opts] command ::: args…` (GNU parallel). */
const parallel: Handler = (call) => {
  const w = call.argWords;
  const sep = w.findIndex((x) => x.text === ':::' || x.text === '::::');
  const head = sep >= 0 ? w.slice(0, sep) : w;
  const values = sep >= 0 ? w.slice(sep + 1).filter((x) => x.text !== ':::') : null;
  const i = skipOptions(head, { short: 'jnNPSLIXE', long: ['--jobs', '--max-args', '--sshlogin', '--joblog', '--results', '--delay', '--timeout', '--retries'] });
  const cmd = head.slice(i);
  const items = values ?? xargsInput(call.stdin).words ?? [literalWord(UNKNOWN)];
  if (cmd.length === 0) {
    // each input is itself a command
    let out: DataSource = EMPTY_INPUT;
    for (const it of items.slice(0, 8)) out = runCode(call, 'sh', it.text, 'parallel');
    return out;
  }
  let out: DataSource = EMPTY_INPUT;
  for (const it of items.slice(0, 8)) {
    const hasSlot = cmd.some((x) => x.text.includes('{}'));
    const words = hasSlot ? cmd.map((x) => ({ ...x, text: x.text.split('{}').join(it.text) })) : [...cmd, it];
    out = runCode(call, 'sh', words.map((x) => x.text).join(' '), 'parallel');
  }
  return out;
};

/** `flock [opts] FILE command…` or `flock FILE -c CMD`. */
const flock: Handler = (call) => {
  const w = call.argWords;
  const c = w.findIndex((x) => x.text === '-c' || x.text === '--command');
  if (c >= 0 && w[c + 1]) return runCode(call, 'sh', w[c + 1]!.text, 'flock -c');
  const i = skipOptions(w, { short: 'wEc', long: ['--timeout', '--conflict-exit-code'] }, 1);
  const inner = w.slice(i);
  return inner.length ? runInner(call, inner, { via: 'flock' }) : EMPTY_INPUT;
};

/** `script [-q] [-c CMD] [file]`: with -c runs CMD, otherwise an interactive shell. */
const scriptCmd: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'cEIOBTm', longArg: ['--command', '--log-in', '--log-out', '--log-io', '--log-timing', '--echo'] });
  const cmd = o.values.get('c')?.[0] ?? o.values.get('--command')?.[0];
  if (cmd) return runCode(call, 'sh', cmd.text, 'script -c');
  call.exec.run.add('exec.interactive', 'script starts an interactive shell: commands sent with write_stdin are not governed');
  return UNKNOWN_OUTPUT;
};

/** `chroot [opts] NEWROOT [command…]` (no command: an interactive shell). */
const chroot: Handler = (call) => {
  const i = skipOptions(call.argWords, { long: ['--userspec', '--groups'] }, 1);
  const inner = call.argWords.slice(i);
  call.exec.run.add('proc.privileged', 'chroot runs a command in another root, with elevated privileges');
  if (inner.length === 0) {
    call.exec.run.add('exec.interactive', 'chroot starts an interactive shell: commands sent with write_stdin are not governed');
    return UNKNOWN_OUTPUT;
  }
  return runInner(call, inner, { via: 'chroot' });
};

/** `npx`/`bunx`/`pnpm dlx`/`npm exec`: runs a package's binary; `-c` runs a shell string. */
const npx: Handler = (call) => {
  const w = call.argWords;
  let i = 0;
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '--') { i++; break; }
    if (t === '-c' || t === '--call') return runCode(call, 'sh', w[i + 1]?.text ?? '', `${call.program} -c`);
    if (t === '-p' || t === '--package') { i++; continue; }
    if (t.startsWith('-')) continue;
    break;
  }
  const inner = w.slice(i);
  if (inner.length === 0) return UNKNOWN_OUTPUT;
  // `npx pkg@1.2.3 args`: the binary is the package name without its version.
  const first = inner[0]!;
  const bin = first.text.replace(/(.)@[^/]*$/, '$1');
  return runInner(call, [{ ...first, text: bin }, ...inner.slice(1)], { via: call.program });
};

/** `uv run`, `poetry run`, `pipenv run`, `bundle exec`, `pnpm exec`, `yarn exec`, `nix-shell --run`, `direnv exec DIR`. */
function subcommandRunner(sub: string[], skipAfter = 0): Handler {
  return (call) => {
    if (call.args[0] === 'publish' && !call.args.includes('--dry-run')) call.exec.run.add('publish.package', `${call.program} publish publishes a package`);
    const idx = call.argWords.findIndex((x) => sub.includes(x.text));
    if (idx < 0) return UNKNOWN_OUTPUT;
    // `pipenv run NAME`, `pdm run NAME`: NAME may be a script the project's configuration defines
    if (Object.hasOwn(RUNNER_FILES, `${call.program}-run`)) judgeRunnerFiles(call, `${call.program}-run`);
    const rest = call.argWords.slice(idx + 1 + skipAfter);
    const i = skipOptions(rest, { long: ['--with', '--python', '--project', '--directory', '--env-file', '--extra', '--group', '--package', '--from'] , short: 'p' });
    const inner = rest.slice(i);
    return inner.length ? runInner(call, inner, { via: call.program }) : UNKNOWN_OUTPUT;
  };
}

const bundleExec = subcommandRunner(['exec']);
const direnvExec = subcommandRunner(['exec'], 1);

const systemdRun = simple({ short: 'upEMH', long: ['--unit', '--property', '--description', '--slice', '--setenv', '--uid', '--gid', '--working-directory', '--on-calendar', '--on-active', '--timer-property', '--machine', '--host', '--nice'] });

/**
 * Secret managers that run a command with secrets in its environment: `op run -- cmd`, `doppler run
 * -- cmd` (or `--command "…"`), `infisical run -- cmd`, `aws-vault exec PROFILE -- cmd`, `chamber exec
 * SVC -- cmd`, `teller run -- cmd`, `dotenvx run -- cmd`, `sops exec-env FILE 'cmd'`: the command is
 * judged as if run directly.
 */
export function secretInjector(sub: string): Handler {
  return (call) => {
    const w = call.argWords;
    if (w[0]?.text !== sub) return UNKNOWN_OUTPUT;
    const dd = w.findIndex((x) => x.text === '--');
    if (dd >= 0) return w.length > dd + 1 ? runInner(call, w.slice(dd + 1), { via: `${call.program} ${sub}` }) : UNKNOWN_OUTPUT;
    const cmd = w.findIndex((x) => x.text === '--command' || x.text === '-c');
    const glued = w.find((x) => x.text.startsWith('--command='));
    const text = cmd >= 0 ? w[cmd + 1]?.text : glued?.text.slice(10);
    if (text !== undefined) return runCode(call, 'sh', text, `${call.program} ${sub} --command`);
    // `sops exec-env FILE 'cmd'`: the command is the last operand
    if (call.program === 'sops') { const last = w[w.length - 1]; if (last && w.length >= 3) return runCode(call, 'sh', last.text, 'sops exec-env'); }
    return UNKNOWN_OUTPUT;
  };
}

/** `cross-env A=1 B=2 cmd…`, `dotenv [-e file] -- cmd…`. */
const crossEnv: Handler = (call) => {
  const w = call.argWords;
  let i = 0;
  // direnv's `dotenv [FILE]` and `dotenv_if_exists [FILE]` (in an .envrc) load a .env file into the
  // environment, as sourcing one does: nothing of it is shown
  if (call.program === 'dotenv_if_exists' || (call.program === 'dotenv' && w.length <= 1 && (w.length === 0 || /(?:^|\/)\.env[\w.-]*$/.test(w[0]!.text)))) {
    for (const f of w.length ? w : [literalWord('.env')]) judgeRead(call.exec.run, pathOf(call, f), { verb: call.program, ignoreDotenv: true });
    return EMPTY_INPUT;
  }
  if (call.program.startsWith('dotenv')) {
    const dd = w.findIndex((x) => x.text === '--');
    i = dd >= 0 ? dd + 1 : skipOptions(w, { short: 'ecvp' });
  }
  while (i < w.length && /^[A-Za-z_]\w*=/.test(w[i]!.text)) i++;
  const inner = w.slice(i);
  return inner.length ? runInner(call, inner, { via: call.program }) : UNKNOWN_OUTPUT;
};

/** `at`/`batch`: schedule the job read from stdin (or -f FILE). */
const at: Handler = (call) => {
  call.exec.run.add('persist.crontab', `${call.program} schedules a job to run later, outside this session`);
  if (call.args.some((a) => /^-[lrdc]$/.test(a)) || call.args[0] === '-l') return UNKNOWN_OUTPUT;
  return runSource(call, 'sh', call.stdin, call.program, { interactiveOk: true });
};

/** Programs whose operands are each a whole shell command (hyperfine, concurrently). */
function commandOperands(argOpts: { short?: string; long?: string[] }, codeOpts: string[] = []): Handler {
  return (call) => {
    const w = call.argWords;
    let out: DataSource = EMPTY_INPUT;
    for (let i = 0; i < w.length; i++) {
      const t = w[i]!.text;
      if (codeOpts.includes(t)) {
        const c = w[++i];
        if (c) out = runCode(call, 'sh', c.text, `${call.program} ${t}`);
        continue;
      }
      if (t.startsWith('-')) {
        if (!t.includes('=') && ((t.length === 2 && argOpts.short?.includes(t[1]!)) || argOpts.long?.includes(t))) i++;
        continue;
      }
      out = runCode(call, 'sh', t, call.program);
    }
    return out;
  };
}

/** Remote-execution tools: the command runs on other hosts (judged like `ssh host cmd`). */
function remoteRunner(cmdOf: (call: Call) => string | undefined): Handler {
  return (call) => {
    const cmd = cmdOf(call);
    call.exec.run.add('net.remote-shell', `${call.program} runs commands on other hosts`);
    if (cmd) runRemote(call, cmd, call.exec.run.zones.home, `${call.program} (remote)`);
    return UNKNOWN_OUTPUT;
  };
}

/** `bwrap [opts] command…`: options take zero, one or two values. */
const bwrap: Handler = (call) => {
  const w = call.argWords;
  const two = /^--(?:bind|ro-bind|dev-bind|bind-try|ro-bind-try|dev-bind-try|symlink|setenv|file|bind-data|ro-bind-data|chmod|bind-fd|ro-bind-fd)$/;
  const one = /^--(?:args|uid|gid|hostname|chdir|unsetenv|lock-file|sync-fd|exec-label|file-label|proc|dev|tmpfs|mqueue|dir|seccomp|add-seccomp-fd|info-fd|json-status-fd|block-fd|userns-block-fd|userns|userns2|pidns|cap-add|cap-drop|remount-ro|perms|size|overlay-src|tmp-overlay|ro-overlay|argv0)$/;
  let i = 0;
  while (i < w.length && w[i]!.text.startsWith('--')) {
    const t = w[i]!.text;
    if (t === '--') { i++; break; }
    i += two.test(t) ? 3 : one.test(t) ? 2 : t === '--overlay' ? 4 : 1;
  }
  const inner = w.slice(i);
  return inner.length ? runInner(call, inner, { via: 'bwrap' }) : EMPTY_INPUT;
};

/** A terminal emulator: the words after one of `markers` are the command it starts. */
function terminalEmulator(markers: string[]): Handler {
  return (call) => {
    const w = call.argWords;
    const k = w.findIndex((x) => markers.includes(x.text));
    if (k < 0 || !w[k + 1]) return UNKNOWN_OUTPUT;
    const rest = w.slice(k + 1);
    // `-e 'cmd args'` given as one word is run through a shell by most emulators
    return rest.length === 1 && /\s/.test(rest[0]!.text) ? runCode(call, 'sh', rest[0]!.text, call.program) : runInner(call, rest, { via: call.program });
  };
}

/** `entr [-acdnprsz] UTILITY [ARGS]`: runs the utility on every change; with `-s` it is a shell command. */
const entr: Handler = (call) => {
  const i = skipOptions(call.argWords, {});
  const inner = call.argWords.slice(i);
  if (inner.length === 0) return UNKNOWN_OUTPUT;
  return call.args.slice(0, i).some((o) => /^-[a-z]*s/.test(o)) ? runCode(call, 'sh', inner.map((w) => w.text).join(' '), 'entr -s') : runInner(call, inner, { via: 'entr', stdin: EMPTY_INPUT });
};

/** Wrappers, by program name. */
export const WRAPPER_HANDLERS: Record<string, Handler> = {
  sudo, doas: sudo, pkexec: simple({ long: ['--user'] }, 0, 'pkexec'), run0: sudo, sudoedit: sudo,
  su, runuser: su,
  env,
  nohup: simple({}),
  entr,
  // Windows programs under Wine: the program is the first operand
  wine: simple({}), wine64: simple({}),
  timeout,
  gtimeout: timeout,
  nice: simple({ short: 'n', long: ['--adjustment'] }),
  ionice: simple({ short: 'cnpPu', long: ['--class', '--classdata', '--pid', '--pgid', '--uid'] }),
  time: simple({ short: 'fo', long: ['--format', '--output'] }),
  setsid: simple({}),
  stdbuf: simple({ short: 'ioe', long: ['--input', '--output', '--error'] }),
  unbuffer: simple({}),
  caffeinate: simple({ short: 'tw' }),
  'xvfb-run': simple({ short: 'nsefpl', long: ['--server-num', '--server-args', '--error-file', '--auth-file', '--xauth-protocol'] }),
  firejail: simple({}),
  proxychains: simple({ short: 'f' }),
  proxychains4: simple({ short: 'f' }),
  torsocks: simple({ short: 'uPpa' }),
  tsocks: simple({}),
  strace: simple({ short: 'oepsuEaSbPIX', long: ['--output', '--trace', '--signal', '--attach', '--string-limit', '--user', '--env'] }),
  ltrace: simple({ short: 'oepsuEaSnxXLA' }),
  // -c/--cpu-list only says how to read the mask: the mask (or list) is still the first operand
  taskset: (call) => (call.args.some((a) => /^-[a-z]*p/.test(a) || a === '--pid') ? UNKNOWN_OUTPUT : simple({}, 1)(call)),
  chrt: simple({ short: 'T' , long: ['--sched-runtime', '--sched-deadline', '--sched-period'] }, 1),
  numactl: simple({ short: 'CNmpi' }),
  catchsegv: simple({}),
  valgrind: simple({}),
  watch,
  xargs,
  parallel,
  flock,
  script: scriptCmd,
  chroot,
  npx, bunx: npx, pnpx: npx,
  dlx: npx,
  uv: subcommandRunner(['run']),
  uvx: npx,
  poetry: subcommandRunner(['run']),
  pipenv: subcommandRunner(['run']),
  pdm: subcommandRunner(['run']),
  hatch: subcommandRunner(['run']),
  rye: subcommandRunner(['run']),
  bundle: (call) => {
    // every bundler command but `bundle --version`/`help` loads the Gemfile
    if (!call.args.some((a) => /^(?:--version|-v|help|--help|-h)$/.test(a))) judgeRunnerFiles(call, 'bundle');
    return bundleExec(call);
  },
  'nix-shell': (call) => {
    const i = call.argWords.findIndex((x) => x.text === '--run' || x.text === '--command');
    if (i >= 0 && call.argWords[i + 1]) return runCode(call, 'sh', call.argWords[i + 1]!.text, 'nix-shell --run');
    call.exec.run.add('exec.interactive', 'nix-shell starts an interactive shell: commands sent with write_stdin are not governed');
    return UNKNOWN_OUTPUT;
  },
  direnv: (call) => { judgeDirenvAllow(call); return direnvExec(call); },
  doppler: secretInjector('run'), infisical: secretInjector('run'), teller: secretInjector('run'), dotenvx: secretInjector('run'),
  'aws-vault': secretInjector('exec'), chamber: secretInjector('exec'),
  'cross-env': crossEnv,
  dotenv: crossEnv, dotenv_if_exists: crossEnv,
  'dotenv-cli': crossEnv,
  at, batch: at,
  'ssh-agent': (call) => {
    const i = skipOptions(call.argWords, { short: 'aEPt' });
    const inner = call.argWords.slice(i);
    return inner.length ? runInner(call, inner, { via: 'ssh-agent' }) : UNKNOWN_OUTPUT;
  },
  'dbus-run-session': simple({ long: ['--config-file', '--dbus-daemon'] }),
  'dbus-launch': simple({ long: ['--config-file'] }),
  toybox: (call) => (call.argWords.length > 0 ? runInner(call, call.argWords, { via: 'toybox' }) : EMPTY_INPUT),
  rlwrap: simple({ short: 'aAbCDefFHlmOopPqRsSt' }),
  expect: (call) => {
    const i = call.args.indexOf('-c');
    const code = i >= 0 ? call.args[i + 1] ?? '' : '';
    let out: DataSource = UNKNOWN_OUTPUT;
    for (const m of code.matchAll(/\b(?:spawn|exec)\s+([^;\n]+)/g)) out = runCode(call, 'sh', m[1]!, 'expect spawn');
    if (i < 0 && call.args.length === 0) call.exec.run.add('exec.interactive', 'expect without a script reads commands interactively');
    return out;
  },
  'systemd-run': (call) => {
    // a timer (`--on-active`, `--on-calendar`, …) runs the command later, by itself, again and again
    if (call.args.some((x) => /^--on-(?:active|boot|startup|unit-active|unit-inactive|calendar|clock-change|timezone-change)\b/.test(x)))
      call.exec.run.add('persist.autostart', 'systemd-run schedules the command to run later by itself (a transient timer)');
    return systemdRun(call);
  },
  unshare: simple({ short: 'S G R w' , long: ['--setuid', '--setgid', '--root', '--wd', '--propagation', '--map-user', '--map-group'] }),
  nsenter: simple({ short: 'tSGrw', long: ['--target', '--setuid', '--setgid', '--root', '--wd'] }),
  setpriv: simple({ long: ['--reuid', '--regid', '--groups', '--inh-caps', '--ambient-caps', '--bounding-set', '--securebits', '--selinux-label', '--apparmor-profile'] }),
  prlimit: simple({ short: 'p' , long: ['--pid', '--output'] }),
  cpulimit: simple({ short: 'lpe', long: ['--limit', '--pid', '--exe'] }),
  faketime: simple({ short: 'f' }, 1),
  chpst: simple({ short: 'ugUeP/nlmdostra' }),
  cgexec: simple({ short: 'g' }),
  bwrap,
  retry: simple({ short: 'tdmMu', long: ['--times', '--tries', '--delay', '--max-time', '--until', '--sleep', '--backoff', '--jitter', '--min', '--max'] }),
  chronic: simple({}),
  ifne: simple({}),
  nocache: simple({}),
  eatmydata: simple({}),
  fakeroot: simple({ short: 'is', long: ['--lib', '--faked'] }),
  trickle: simple({ short: 'udwtln' }),
  tini: simple({ short: 'pel' }),
  'dumb-init': simple({ short: 'r', long: ['--rewrite'] }),
  gosu: simple({}, 1),
  'su-exec': simple({}, 1),
  setuidgid: simple({}, 1),
  's6-setuidgid': simple({}, 1),
  runcon: simple({ short: 'turl', long: ['--type', '--user', '--role', '--range'] }, 1),
  setarch: (call) => simple({ long: ['--uname-2.6'] }, 1)({ ...call, argWords: call.argWords.filter((w, k) => k === 0 || !/^-[RFZLXBIST3]+$|^--(?:addr-no-randomize|fdpic-funcptrs|mmap-page-zero|addr-compat-layout|read-implies-exec|32bit|short-inode|whole-seconds|sticky-timeouts|3gb|verbose)$/.test(w.text)) }),
  linux32: simple({}), linux64: simple({}),
  'flatpak-spawn': simple({ long: ['--env', '--directory', '--forward-fd', '--sandbox-expose', '--sandbox-expose-ro', '--unset-env'] }),
  'sandbox-exec': simple({ short: 'fpD' }),
  sshpass: simple({ short: 'pfdeP' }),
  'systemd-cat': simple({ short: 'tp', long: ['--identifier', '--priority', '--stderr-priority', '--level-prefix'] }),
  daemonize: simple({ short: 'acepElouv' }),
  lckdo: simple({ short: 'w' }, 1),
  logsave: simple({}, 1),
  heaptrack: simple({ short: 'op', long: ['--output', '--pid'] }),
  rr: subcommandRunner(['record']),
  toolbox: subcommandRunner(['run']),
  distrobox: (call) => {
    const dd = call.argWords.findIndex((x) => x.text === '--' || x.text === '-e');
    return dd >= 0 ? runInner(call, call.argWords.slice(dd + 1), { via: 'distrobox' }) : UNKNOWN_OUTPUT;
  },
  xterm: terminalEmulator(['-e']), urxvt: terminalEmulator(['-e']), konsole: terminalEmulator(['-e']), alacritty: terminalEmulator(['-e', '--command']),
  'gnome-terminal': terminalEmulator(['--', '-x', '--execute']), 'xfce4-terminal': terminalEmulator(['-x', '--execute']), terminator: terminalEmulator(['-x', '--execute']),
  kitty: terminalEmulator(['--']), wezterm: terminalEmulator(['--']), foot: terminalEmulator(['--']), st: terminalEmulator(['-e']),
  sg: (call) => {
    const c = call.argWords.findIndex((x) => x.text === '-c');
    return c >= 0 && call.argWords[c + 1] ? runCode(call, 'sh', call.argWords[c + 1]!.text, 'sg -c') : UNKNOWN_OUTPUT;
  },
  ip: (call) => {
    const i = call.args.indexOf('exec');
    return call.args[0] === 'netns' && i >= 0 ? runInner(call, call.argWords.slice(i + 2), { via: 'ip netns exec' }) : UNKNOWN_OUTPUT;
  },
  hyperfine: commandOperands({ short: 'wrmMpcSuNn', long: ['--warmup', '--runs', '--min-runs', '--max-runs', '--prepare', '--conclude', '--cleanup', '--shell', '--export-json', '--export-markdown', '--export-csv', '--parameter-scan', '--parameter-list', '--command-name'] }, ['--prepare', '--conclude', '--cleanup', '-p', '-c']),
  concurrently: commandOperands({ short: 'nckp', long: ['--names', '--prefix', '--kill-others', '--prefix-colors', '--max-processes', '--restart-tries', '--success'] }),
  nodemon: (call) => {
    const i = call.args.findIndex((a) => a === '--exec' || a === '-x');
    if (i >= 0 && call.argWords[i + 1]) return runCode(call, 'sh', call.argWords[i + 1]!.text, 'nodemon --exec');
    return UNKNOWN_OUTPUT;
  },
  watchexec: (call) => {
    const dd = call.argWords.findIndex((x) => x.text === '--');
    if (dd >= 0) return runInner(call, call.argWords.slice(dd + 1), { via: 'watchexec' });
    const ops = call.argWords.filter((x) => !x.text.startsWith('-'));
    const last = ops[ops.length - 1];
    return last ? runCode(call, 'sh', last.text, 'watchexec') : UNKNOWN_OUTPUT;
  },
  ansible: remoteRunner((call) => {
    const m = call.args.findIndex((a) => a === '-m' || a === '--module-name');
    const mod = m >= 0 ? call.args[m + 1] : 'command';
    const a = call.args.findIndex((x) => x === '-a' || x === '--args');
    if (a < 0 || !/^(?:ansible\.builtin\.)?(?:shell|command|raw|script)$/.test(mod ?? '')) return undefined;
    return call.args[a + 1];
  }),
  pssh: remoteRunner((call) => call.args.filter((a) => !a.startsWith('-')).pop()),
  'parallel-ssh': remoteRunner((call) => call.args.filter((a) => !a.startsWith('-')).pop()),
  salt: remoteRunner((call) => {
    const i = call.args.findIndex((a) => a === 'cmd.run' || a === 'cmd.shell');
    return i >= 0 ? call.args[i + 1] : undefined;
  }),
};
