/**
 * File-system commands: deleting (rm, find -delete, shred, rsync --delete is in net.ts), copying
 * and moving (cp, mv, install, ln), changing (chmod, chown, touch, truncate, dd), archives (tar,
 * unzip) and disks (mkfs, wipefs, fdisk, ...). sed is in sedScripts.ts, patch and dotfile managers in
 * diffApplication.ts.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { type PathRef, isBroadSystemRef, judgeDelete, judgeMeta, judgeRead, judgeWrite } from '../pathRules.js';
import { inWorkspace, isDevice, isStdinDevice, isSystem, isTemp, isUnder, protectedKind, secretNamedBy, secretsInside, secretKind } from '../pathZones.js';
import { globToRegexSource } from '../wordEval.js';
import type { WrittenContent } from '../run.js';
import { type DataSource, type ShellWord, EMPTY_INPUT, PLAIN, UNKNOWN, literalWord, sourceProvenance } from '../shellValue.js';
import { generic } from './generic.js';
import { runCode } from './scripts.js';
import { archiveMoves } from './archiveMoves.js';
import { UNKNOWN_OUTPUT, display, hasFlag, optionValue, optionValues, parseOptions, pathOf, runInner } from './support.js';
import { sed } from './sedScripts.js';
import { applyDiff, applyEnvelope, dotfileManager } from './diffApplication.js';

/** `rm [-rRfdv…] FILE…`, `rimraf`, `trash`. */
const rm: Handler = (call) => {
  const o = parseOptions(call.argWords);
  const recursive = call.program === 'rimraf' || call.program === 'del-cli' || hasFlag(o, 'rR', ['--recursive']);
  const verb = recursive ? `${call.program} -r` : call.program;
  for (const w of o.operands) judgeDelete(call.exec.run, pathOf(call, w), { recursive, verb });
  return EMPTY_INPUT;
};

const unlink: Handler = (call) => {
  const o = parseOptions(call.argWords);
  for (const w of o.operands) judgeDelete(call.exec.run, pathOf(call, w), { recursive: false, verb: call.program });
  return EMPTY_INPUT;
};

const rmdir: Handler = (call) => {
  const o = parseOptions(call.argWords);
  for (const w of o.operands) {
    const ref = pathOf(call, w);
    judgeMeta(call.exec.run, ref, { verb: 'rmdir' });
  }
  return EMPTY_INPUT;
};

/** `shred`, `srm`, `wipe`: irrecoverable overwrite. */
const shred: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'ns', longArg: ['--iterations', '--size', '--random-source'] });
  for (const w of o.operands) {
    const ref = pathOf(call, w, { glob: w.glob });
    if (!ref) {
      run.add('fs.shred', `${call.program} overwrites ${display(w.text)}, a path only known at run time`);
      continue;
    }
    run.touch(ref.real, 'delete');
    if (protectedKind(ref.real, run.zones) || protectedKind(ref.path, run.zones)) run.add('self.write-protected', `${call.program} destroys ${display(w.text)}, which VAIBOT or Codex needs`);
    else if (isDevice(ref.real)) run.add('fs.device-write', `${call.program} overwrites the device ${display(w.text)}`);
    else if (inWorkspace(ref.real, run.zones) || isTemp(ref.real)) run.add('fs.shred', `${call.program} irrecoverably overwrites ${display(w.text)}`);
    else run.add('fs.shred-outside-workspace', `${call.program} irrecoverably overwrites ${display(w.text)} outside the workspace`);
  }
  return EMPTY_INPUT;
};

/** Disk formatting and partitioning tools (listing options excepted). */
const formatDisk: Handler = (call) => {
  if (call.args.some((a) => a === '-l' || a === '--list' || a === '-h' || a === '--help' || a === '--version' || a === '-V' || a === '-s' && call.program === 'fdisk' || a === 'print')) return UNKNOWN_OUTPUT;
  if (call.program === 'parted' && call.args.includes('-l')) return UNKNOWN_OUTPUT;
  if (/^s?gdisk$/.test(call.program) && call.args.some((a) => a.startsWith('-')) && call.args.every((a) => !a.startsWith('-') || /^(?:-[pivLO]+|--(?:print|info|verify|list-types|print-mbr)(?:=.*)?)$/.test(a))) return UNKNOWN_OUTPUT;
  if (/^c?gdisk$/.test(call.program) && !call.args.some((a) => a.startsWith('-'))) {
    // no options: an interactive partition editor, driven by keystrokes VAIBOT never sees
    call.exec.run.add('exec.interactive', `${call.program} ${call.args.map(display).join(' ')} edits partitions interactively: input sent with write_stdin is not governed`);
    return UNKNOWN_OUTPUT;
  }
  const target = call.args.filter((a) => !a.startsWith('-')).pop();
  call.exec.run.add('fs.format-disk', `${call.program} formats or repartitions ${target ? display(target) : 'a disk'}`);
  return UNKNOWN_OUTPUT;
};

