/**
 * Judging the paths a command reads, writes, deletes or changes: self-protection, secrets, system
 * zones, the workspace. Every route (redirections, rm, cp/mv targets, tee, sed -i, interpreter
 * one-liners, apply_patch) comes through here.
 */
import { posix } from 'node:path';
import type { Run } from './run.js';
import {
  containsProtectedRoot,
  inWorkspace,
  isAuthorizedKeys,
  isAutostart,
  isCredentialDir,
  isCriticalSystemFile,
  isDevice,
  isGitHook,
  isHistoryFile,
  isHarmlessSpecial,
  isShellRc,
  isStrictlyUnder,
  isSystem,
  isTemp,
  isUnder,
  normalizeAbsolute,
  protectedKind,
  type SecretKind,
  globSecretKind,
  secretsInside,
  secretKind,
} from './pathZones.js';
import { UNKNOWN } from './shellValue.js';
import { PLACEHOLDER_NUMBER, globToRegexSource } from './wordEval.js';

/** How much of a path an operation covers. */
export type PathScope =
  /** The path itself. */
  | 'exact'
  /** Everything inside the path (`dir/*`): as bad as the path itself for deletes. */
  | 'contents'
  /** Some entries somewhere under the path (`dir/*.log`, `dir/$X`). */
  | 'under';

/** A path a command names, resolved. */
export interface PathRef {
  /** Absolute, normalized path as written (the directory for `contents`/`under`). */
  path: string;
  /** The same with symlinks resolved (equal to `path` when nothing is a link). */
  real: string;
  scope: PathScope;
  /** For `under` with a glob in the next component: that component's pattern. */
  pattern?: string;
  /** The text as written (for reasons). */
  raw: string;
  /** For a path with glob characters (`~/.ss?/id_*`): the whole absolute pattern, so a read can be matched against secrets. */
  glob?: string;
  /**
   * For a path with a part only known at run time (`/proc/$PPID/environ`): the whole path with
   * that part standing for one unknown component, so a read can still be matched against secrets.
   */
  sample?: string;
}

/** What stands for a part of a path only known at run time, in {@link PathRef.sample}. */
const UNKNOWN_COMPONENT = '\u0001';

/** `/proc/self/cwd`, `/proc/self/root` (and the shell's own pid, `/proc/$$/…`), at the start of a path. */
const PROC_SELF_DIR = new RegExp(`^/proc/(?:self|thread-self|${PLACEHOLDER_NUMBER})/(?:task/[^/]+/)?(cwd|root)(?=/|$)`);