/** `find ROOT… EXPR`: -delete, -exec/-execdir/-ok, -fprint judged against the roots. */
const find: Handler = (call) => {
  const run = call.exec.run;
  const w = call.argWords;
  let i = 0;
  while (i < w.length && /^-(?:[HLP]|O\d|D)$/.test(w[i]!.text)) i += w[i]!.text === '-D' ? 2 : 1;
  const roots: ShellWord[] = [];
  while (i < w.length && !/^[-(!)]/.test(w[i]!.text) && w[i]!.text !== ',') roots.push(w[i++]!);
  if (roots.length === 0) roots.push(literalWord('.'));
  const expr = w.slice(i);
  const narrowing = /^-(?:i?name|i?path|i?wholename|i?regex|i?lname|newer\w*|[acm](?:time|min)|size|empty|user|group|uid|gid|nouser|nogroup|perm|links|inum|samefile|used|context|readable|writable|executable|fstype)$/;
  const filtered = expr.some((x) => narrowing.test(x.text));
  // credentials files the walk can reach that the name tests let through, per root (read once)
  let reachable: string[][] | undefined;
  const secretsOf = (k: number): string[] => (reachable ??= roots.slice(0, 4).map((r) => reachableSecrets(call, r, expr)))[k] ?? [];
  // the items each root's name tests pin down (`ROOT/PATTERN`), worked out once per root
  const namedByRoot = new Map<ShellWord, string[] | null>();
  const namedOf = (r: ShellWord): string[] | null => {
    if (!filtered) return null;
    if (!namedByRoot.has(r)) {
      const root = r.text.replace(/\/+$/, '');
      namedByRoot.set(r, namedItems(call, r, expr)?.map((glob) => `${root}/${glob}`) ?? null);
    }
    return namedByRoot.get(r)!;
  };
  for (let k = 0; k < expr.length; k++) {
    const t = expr[k]!.text;
    if (t === '-delete') {
      for (const r of roots) {
        const items = namedOf(r);
        if (items) for (const item of items) judgeDelete(run, pathOf(call, item, { glob: true }), { recursive: true, verb: 'find -delete' });
        else {
          const ref = pathOf(call, r, { glob: r.glob });
          judgeDelete(run, ref && filtered ? { ...ref, scope: 'under' } : ref, { recursive: true, verb: filtered ? 'find -delete' : 'find -delete (no filter)' });
        }
      }
    } else if (t === '-exec' || t === '-execdir' || t === '-ok' || t === '-okdir') {
      let end = k + 1;
      while (end < expr.length && expr[end]!.text !== ';' && expr[end]!.text !== '+') end++;
      const cmd = expr.slice(k + 1, end);
      k = end;
      if (cmd.length === 0) continue;
      // `{}` filled with one item: a path, a pattern of names (a glob word), or some name under the root
      const fill = (slot: string, glob = false) => cmd.map((x) => (x.text.includes('{}') ? { ...x, text: x.text.split('{}').join(slot), dynamic: x.dynamic || (!glob && slot.includes(UNKNOWN)), ...(glob ? { glob: true } : {}) } : x));
      roots.slice(0, 4).forEach((r, n) => {
        const items = namedOf(r);
        if (items) for (const item of items) runInner(call, fill(item, true), { via: 'find', stdin: EMPTY_INPUT });
        else runInner(call, fill(filtered ? `${r.text.replace(/\/+$/, '') || '/'}/${UNKNOWN}` : r.text), { via: 'find', stdin: EMPTY_INPUT });
        // a credentials file the walk can reach (and the name tests let through) is one of the items
        for (const secret of secretsOf(n)) runInner(call, fill(secret), { via: 'find', stdin: EMPTY_INPUT });
      });
    } else if (/^-fprint0?$|^-fprintf$|^-fls$/.test(t)) {
      judgeWrite(run, pathOf(call, expr[k + 1] ?? literalWord('')), { verb: `find ${t}` });
      k++;
    }
  }
  for (const r of roots) judgeRead(run, pathOf(call, r), { verb: 'find' }) ;
  const rootRef = roots.length === 1 ? pathOf(call, roots[0]!) : null;
  // credentials files the name tests let through are among the lines printed (`| xargs cat` reads them)
  const named = expr.some((x) => x.text === '-name' || x.text === '-iname');
  const samples = named ? [...new Set(roots.slice(0, 4).flatMap((_, n) => secretsOf(n)))].slice(0, 4) : [];
  const out: DataSource = rootRef ? { kind: 'unknown', from: PLAIN, under: rootRef.path, ...(filtered ? {} : { whole: true }) } : UNKNOWN_OUTPUT;
  return samples.length > 0 && out.kind === 'unknown' ? { ...out, samples } : out;
};

/**
 * The name patterns find's items are known to match, when that is all there is to know about where
 * they are: `-name`/`-iname` tests, none negated, and either `-maxdepth 1` (the items are direct
 * children of the root: `ROOT/PATTERN` is exact) or a root in a temporary directory or the workspace
 * whose deeper items cannot be anything that matters. In both cases no directory on the way down to
 * home, the workspace, the working directory or a path VAIBOT protects may match a pattern (an item
 * that is one of them, or holds one, would be deleted with it). Null: the items stay unknown.
 */
function namedItems(call: Call, rootWord: ShellWord, expr: readonly ShellWord[]): string[] | null {
  if (expr.some((x) => x.text === '!' || x.text === '-not' || NAME_BLIND.test(x.text))) return null;
  const patterns = expr.flatMap((x, k) => (/^-i?name$/.test(x.text) && expr[k + 1] ? [{ glob: expr[k + 1]!.text, nocase: x.text === '-iname' }] : []));
  if (patterns.length === 0 || patterns.some((p) => p.glob.includes('/') || p.glob.includes(UNKNOWN))) return null;
  const depth = expr.findIndex((x) => x.text === '-maxdepth');
  const shallow = depth >= 0 && expr[depth + 1]?.text === '1';
  const ref = pathOf(call, rootWord);
  if (!ref) return null;
  const z = call.exec.run.zones;
  if (!shallow && !((isTemp(ref.real) || inWorkspace(ref.real, z)) && !isSystem(ref.real, z))) return null;
  const res = patterns.map((p) => new RegExp(`^${globToRegexSource(p.glob)}$`, p.nocase ? 'i' : ''));
  const important = [...z.protectedRoots, z.home, z.cwd, ...(z.workspace ? [z.workspace] : [])];
  for (const base of new Set([ref.path, ref.real])) {
    for (const path of important) {
      if (!path || !isUnder(path, base) || path === base) continue;
      const parts = path.slice(base === '/' ? 1 : base.length + 1).split('/');
      if ((shallow ? parts.slice(0, 1) : parts).some((c) => res.some((re) => re.test(c)))) return null;
    }
  }
  return patterns.map((p) => p.glob);
}

/** Tests that narrow find's items by something other than their name (a secret may still pass them). */
const NAME_BLIND = /^-(?:i?path|i?wholename|i?regex|i?lname|samefile|inum|links|empty)$/;

/**
 * Credentials files under a find root that its name tests (-name/-iname) let through (one per kind).
 * Tests on the path or the content shape (-path, -regex, -empty) are not modelled: no item then.
 */
function reachableSecrets(call: Call, root: ShellWord, expr: ShellWord[]): string[] {
  const ref = pathOf(call, root);
  if (!ref || ref.scope !== 'exact') return [];
  const names: string[] = [];
  // a name test that itself names a secret (`-name '.env*'`, `-name 'id_*'`) finds one wherever the walk goes, on disk or not
  const named: string[] = [];
  for (let k = 0; k < expr.length; k++) {
    const t = expr[k]!.text;
    if (NAME_BLIND.test(t)) return [];
    if ((t === '-name' || t === '-iname') && expr[k + 1]) {
      const negated = k > 0 && /^(?:!|-not)$/.test(expr[k - 1]!.text);
      const re = globToRegexSource(expr[k + 1]!.text);
      if (!negated) names.push(t === '-iname' ? `(?i:${re})` : re);
      const candidate = negated ? null : secretNamedBy(ref.real, expr[k + 1]!.text, call.exec.run.zones);
      if (candidate !== null) named.push(candidate);
    }
  }
  let name: RegExp | undefined;
  try {
    name = names.length > 0 ? new RegExp('^(?:' + names.map((n) => n.replace(/^\(\?i:(.*)\)$/, '$1')).join('|') + ')$', names.some((n) => n.startsWith('(?i:')) ? 'i' : '') : undefined;
  } catch {
    return [];
  }
  return [...named.slice(0, 2), ...secretsInside(ref.real, call.exec.run.zones, name ? { name } : {}).map((s) => s.path)];
}

/** `mount --bind|-B|--rbind|-R|-o bind SRC DST`, `bindfs SRC DST`: DST becomes another name for SRC, followed like a symlink. */
const mount: Handler = (call) => {
  const out = generic(call);
  const bindfs = call.program === 'bindfs';
  const o = parseOptions(call.argWords, { shortArg: bindfs ? 'ougpmM' : 'otLUON', longArg: ['--options', '--types', '--source', '--target', '--label', '--uuid', '--namespace'] });
  const opts = optionValues(o, ['o', '--options']).map((w) => w.text).join(',');
  const bind = bindfs || hasFlag(o, 'BR', ['--bind', '--rbind']) || /(?:^|,)r?bind(?:,|$)/.test(opts);
  const src = optionValue(o, ['--source']) ?? o.operands[0];
  const dst = optionValue(o, ['--target']) ?? (optionValue(o, ['--source']) ? o.operands[0] : o.operands[1]);
  if (!src || !dst) return out;
  const dRef = pathOf(call, dst);
  // mounting over a protected directory replaces what VAIBOT or Codex reads there
  judgeMeta(call.exec.run, dRef, { verb: call.program });
  const sRef = bind ? pathOf(call, src) : null;
  if (dRef && sRef) call.exec.run.links.set(dRef.path, sRef.real);
  return out;
};