/** Resolve a word's text to a path, or null when it cannot be known. */
export function resolvePathText(run: Run, raw: string, cwd: string | null, opts: { glob?: boolean } = {}): PathRef | null {
  if (raw === '' || raw === UNKNOWN) return null;
  // `/proc/self/cwd` is the working directory and `/proc/self/root` the root (`/proc/self/cwd/../.netrc`);
  // the shell's own pid (`/proc/$$/cwd`) is the same process's
  let text = cwd !== null ? raw.replace(PROC_SELF_DIR, (_m, which: string) => (which === 'cwd' ? cwd : '')) || '/' : raw;
  let scope: PathScope = 'exact';
  let pattern: string | undefined;
  let sample: string | undefined;
  const dyn = text.indexOf(UNKNOWN);
  if (dyn >= 0 && (text.startsWith('/') || cwd !== null)) {
    const whole = text.split(UNKNOWN).join(UNKNOWN_COMPONENT);
    sample = normalizeAbsolute(whole.startsWith('/') ? whole : posix.join(cwd as string, whole));
  }
  if (dyn >= 0) {
    const prefix = text.slice(0, dyn);
    const slash = prefix.lastIndexOf('/');
    // `$X`, `foo$X`: could be anything. `/$X`: anything under the root.
    if (slash < 0) return null;
    text = prefix.slice(0, slash) || '/';
    scope = 'under';
  }
  let glob: string | undefined;
  if (dyn < 0 && /[*?[]/.test(text) && (text.startsWith('/') || cwd !== null))
    glob = normalizeAbsolute(text.startsWith('/') ? text : posix.join(cwd as string, text));
  if (opts.glob && scope === 'exact' && /[*?[]/.test(text)) {
    const parts = text.split('/');
    const gi = parts.findIndex((p) => /[*?[]/.test(p));
    const comp = parts[gi]!;
    const dir = parts.slice(0, gi).join('/') || (text.startsWith('/') ? '/' : '.');
    const last = gi === parts.length - 1 || parts.slice(gi + 1).every((p) => p === '');
    if (last && /^(?:\*|\.\*|\*\.\*|\.\[!.\]\*|\.\?\*|\[\.\]\*)$/.test(comp)) scope = 'contents';
    else {
      scope = 'under';
      pattern = comp;
    }
    text = dir;
  }
  let abs: string;
  if (text.startsWith('/')) abs = normalizeAbsolute(text);
  else {
    if (cwd === null) return null;
    abs = normalizeAbsolute(posix.join(cwd, text));
  }
  const linked = followCommandLinks(run, abs);
  const real = normalizeAbsolute(run.resolver(linked));
  const ref: PathRef = { path: abs, real, scope, raw };
  if (pattern !== undefined) ref.pattern = pattern;
  if (sample !== undefined) ref.sample = sample;
  if (glob !== undefined) ref.glob = glob;
  return ref;
}

/** Apply symlinks created earlier in this command (`ln -s ~/.vaibot x && echo > x/policy.yaml`). */
function followCommandLinks(run: Run, abs: string): string {
  for (const [link, target] of run.links) {
    if (isUnder(abs, link)) return normalizeAbsolute(target + abs.slice(link.length));
  }
  return abs;
}

/** Both spellings of a reference (as written and resolved), deduplicated. */
function spellings(ref: PathRef): string[] {
  return ref.real !== ref.path ? [ref.path, ref.real] : [ref.path];
}

/** A representative path strictly under `dir` for `under` references. */
function childOf(dir: string): string {
  return dir === '/' ? '/\u0001' : dir + '/\u0001';
}

/** Does a glob pattern (one component) match the next component of `target` below `dir`? */
function patternReaches(dir: string, pattern: string | undefined, target: string): boolean {
  if (!isStrictlyUnder(target, dir)) return false;
  if (pattern === undefined) return true;
  const rest = target.slice(dir === '/' ? 1 : dir.length + 1);
  const next = rest.split('/')[0]!;
  try {
    return new RegExp('^(?:' + globToRegexSource(pattern) + ')$').test(next);
  } catch {
    return true;
  }
}

const show = (ref: PathRef) => (ref.real !== ref.path ? `${ref.raw} (-> ${ref.real})` : ref.raw);

/** Judge deleting (or moving away) a path. */
export function judgeDelete(run: Run, ref: PathRef | null, opts: { recursive: boolean; verb: string }): void {
  const z = run.zones;
  if (ref === null) {
    if (opts.recursive) run.add('fs.rm-dynamic-target', `${opts.verb} recursively deletes a path only known at run time`);
    return;
  }
  for (const p of spellings(ref)) run.touch(p, 'delete');
  const hit = (_rank: number, fn: () => void) => fn();
  for (const p of spellings(ref)) {
    const whole = ref.scope !== 'under';
    const target = whole ? p : childOf(p);
    // Self-protection: the protected tree itself, inside it, or an ancestor (taking it along).
    const protectedHit =
      protectedKind(target, z) !== null ||
      (whole && containsProtectedRoot(p, z) && p !== '/' && p !== z.home) ||
      (!whole && z.protectedRoots.some((root) => patternReaches(p, ref.pattern, root)));
    if (protectedHit) hit(5, () => run.add('self.write-protected', `${opts.verb} deletes ${show(ref)}, which VAIBOT or Codex needs`));
    if (whole && p === '/') {
      hit(5, () => run.add('fs.rm-root', `${opts.verb} deletes ${ref.scope === 'contents' ? 'everything in ' : ''}the filesystem root (${show(ref)})`));
      continue;
    }
    if (whole && isUnder(z.home, p)) {
      hit(5, () => run.add('fs.rm-home', `${opts.verb} deletes ${ref.scope === 'contents' ? 'everything in ' : ''}the home directory (${show(ref)})`));
      continue;
    }
    if (!whole && p === '/') {
      hit(5, () => run.add('fs.rm-system', `${opts.verb} deletes entries directly under / (${show(ref)})`));
      continue;
    }
    // the whole workspace, or (in a repository) the directory the session works in or one above it
    const holdsCwd = z.workspace !== null && z.cwd !== z.workspace && isUnder(z.cwd, p) && isUnder(p, z.workspace);
    if (whole && z.workspace !== null && (isUnder(z.workspace, p) || holdsCwd) && (opts.recursive || ref.scope === 'contents')) {
      if (isSystem(p, z)) hit(5, () => run.add('fs.rm-system', `${opts.verb} deletes the system directory ${show(ref)}`));
      else hit(3, () => run.add('fs.rm-workspace-root', `${opts.verb} deletes ${p === z.workspace ? 'the whole workspace' : holdsCwd ? 'the directory the session works in' : 'a directory containing the workspace'} (${show(ref)})`));
      continue;
    }
    // A home directory inside a temp tree (CI, sandboxes) is still a home: temp only counts outside it.
    if (inWorkspace(target, z) || (isTemp(target) && !isUnder(target, z.home))) {
      if (opts.recursive && /(?:^|\/)\.git$/.test(p) && whole && inWorkspace(target, z)) hit(3, () => run.add('vcs.rm-git-dir', `${opts.verb} deletes the git repository ${show(ref)}`));
      continue;
    }
    if (isSystem(target, z) || (whole && isSystem(p, z))) {
      hit(5, () => run.add('fs.rm-system', `${opts.verb} deletes ${show(ref)} in a system directory`));
      continue;
    }
    if (isHarmlessSpecial(target)) continue;
    if (isStrictlyUnder(target, z.home)) {
      const cache = HOME_CACHE.test(
        target.slice(z.home.length + 1),
      );
      // a package manager's or build tool's cache is rebuilt on demand: clearing it is routine
      if (cache) continue;
      if (opts.recursive && !cache) hit(5, () => run.add('fs.rm-home-subtree', `${opts.verb} recursively deletes ${show(ref)} in the home directory, outside the workspace`));
      else hit(3, () => run.add('fs.rm-outside-workspace', `${opts.verb} deletes ${show(ref)} outside the workspace`));
      continue;
    }
    hit(3, () => run.add('fs.rm-outside-workspace', `${opts.verb} deletes ${show(ref)} outside the workspace`));
  }
}

/**
 * Package managers' and build tools' caches under home (relative to it): rebuilt on demand, so
 * clearing them is routine. Only caches: not installed tools, credentials or state (`~/.expo`,
 * `~/.gem`, Xcode's Archives stay out).
 */
const HOME_CACHE = new RegExp(`^(?:${[
  String.raw`\.cache`, String.raw`\.npm`, String.raw`\.yarn`, String.raw`\.pnpm-store`, String.raw`\.local\/share\/pnpm`, String.raw`\.bun\/install\/cache`,
  String.raw`\.gradle\/(?:caches|wrapper\/dists|daemon)`, String.raw`\.m2\/repository`, String.raw`\.ivy2\/cache`, String.raw`\.sbt\/boot`,
  String.raw`\.cargo\/(?:registry|git)`, String.raw`go\/pkg\/mod`, String.raw`\.nuget\/packages`, String.raw`\.pub-cache`, String.raw`\.cabal\/packages`,
  String.raw`\.composer\/cache`, String.raw`\.conda\/pkgs`, String.raw`\.node-gyp`, String.raw`\.electron-gyp`, String.raw`\.ccache`,
  String.raw`\.cocoapods\/repos`, String.raw`\.android\/(?:cache|build-cache)`, String.raw`\.terraform\.d\/plugin-cache`, String.raw`\.kube\/(?:cache|http-cache)`, String.raw`\.minikube\/cache`,
  String.raw`Library\/Caches`, String.raw`Library\/Developer\/Xcode\/DerivedData`, String.raw`Library\/Developer\/CoreSimulator\/Caches`,
].join('|')})(?:\/|$)`);

/** Text that, loaded by a future shell, changes how VAIBOT's hooks run or which Codex starts. */
const GUARD_SETTING = /VAIBOT|CODEX_HOME|NODE_OPTIONS|\balias\s+codex\b|\bcodex\s*\(\s*\)|function\s+codex\b|--disable[= ]+(?:codex_)?hooks/i;

/** An assignment of a setting that changes how VAIBOT's hooks run. */
const GUARD_ASSIGNMENT = /(?:^|[\s;'"])(?:export\s+)?(?:VAIBOT_\w+|CODEX_HOME|NODE_OPTIONS)=/m;

/**
 * Judge writing (creating, overwriting, appending, truncating) a file. `content` is what is written
 * when known; `keyed`: a tool edits one known key of a configuration file (`git config --global`),
 * judged by the key's meaning elsewhere, so the file is not taken as replaced.
 */
export function judgeWrite(run: Run, ref: PathRef | null, opts: { verb: string; content?: string; keyed?: boolean }): void {
  if (ref === null) return;
  const z = run.zones;
  for (const p of spellings(ref)) {
    const target = ref.scope === 'under' ? childOf(p) : p;
    run.touch(p, 'write');
    if (protectedKind(target, z) !== null || (ref.scope === 'under' && z.protectedRoots.some((root) => patternReaches(p, ref.pattern, root)))) {
      run.add('self.write-protected', `${opts.verb} writes ${show(ref)}, which VAIBOT or Codex relies on`);
      continue;
    }
    if (isDevice(target)) {
      run.add('fs.device-write', `${opts.verb} writes directly to the device ${show(ref)}`);
      continue;
    }
    if (isHarmlessSpecial(target)) continue;
    if (isAuthorizedKeys(target, z)) {
      run.add('persist.ssh-authorized-keys', `${opts.verb} modifies ${show(ref)}, granting SSH access`);
      continue;
    }
    if (isCredentialDir(target, z)) {
      run.add('secrets.write-credentials', `${opts.verb} writes ${show(ref)} in a credentials directory`);
      continue;
    }
    const rc = isShellRc(target, z);
    // also any file under home that assigns VAIBOT_* or CODEX_HOME (a script some rc file sources)
    const homeScript = isStrictlyUnder(target, z.home) && !inWorkspace(target, z) && GUARD_ASSIGNMENT.test(opts.content ?? run.text);
    if (((rc || /(?:^|\/)\.envrc$/.test(target)) && (GUARD_SETTING.test(opts.content ?? '') || GUARD_SETTING.test(run.text))) || homeScript)
      run.add('self.vaibot-env-in-rc', `${opts.verb} puts settings that change how VAIBOT or Codex's hooks run in ${show(ref)}, which future shells load`);
    if (rc) {
      run.add('persist.shell-rc', `${opts.verb} modifies the shell startup file ${show(ref)}`);
      continue;
    }
    if (isAutostart(target, z)) {
      run.add('persist.autostart', `${opts.verb} writes ${show(ref)}, which starts automatically`);
      continue;
    }
    if (isGitHook(target)) {
      run.add('persist.git-hook', `${opts.verb} writes the git hook ${show(ref)}`);
      continue;
    }
    if (isHistoryFile(target, z)) {
      run.add('fs.erase-history', `${opts.verb} writes ${show(ref)}, the record of what was run there`);
      continue;
    }
    if (isCriticalSystemFile(target)) {
      run.add('fs.write-system-critical', `${opts.verb} overwrites the critical system file ${show(ref)}`);
      continue;
    }
    if (inWorkspace(target, z) || (isTemp(target) && !isUnder(target, z.home))) continue;
    if (isSystem(target, z)) {
      run.add('fs.write-system', `${opts.verb} writes ${show(ref)} in a system directory`);
      continue;
    }
    // under home: documents, other projects, tools' configuration (their caches aside)
    if (!opts.keyed && isStrictlyUnder(target, z.home) && !isUnder(target, posix.join(z.home, '.cache'))) {
      run.add('fs.write-home', `${opts.verb} writes ${show(ref)} in home, outside the workspace`);
      continue;
    }
    run.add('fs.write-outside-workspace', `${opts.verb} writes ${show(ref)} outside the workspace`);
  }
}

/**
 * A write whose directory is only known at run time, to a file name that starts code or grants
 * access wherever it lands: `> "$(python3 -m site --user-site)/x.pth"`, `> "$D/authorized_keys"`,
 * `> "$(getent passwd me | cut -d: -f6)/.bashrc"`. Other dynamic writes say nothing by their name.
 */
export function judgeDynamicWrite(run: Run, text: string, verb: string): void {
  const at = text.lastIndexOf(UNKNOWN);
  if (at < 0) return;
  const tail = text.slice(at + UNKNOWN.length);
  const base = tail.split('/').pop() ?? '';
  if (!tail.includes('/') || base === '') return;
  const shown = text.split(UNKNOWN).join('…');
  if (/\.pth$|^(?:sitecustomize|usercustomize)\.py$/.test(base)) run.add('persist.autostart', `${verb} writes ${shown}: Python runs it at every start wherever it lands in site-packages`);
  else if (/^authorized_keys2?$/.test(base)) run.add('persist.ssh-authorized-keys', `${verb} writes ${shown}, an SSH authorized_keys file`);
  else if (base !== '.envrc' && base !== '.inputrc' && isShellRc(posix.join(run.zones.home, base), run.zones)) run.add('persist.shell-rc', `${verb} writes ${shown}, a shell startup file`);
}

/** Judge changing metadata or linking (chmod, chown, touch, ln, chattr): self-protection only. */
export function judgeMeta(run: Run, ref: PathRef | null, opts: { verb: string }): void {
  if (ref === null) return;
  for (const p of spellings(ref)) {
    const target = ref.scope === 'under' ? childOf(p) : p;
    run.touch(p, 'write');
    if (protectedKind(target, run.zones) !== null)
      run.add('self.write-protected', `${opts.verb} changes ${show(ref)}, which VAIBOT or Codex relies on`);
  }
}

/** How a read covers its path, beyond the path itself. */
export interface ReadOptions {
  verb: string;
  /**
   * Everything below the path is read (grep -r, tar, cp -r). Default: true for `contents` scope
   * not produced by a glob (the callers' way of saying "recursive"), except for `/` itself.
   */
  recursive?: boolean;
  /** A recursive read that skips dot-files and dot-directories (rg, ag without --hidden). */
  skipHidden?: boolean;
  /** Only credentials count, not .env files (sourcing a .env file is what it is for). */
  ignoreDotenv?: boolean;
}

/** The kinds of secret one spelling of a read reaches. */
function readSecretKinds(run: Run, ref: PathRef, p: string, opts: ReadOptions): Set<SecretKind> {
  const z = run.zones;
  const kinds = new Set<SecretKind>();
  // A read of a directory containing secrets reads them too (cp -r ~/.ssh, tar czf - ~/.aws).
  const direct =
    secretKind(p, z) ??
    (ref.scope !== 'exact' ? secretKind(childOf(p), z) : null) ??
    (ref.sample !== undefined ? secretKind(ref.sample, z) : null);
  if (direct) kinds.add(direct);
  // implicit (a caller's `contents`): not for the root itself, which container mounts pass (judged by their own rule)
  const recursive = opts.recursive ?? (ref.scope === 'contents' && ref.glob === undefined && p !== '/');
  if (recursive && ref.scope !== 'under') for (const s of secretsInside(p, z, opts.skipHidden ? { skipHidden: true } : {})) kinds.add(s.kind);
  if (ref.glob !== undefined && p === ref.path) {
    const g = globSecretKind(ref.glob, z, recursive);
    if (g) kinds.add(g);
  }
  if (opts.ignoreDotenv) kinds.delete('dotenv');
  // a .env this command itself wrote whole from something that holds no secret (`cp .env.example .env.local`)
  const written = kinds.has('dotenv') && ref.scope === 'exact' ? run.writes.get(p) : undefined;
  if (written && !written.from.secret && !(written.kind === 'text' && written.appended)) kinds.delete('dotenv');
  return kinds;
}

/** Judge reading a file's content. */
export function judgeRead(run: Run, ref: PathRef | null, opts: ReadOptions): 'secret' | null {
  if (ref === null) return null;
  let secret: 'secret' | null = null;
  for (const p of spellings(ref)) {
    run.touch(p, 'read');
    for (const kind of readSecretKinds(run, ref, p, opts)) {
      if (kind === 'self-credentials') run.add('self.read-credentials', `${opts.verb} reads ${show(ref)}, VAIBOT's credentials or keys`);
      else if (kind === 'credentials') run.add('secrets.read-credentials', `${opts.verb} reads ${show(ref)}, which holds credentials`);
      else run.add('secrets.read-dotenv', `${opts.verb} reads ${show(ref)}, which holds secrets`);
      secret = 'secret';
    }
  }
  return secret;
}

/** True when a path is protected (for "unknown program gets a protected path" checks). */
export function isProtectedRef(run: Run, ref: PathRef | null): boolean {
  if (ref === null) return false;
  return spellings(ref).some((p) => protectedKind(ref.scope === 'under' ? childOf(p) : p, run.zones) !== null);
}

/** True when the reference is the root, home, or a system directory (for recursive chmod/chown). */
export function isBroadSystemRef(run: Run, ref: PathRef | null): boolean {
  if (ref === null) return false;
  return spellings(ref).some((p) => p === '/' || isUnder(run.zones.home, p) || (isSystem(p, run.zones) && p.split('/').length <= 3));
}