/** `ls`: with pattern operands (`ls DIR/*.log`) it prints paths under DIR (for `| xargs`). */
const ls: Handler = (call) => {
  const out = generic(call);
  const o = parseOptions(call.argWords, { shortArg: 'ITw', longArg: ['--ignore', '--hide', '--format', '--sort', '--time', '--time-style', '--width', '--tabsize', '--block-size', '--quoting-style', '--color', '--indicator-style'] });
  // `ls -d DIR` prints DIR itself
  if (o.short.has('d') && o.operands.length === 1 && !o.operands[0]!.glob && !o.operands[0]!.dynamic && !/[lsiFp]/.test([...o.short].join('')) && !o.long.has('--classify')) {
    const ref = pathOf(call, o.operands[0]!);
    if (ref && out.kind === 'unknown') return { kind: 'text', text: `${o.operands[0]!.text}\n`, from: out.from };
  }
  const dirs = new Set<string>();
  for (const w of o.operands) {
    const ref = w.glob ? pathOf(call, w, { glob: true }) : null;
    if (!ref || ref.scope === 'exact') return out;
    dirs.add(ref.path);
  }
  return dirs.size === 1 && out.kind === 'unknown' ? { ...out, under: [...dirs][0]! } : out;
};

/** `fd [PATTERN] [DIR…]`: prints paths under DIR (or the working directory); `-x`/`-X` run a command on them. */
const fd: Handler = (call) => {
  const execAt = call.argWords.findIndex((w) => /^(?:-[xX]|--exec(?:-batch)?)$/.test(w.text));
  const head = execAt >= 0 ? call.argWords.slice(0, execAt) : call.argWords;
  const o = parseOptions(head, { shortArg: 'edtEScjo', longArg: ['--extension', '--max-depth', '--type', '--exclude', '--size', '--changed-within', '--changed-before', '--threads', '--owner', '--base-directory', '--search-path', '--max-results', '--color', '--format', '--ignore-file'] });
  const searchPaths = optionValues(o, ['--search-path']);
  const dirs = searchPaths.length > 0 ? searchPaths : o.operands.slice(1);
  const refs = dirs.length > 0 ? dirs.map((d) => pathOf(call, d)) : [pathOf(call, '.')];
  const hidden = hasFlag(o, 'HIu', ['--hidden', '--unrestricted']);
  const cmd = execAt >= 0 ? call.argWords.slice(execAt + 1).filter((w) => w.text !== ';') : [];
  for (const ref of refs) {
    if (!ref) continue;
    call.exec.run.touch(ref.path, 'read');
    if (cmd.length === 0) continue;
    const fill = (slot: ShellWord) => cmd.map((x) => (x.text === '{}' ? slot : x));
    runInner(call, fill({ ...literalWord(`${ref.path}/${UNKNOWN}`), dynamic: true }), { via: 'fd' });
    // a credentials file the walk can reach (hidden ones only with -H/-u) is one of the items
    for (const hit of secretsInside(ref.real, call.exec.run.zones, hidden ? {} : { skipHidden: true })) runInner(call, fill(literalWord(hit.path)), { via: 'fd' });
  }
  const only = refs.length === 1 ? refs[0] : null;
  return only ? { kind: 'unknown', from: PLAIN, under: only.path } : UNKNOWN_OUTPUT;
};

/** Sources and destination of cp/mv/install/ln-style commands. */
function splitTargets(call: Call, o: ReturnType<typeof parseOptions>, dirKeys: string[]): { sources: ShellWord[]; dest: ShellWord | undefined; destIsDir: boolean } {
  const targetDir = optionValue(o, dirKeys);
  if (targetDir) return { sources: o.operands, dest: targetDir, destIsDir: true };
  if (o.operands.length < 2) return { sources: o.operands, dest: undefined, destIsDir: false };
  const noDir = o.short.has('T') || o.long.has('--no-target-directory');
  return { sources: o.operands.slice(0, -1), dest: o.operands[o.operands.length - 1], destIsDir: !noDir };
}

/** The paths a copy or move writes: the destination itself, and DEST/basename(SRC) when DEST is a directory. */
function destinations(call: Call, src: ShellWord, dest: ShellWord, destIsDir: boolean, onlyInto: boolean): (PathRef | null)[] {
  const out: (PathRef | null)[] = [];
  if (!onlyInto) out.push(pathOf(call, dest));
  if (destIsDir && !dest.dynamic) {
    const base = posix.basename(src.text.replace(/\/+$/, ''));
    if (!src.dynamic && base && base !== '.' && base !== '..') out.push(pathOf(call, posix.join(dest.text, base)));
    else {
      // `cp -r . ~`, `cp -r dir/. ~`, a source known only at run time: what lands in the directory
      // has names nobody wrote down (dot-files among them), so it may be any entry below it
      const into = pathOf(call, dest);
      if (into) out.push({ ...into, scope: 'under' });
    }
  }
  return out;
}

/** The program a binary path stands for (`/bin/rm` -> `rm`), when it lives in a bin directory or was copied earlier. */
function programOf(run: Call['exec']['run'], path: string): string | undefined {
  const copied = run.programCopies.get(path);
  if (copied) return copied;
  return /^\/(?:usr\/(?:local\/)?)?s?bin\/[^/]+$|^\/opt\/homebrew\/bin\/[^/]+$/.test(path) ? posix.basename(path) : undefined;
}

/** `cp`, `install`: read sources, write destination(s); content follows for taint tracking. */
const cp: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: call.program === 'install' ? 'tSmogC' : 'tS', longArg: ['--target-directory', '--suffix', '--mode', '--owner', '--group'] });
  if (call.program === 'install' && o.short.has('d')) {
    for (const w of o.operands) judgeMeta(run, pathOf(call, w), { verb: 'install -d' });
    return EMPTY_INPUT;
  }
  const recursive = hasFlag(o, 'rRa', ['--recursive', '--archive']);
  const { sources, dest, destIsDir } = splitTargets(call, o, ['t', '--target-directory']);
  for (const s of sources) {
    const ref = pathOf(call, s, { glob: s.glob });
    judgeRead(run, ref && recursive ? { ...ref, scope: ref.scope === 'exact' ? 'contents' : ref.scope } : ref, { verb: call.program });
    if (!dest) continue;
    const content = ref ? (isStdinDevice(ref.path) ? stdinContent(call) : run.contentOf(ref.path)) : undefined;
    const copiedProgram = ref ? programOf(run, ref.real) : undefined;
    for (const d of destinations(call, s, dest, destIsDir || sources.length > 1, !!optionValue(o, ['t', '--target-directory']))) {
      const opts: { verb: string; content?: string } = { verb: call.program };
      if (content?.kind === 'text') opts.content = content.text;
      judgeWrite(run, d, opts);
      if (d && content) run.writes.set(d.path, content);
      // a file from outside the workspace (a download in /tmp, another project) is content this
      // session has not seen: a runner that then runs the copy needs approval
      else if (d && ref && !recursive && !inWorkspace(ref.real, run.zones) && !isSystem(ref.real)) run.writes.set(d.path, { kind: 'unknown', from: PLAIN });
      if (d && copiedProgram) run.programCopies.set(d.path, copiedProgram);
    }
  }
  return EMPTY_INPUT;
};

/** What a command writes when it copies its standard input to a file (`cp /dev/stdin f`, `dd of=f`). */
function stdinContent(call: Call): WrittenContent {
  const input = call.stdin;
  if (input.kind === 'text') return { kind: 'text', text: input.text, from: input.from };
  if (input.kind === 'file' && input.path) {
    const c = call.exec.run.contentOf(input.path);
    if (c) return c;
  }
  return { kind: 'unknown', from: sourceProvenance(input.kind === 'terminal' ? UNKNOWN_OUTPUT : input) };
}

/** True when a path is (or is inside) a credentials location (~/.ssh, ~/.aws, VAIBOT's keys, ...). */
function isCredential(run: Call['exec']['run'], ref: PathRef): boolean {
  return [ref.path, ref.real].some((p) => {
    const k = secretKind(p, run.zones);
    return k === 'credentials' || k === 'self-credentials';
  });
}

/** `mv`: the sources disappear from where they were; the destination is written. */
const mv: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'tS', longArg: ['--target-directory', '--suffix'] });
  const { sources, dest, destIsDir } = splitTargets(call, o, ['t', '--target-directory']);
  for (const s of sources) {
    const ref = pathOf(call, s, { glob: s.glob });
    judgeDelete(run, ref, { recursive: false, verb: 'mv' });
    // moving credentials away hands their content to wherever they land, like a copy
    if (ref && isCredential(run, ref)) judgeRead(run, { ...ref, scope: 'contents' }, { verb: 'mv' });
    if (!dest) continue;
    if (dest.text === '/dev/null' && ref) run.add(ref && inWorkspace(ref.real, run.zones) ? 'fs.shred' : 'fs.shred-outside-workspace', `mv ${display(s.text)} /dev/null destroys it`);
    const content = ref ? run.contentOf(ref.path) : undefined;
    for (const d of destinations(call, s, dest, (destIsDir || sources.length > 1) && dest.text !== '/dev/null', !!optionValue(o, ['t', '--target-directory']))) {
      judgeWrite(run, d, { verb: 'mv' });
      if (d && content) run.writes.set(d.path, content);
    }
  }
  return EMPTY_INPUT;
};

/** `ln [-s] TARGET… LINK`: linking to or from protected paths is tampering; symlinks are followed later in the command. */
const ln: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'tS', longArg: ['--target-directory', '--suffix'] });
  const symbolic = hasFlag(o, 's', ['--symbolic']);
  const targetDir = optionValue(o, ['t', '--target-directory']);
  let targets: ShellWord[];
  let links: ShellWord[];
  if (targetDir) {
    targets = o.operands;
    links = o.operands.map((t) => ({ ...t, text: posix.join(targetDir.text, posix.basename(t.text)) }));
  } else if (o.operands.length === 1) {
    targets = o.operands;
    links = [literalWord(posix.basename(o.operands[0]!.text))];
  } else {
    targets = o.operands.slice(0, -1);
    const last = o.operands[o.operands.length - 1]!;
    links = targets.length > 1 ? targets.map((t) => ({ ...t, text: posix.join(last.text, posix.basename(t.text)) })) : [last];
  }
  targets.forEach((t, k) => {
    const linkRef = pathOf(call, links[k] ?? links[0]!);
    const tText = t.text;
    const tRef = symbolic && !tText.startsWith('/') && linkRef ? pathOf(call, posix.join(posix.dirname(linkRef.path), tText)) : pathOf(call, t);
    judgeMeta(run, tRef, { verb: symbolic ? 'ln -s (target)' : 'ln (target)' });
    judgeWrite(run, linkRef, { verb: 'ln' });
    // a hard link is the same file by another name: reading or writing it later is reading or writing the target
    if (linkRef && tRef) run.links.set(linkRef.path, tRef.real);
    const prog = tRef ? programOf(run, tRef.real) : undefined;
    if (linkRef && prog) run.programCopies.set(linkRef.path, prog);
  });
  return EMPTY_INPUT;
};

/** `touch`, `mkdir`, `mkfifo`: create entries; only protected locations matter. */
const touch: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'rtdmZ', longArg: ['--reference', '--date', '--mode', '--context'] });
  for (const w of o.operands) judgeMeta(call.exec.run, pathOf(call, w), { verb: call.program });
  return EMPTY_INPUT;
};

/** `chmod`, `chown`, `chgrp`, `chattr`, `setfacl`, `chflags`. */
const chmod: Handler = (call) => {
  const run = call.exec.run;
  const files: ShellWord[] = [];
  let recursive = false;
  let specSeen = call.program === 'setfacl';
  const w = call.argWords;
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '--') {
      const rest = w.slice(i + 1);
      if (!specSeen && rest.length > 0) rest.shift();
      files.push(...rest);
      break;
    }
    if (/^-[RfvchHLP]+$/.test(t)) {
      if (t.includes('R')) recursive = true;
      continue;
    }
    if (t === '--recursive') { recursive = true; continue; }
    if (t.startsWith('--')) {
      if (t.startsWith('--reference')) specSeen = true;
      if (t === '--reference' || /^--(?:modify|remove|set|set-file|modify-file|remove-file|from)$/.test(t)) i++;
      continue;
    }
    if (call.program === 'setfacl' && /^-[a-zA-Z]*[mxMX]$/.test(t)) {
      if (t.includes('R')) recursive = true;
      i++;
      continue;
    }
    if (call.program === 'setfacl' && t.startsWith('-')) { if (t.includes('R')) recursive = true; continue; }
    if (!specSeen) { specSeen = true; continue; }
    files.push(w[i]!);
  }
  const spec = specOf(call.argWords, files);
  for (const f of files) {
    const ref = pathOf(call, f, { glob: f.glob });
    judgeMeta(run, ref, { verb: call.program });
    if (recursive && isBroadSystemRef(run, ref)) run.add('fs.chmod-recursive-system', `${call.program} -R changes ${display(f.text)} recursively`);
    else if (locksOut(call, spec, ref)) run.add('fs.chmod-recursive-system', `${call.program} ${display(spec ?? '')} ${display(f.text)} takes access to it away`);
    // permissions and owners in system directories and in home outside the workspace are judged as
    // writes there: a world-readable key or credentials directory, another project's files
    else if (ref && isSystem(ref.real)) judgeWrite(run, ref, { verb: call.program });
    else if (ref && isUnder(ref.real, run.zones.home) && !inWorkspace(ref.real, run.zones) && !(call.program === 'chmod' && spec !== undefined && onlyTightens(spec)))
      judgeWrite(run, ref, { verb: call.program });
  }
  return EMPTY_INPUT;
};

/** The mode or owner operand of chmod/chown (the word before the first file). */
function specOf(words: readonly ShellWord[], files: readonly ShellWord[]): string | undefined {
  const first = files[0];
  const k = first ? words.indexOf(first) : -1;
  for (let i = k - 1; i >= 0; i--) if (!words[i]!.text.startsWith('-') || /^-[rwxXst]+$/.test(words[i]!.text)) return words[i]!.text;
  return undefined;
}

/** True when a chmod mode takes read or search (x) permission away from the owner. */
function removesOwnerAccess(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) {
    const owner = Number(mode.padStart(3, '0').slice(-3)[0]);
    return (owner & 4) === 0 || (owner & 1) === 0;
  }
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([-=])([rwxXst]*)$/.exec(clause);
    if (!m || !(m[1] === '' || /[ua]/.test(m[1]!))) return false;
    return m[2] === '-' ? /[rxX]/.test(m[3]!) : !/r/.test(m[3]!) || !/[xX]/.test(m[3]!);
  });
}

/**
 * True when a chmod mode only takes group and other access away (600, 0700, go-rwx, o=): what
 * ssh and the cloud tools ask for on key files, never an exposure.
 */
function onlyTightens(mode: string): boolean {
  if (/^0?[4-7]00$/.test(mode)) return true;
  return mode.split(',').every((clause) => /^[go]+-[rwxXst]+$/.test(clause) || /^[go]+=$/.test(clause));
}

/**
 * chmod removing the owner's access to /, home (or an ancestor) or a top system directory, or
 * chown/chgrp handing / or home to someone else: everything below becomes unusable.
 */
function locksOut(call: Call, spec: string | undefined, ref: PathRef | null): boolean {
  if (!ref || spec === undefined || ref.scope === 'under') return false;
  if (call.program === 'chmod') return removesOwnerAccess(spec) && isBroadSystemRef(call.exec.run, ref);
  if (call.program !== 'chown' && call.program !== 'chgrp') return false;
  return [ref.path, ref.real].some((p) => p === '/' || isUnder(call.exec.run.zones.home, p));
}

/** `truncate -s SIZE FILE…`. */
const truncate: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'sr', longArg: ['--size', '--reference'] });
  const size = optionValue(o, ['s', '--size'])?.text ?? '';
  const empties = /^0+(?:[KMGTPEZY](?:i?B)?)?$|^[-<\/]/.test(size);
  for (const w of o.operands) {
    const ref = pathOf(call, w, { glob: w.glob });
    judgeWrite(run, ref, { verb: 'truncate' });
    // emptying every file under /, home or the workspace (`find ~ -exec truncate -s 0 {} +`) destroys them
    if (empties && ref && (isBroadSystemRef(run, ref) || (run.zones.workspace !== null && isUnder(run.zones.workspace, ref.path))))
      judgeDelete(run, ref, { recursive: true, verb: `truncate -s ${display(size)}` });
  }
  return EMPTY_INPUT;
};

/** `dd if=… of=…`. */
const dd: Handler = (call) => {
  const run = call.exec.run;
  let input: DataSource = call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin;
  let wrote = false;
  const partial = call.argWords.some((a) => /^(?:skip|seek|count|iseek|oseek|ibs|cbs|conv)=/.test(a.text) && !/^conv=(?:fsync|fdatasync|notrunc)$/.test(a.text));
  for (const a of call.argWords) {
    const m = /^(if|of)=(.*)$/s.exec(a.text);
    if (!m) continue;
    const ref = pathOf(call, m[2]!);
    if (m[1] === 'if') {
      judgeRead(run, ref, { verb: 'dd if=' });
      input = ref && isStdinDevice(ref.path) ? input : { kind: 'file', path: ref?.path ?? null, from: PLAIN };
    } else {
      const opts: { verb: string; content?: string } = { verb: 'dd of=' };
      if (input.kind === 'text') opts.content = input.text;
      judgeWrite(run, ref, opts);
      // the written file holds the input (judged by it if run later)
      if (ref && !isStdinDevice(ref.path)) run.writes.set(ref.path, partial ? { kind: 'unknown', from: sourceProvenance(input) } : stdinContent({ ...call, stdin: input }));
      wrote = true;
    }
  }
  return wrote ? EMPTY_INPUT : input;
};

/** `tar`: create (reads sources), extract (writes under -C or cwd), command-running options. */
const tar: Handler = (call) => {
  const run = call.exec.run;
  let words = call.argWords;
  if (words[0] && !words[0].text.startsWith('-') && /^[A-Za-z]+$/.test(words[0].text)) words = [{ ...words[0], text: '-' + words[0].text }, ...words.slice(1)];
  const o = parseOptions(words, { shortArg: 'fCTXIKNgVbLH', longArg: ['--file', '--directory', '--files-from', '--exclude-from', '--use-compress-program', '--to-command', '--newer', '--label', '--owner', '--group', '--mode', '--transform', '--exclude'] });
  for (const k of ['--to-command', '--use-compress-program', 'I', '--info-script', '--new-volume-script', '--rsh-command']) {
    for (const v of o.values.get(k) ?? []) runCode(call, 'sh', v.text, `tar ${k.length === 1 ? '-' + k : k}`);
  }
  for (const [k, v] of o.long) if (k === '--checkpoint-action' && typeof v === 'string' && /^exec=/.test(v)) runCode(call, 'sh', v.slice(5), 'tar --checkpoint-action=exec');
  const archive = optionValue(o, ['f', '--file']);
  const dir = optionValue(o, ['C', '--directory']);
  const creating = hasFlag(o, 'cru', ['--create', '--append', '--update']);
  const extracting = hasFlag(o, 'x', ['--extract', '--get']);
  if (creating) {
    for (const s of o.operands) {
      const ref = pathOf(call, dir && !s.text.startsWith('/') ? posix.join(dir.text, s.text) : s.text, { glob: s.glob });
      judgeRead(run, ref ? { ...ref, scope: ref.scope === 'exact' ? 'contents' : ref.scope } : ref, { verb: 'tar' });
      if (o.long.has('--remove-files')) judgeDelete(run, ref, { recursive: true, verb: 'tar --remove-files' });
    }
    if (archive && archive.text !== '-') judgeWrite(run, pathOf(call, archive), { verb: 'tar -f' });
  }
  if (extracting) {
    if (archive && archive.text !== '-') judgeRead(run, pathOf(call, archive), { verb: 'tar -f' });
    const dest = pathOf(call, dir ?? literalWord('.'));
    judgeWrite(run, dest ? { ...dest, scope: 'under' } : dest, { verb: 'tar -x' });
  }
  if (creating && (!archive || archive.text === '-')) return { kind: 'unknown', from: PLAIN };
  return EMPTY_INPUT;
};

/** `unzip [-d DIR] ZIP`. */
const unzip: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'dxP' });
  const dir = optionValue(o, ['d']);
  const dest = pathOf(call, dir ?? literalWord('.'));
  if (!o.short.has('l') && !o.short.has('t') && !o.short.has('p')) judgeWrite(call.exec.run, dest ? { ...dest, scope: 'under' } : dest, { verb: 'unzip' });
  if (o.operands[0]) judgeRead(call.exec.run, pathOf(call, o.operands[0]), { verb: 'unzip' });
  return EMPTY_INPUT;
};

/** `sort -o FILE`, `split`, `uniq IN OUT` and other filters that may write: generic plus their outputs. */
const sort: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'oktSTu', longArg: ['--output', '--key', '--field-separator', '--buffer-size', '--temporary-directory'] });
  const out = optionValue(o, ['o', '--output']);
  if (out) judgeWrite(call.exec.run, pathOf(call, out), { verb: 'sort -o' });
  return generic({ ...call, argWords: o.operands, args: o.operands.map((w) => w.text) });
};

/** File-system handlers, by program name. */
export const FILE_HANDLERS: Record<string, Handler> = {
  rm, rimraf: rm, 'del-cli': rm, trash: unlink, 'trash-put': unlink, 'trash-cli': unlink, 'gvfs-trash': unlink, rmtrash: unlink, gtrash: (call) => (call.args[0] === 'put' ? unlink({ ...call, args: call.args.slice(1), argWords: call.argWords.slice(1) }) : UNKNOWN_OUTPUT),
  gio: (call) => (/^(?:trash|remove|rm)$/.test(call.args[0] ?? '') ? unlink({ ...call, program: `gio ${call.args[0]}`, args: call.args.slice(1), argWords: call.argWords.slice(1) }) : UNKNOWN_OUTPUT),
  ...archiveMoves,
  unlink,
  rmdir,
  shred, srm: shred, wipe: shred,
  mkfs: formatDisk, wipefs: formatDisk, fdisk: formatDisk, sfdisk: formatDisk, cfdisk: formatDisk, parted: formatDisk,
  gdisk: formatDisk, sgdisk: formatDisk, blkdiscard: formatDisk, mkswap: formatDisk, badblocks: formatDisk,
  find,
  mount, bindfs: mount,
  ls, fd, fdfind: fd,
  cp, install: cp,
  mv,
  ln,
  touch, mkdir: touch, mkfifo: touch, mknod: touch,
  chmod, chown: chmod, chgrp: chmod, chattr: chmod, setfacl: chmod, chflags: chmod,
  truncate,
  dd,
  sed, gsed: sed,
  tar, gtar: tar, bsdtar: tar,
  unzip,
  sort,
  patch: applyDiff,
  stow: dotfileManager, chezmoi: dotfileManager,
  mktemp: (call) => {
    // a fresh name under the temporary directory (or -p DIR / --tmpdir=DIR)
    // The name is new (mktemp fails rather than reuse one), so it is no existing file: it stands as the
    // template itself (`tmp.XXXXXXXXXX`), a path nothing else has.
    const o = parseOptions(call.argWords, { shortArg: 'p', longArg: ['--tmpdir', '--suffix'] });
    const template = o.operands[0]?.text;
    const suffix = optionValue(o, ['--suffix'])?.text ?? '';
    const inTmpdir = o.short.has('t') || o.long.has('--tmpdir') || o.short.has('p');
    const dir = optionValue(o, ['p', '--tmpdir'])?.text ?? '/tmp';
    let path: string;
    if (template === undefined) path = `${dir.replace(/\/+$/, '')}/tmp.XXXXXXXXXX`;
    else if (template.includes('/') && !inTmpdir) path = template;
    else path = `${dir.replace(/\/+$/, '')}/${template}`;
    path += suffix;
    // a directory or template only known at run time: some new name there
    if (path.includes(UNKNOWN)) return { kind: 'text', text: `${dir.includes(UNKNOWN) ? UNKNOWN : dir.replace(/\/+$/, '')}/${UNKNOWN}\n`, from: PLAIN };
    const abs = path.startsWith('/') ? path : call.scope.cwd ? posix.join(call.scope.cwd, path) : `${UNKNOWN}/${path}`;
    return { kind: 'text', text: `${abs}\n`, from: PLAIN };
  },
  apply_patch: (call) => applyEnvelope(call),
  applypatch: (call) => applyEnvelope(call),
};
