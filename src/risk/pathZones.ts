/**
 * Facts about absolute paths: which zone of the machine they fall in (root, home, system, temp,
 * workspace), whether VAIBOT protects them, whether they hold secrets. Pure string logic.
 */
import { posix } from 'node:path';
import { globToRegexSource } from './wordEval.js';

/** True when `path` is `dir` or inside it. */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '/') return path.startsWith('/');
  return path === dir || path.startsWith(dir + '/');
}

/** True when `path` is strictly inside `dir`. */
export function isStrictlyUnder(path: string, dir: string): boolean {
  return path !== dir && isUnder(path, dir);
}

/** Normalize an absolute path lexically (`..`, `.`, duplicate and trailing slashes). */
export function normalizeAbsolute(path: string): string {
  const n = posix.normalize(path);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** The machine's zones as the classifier sees them, computed once per classify call. */
export interface Zones {
  home: string;
  /**
   * The workspace: the repository holding the call's cwd when there is one, else the cwd; null when
   * it is `/`, home, or an ancestor of home (no safe zone then).
   */
  workspace: string | null;
  /** The call's working directory (normalized), inside the workspace when there is one. */
  cwd: string;
  /** The repository found to hold the cwd, when it is the workspace (what `git rev-parse --show-toplevel` prints). */
  repository: string | null;
  vaibotHome: string;
  codexHome: string;
  /** Extra protected paths (policy files, ...) plus the defaults. */
  protectedRoots: string[];
}

/** Build the zones for one call. */
export function makeZones(opts: {
  home: string;
  cwd: string;
  vaibotHome: string;
  codexHome: string;
  protectedPaths?: string[];
  /** The repository that holds `cwd` (its top level), when known. */
  repositoryRoot?: string | null;
}): Zones {
  const home = normalizeAbsolute(opts.home);
  const cwd = normalizeAbsolute(opts.cwd);
  const safe = (dir: string): boolean => dir !== '/' && !isUnder(home, dir);
  // a repository root counts only when it holds the cwd and is itself a safe zone (a dotfiles
  // repository at home, or one at /, does not make home or the whole machine the workspace)
  const root = opts.repositoryRoot ? normalizeAbsolute(opts.repositoryRoot) : null;
  const repository = root !== null && isUnder(cwd, root) && safe(root) ? root : null;
  const workspace = repository ?? (safe(cwd) ? cwd : null);
  const vaibotHome = normalizeAbsolute(opts.vaibotHome);
  const codexHome = normalizeAbsolute(opts.codexHome);
  const roots = new Set<string>([vaibotHome, codexHome, posix.join(home, '.vaibot'), posix.join(home, '.codex')]);
  for (const p of opts.protectedPaths ?? []) if (p.startsWith('/')) roots.add(normalizeAbsolute(p));
  return { home, workspace, cwd, repository, vaibotHome, codexHome, protectedRoots: [...roots] };
}

/** System directories: deleting in them breaks the machine; writing needs approval. */
const SYSTEM_DIRS = [
  '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/var', '/opt', '/sys',
  '/proc', '/dev', '/srv', '/root', '/snap', '/nix', '/run', '/System', '/Library', '/Applications',
  '/private', '/cores', '/Volumes', '/efi',
];

/** Temporary directories: fair game for the agent. */
const TEMP_DIRS = ['/tmp', '/var/tmp', '/private/tmp', '/private/var/tmp', '/var/folders', '/private/var/folders', '/dev/shm'];

/** Special files that are harmless to write or read. */
const HARMLESS_DEVICES = new Set([
  '/dev/null', '/dev/zero', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty', '/dev/random', '/dev/urandom', '/dev/full',
]);

/** True for temp directories and their contents. */
export function isTemp(path: string): boolean {
  return TEMP_DIRS.some((d) => isUnder(path, d));
}

/**
 * True for system directories and their contents (temp directories excluded). Given the zones, the
 * user's own home is never "system", even where it lives in one (root's /root, a service account's
 * /var/lib/jenkins): it is judged as home.
 */
export function isSystem(path: string, z?: Zones): boolean {
  if (isTemp(path) || isHarmlessSpecial(path)) return false;
  if (z && z.home !== '/' && isUnder(path, z.home)) return false;
  return SYSTEM_DIRS.some((d) => isUnder(path, d));
}

/** True for /dev/null, /dev/stdout, /dev/fd/N and the like. */
export function isHarmlessSpecial(path: string): boolean {
  return HARMLESS_DEVICES.has(path) || path.startsWith('/dev/fd/') || path.startsWith('/proc/self/fd/') || isUnder(path, '/dev/shm');
}

/** True for the names of a process's standard input (`/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`). */
export function isStdinDevice(path: string): boolean {
  return path === '/dev/stdin' || path === '/dev/fd/0' || path === '/proc/self/fd/0';
}

/** True for block devices and raw memory: writing them destroys data below the filesystem. */
export function isDevice(path: string): boolean {
  return (
    /^\/dev\/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|rdisk\d|disk\/|mapper\/|md\d|md\/|dm-\d|loop\d|sr\d|sg\d|nbd\d|zram\d|zd\d|rbd\d|bcache\d|drbd\d|mtd\d|mtdblock\d|ubi|root$|mem$|kmem$|port$)/.test(path) ||
    // a volume group's logical volume: /dev/<vg>/<lv> (directories of other kinds excepted)
    /^\/dev\/(?!pts\/|fd\/|shm\/|mqueue\/|hugepages\/|input\/|snd\/|dri\/|net\/|bus\/|char\/|cpu\/|usb\/|block\/|v4l\/|serial\/)[^/]+\/[^/]+$/.test(path)
  );
}

/** Critical system files: overwriting them can lock the user out or brick the machine. */
export function isCriticalSystemFile(path: string): boolean {
  return (
    /^\/etc\/(?:passwd|shadow|group|gshadow|sudoers|sudoers\.d(?:\/.*)?|fstab|hosts|pam\.d(?:\/.*)?|ssh\/sshd_config|security(?:\/.*)?|ld\.so\.preload)$/.test(path) ||
    isUnder(path, '/boot') ||
    isUnder(path, '/bin') ||
    isUnder(path, '/sbin') ||
    isUnder(path, '/usr/bin') ||
    isUnder(path, '/usr/sbin') ||
    isUnder(path, '/lib') ||
    isUnder(path, '/usr/lib') ||
    isUnder(path, '/efi')
  );
}

/** Which protected tree a path belongs to, if any. */
export type ProtectedKind = 'vaibot' | 'codex' | 'project-policy' | 'extra';

/** Whether VAIBOT protects this path against writes, deletes, moves, links and chmod. */
export function protectedKind(path: string, z: Zones): ProtectedKind | null {
  if (isUnder(path, z.vaibotHome) || isUnder(path, posix.join(z.home, '.vaibot'))) return 'vaibot';
  if (isUnder(path, z.codexHome) || isUnder(path, posix.join(z.home, '.codex'))) return 'codex';
  for (const root of z.protectedRoots) if (isUnder(path, root)) return 'extra';
  // A project's own policy (any .vaibot directory) and a project's Codex config or hooks.
  if (/(?:^|\/)\.vaibot(?:\/|$)/.test(path)) return 'project-policy';
  if (/(?:^|\/)\.codex\/(?:config\.toml|hooks\.json|hooks(?:\/|$)|plugins(?:\/|$))/.test(path) || /(?:^|\/)\.codex$/.test(path)) return 'codex';
  // Codex plugin sources (a marketplace's listing, a plugin's manifest) and VAIBOT's own hook bundles
  // wherever they sit: Codex copies them on the next install or upgrade
  if (/(?:^|\/)\.agents\/plugins\/marketplace\.json$|(?:^|\/)\.codex-plugin(?:\/|$)/.test(path)) return 'codex';
  if (/(?:^|\/)plugin\/(?:dist\/(?:hook\.cjs|hookd\.mjs|hook-core\.mjs|hook-remote\.mjs)|hooks\/hooks\.json)$/.test(path)) return 'codex';
  return null;
}

/** True when a path, deleted or moved, would take a protected root with it (including / and home). */
export function containsProtectedRoot(path: string, z: Zones): boolean {
  return z.protectedRoots.some((root) => isStrictlyUnder(root, path));
}

/** How sensitive a path is to read. */
export type SecretKind = 'self-credentials' | 'credentials' | 'dotenv';

const HOME_SECRET_RELATIVE = [
  '.aws', '.azure', '.config/gcloud', '.kube/config', '.docker/config.json', '.netrc', '.git-credentials', '.npmrc',
  '.pypirc', '.gnupg', '.password-store', '.config/gh/hosts.yml', '.config/hub', '.terraform.d/credentials.tfrc.json',
  '.vault-token', '.config/op', '.local/share/keyrings', 'Library/Keychains', '.cargo/credentials', '.cargo/credentials.toml',
  '.gem/credentials', '.m2/settings.xml', '.config/rclone/rclone.conf', '.s3cfg', '.boto', '.pgpass', '.my.cnf',
  '.claude/.credentials.json', '.config/openai', '.mozilla', '.config/google-chrome', '.config/chromium',
  'Library/Application Support/Google/Chrome', '.config/doctl', '.config/heroku', '.netlify', '.fly',
  '.config/git/credentials', '.config/github-copilot', '.config/containers/auth.json', '.config/sops', '.terraformrc',
  '.composer/auth.json', '.config/composer/auth.json', '.config/hcloud', '.config/ngrok', '.databrickscfg', '.snowsql',
  '.config/anthropic', '.wrangler', '.config/.wrangler', '.vercel', '.local/share/com.vercel.cli',
  '.config/configstore/firebase-tools.json', '.huggingface/token', '.cache/huggingface/token', '.ivy2/.credentials',
  '.sbt/credentials', '.oci', '.config/glab-cli', '.lein/credentials.clj.gpg', '.local/share/gh', '.pulumi/credentials.json',
  '.config/helm/registry', '.gradle/gradle.properties', '.m2/settings-security.xml', '.config/stripe', '.cloudflared',
  '.sentryclirc', '.circleci/cli.yml', '.yarnrc.yml', '.config/gh/hosts.yml', '.docker/contexts', '.config/Bitwarden CLI',
  '.config/tea/config.yml',
  // Chromium-family and Electron profiles: saved passwords and session cookies
  '.config/BraveSoftware', '.config/microsoft-edge', '.config/vivaldi', '.config/opera', '.config/Slack', '.config/discord',
  'Library/Application Support/BraveSoftware', 'Library/Application Support/Microsoft Edge', 'Library/Application Support/Slack',
  '.railway', '.config/helm/repositories.yaml',
  // package registries' API keys: Hex (Elixir), pub.dev (Dart), Julia, Conan
  '.kaggle/kaggle.json', '.hex/hex.config', '.config/dart/pub-credentials.json', '.pub-cache/credentials.json', '.julia/servers', '.conan2/credentials.json',
  // saved logins of file-transfer, database and remote-desktop clients
  '.config/filezilla', '.filezilla', '.config/remmina', '.local/share/remmina', '.dbeaver4', '.local/share/DBeaverData',
  '.config/transmission-remote-gtk', '.purple/accounts.xml', '.config/keepassxc', '.thunderbird',
  // data warehouses and hosting platforms' logins, mail and password files
  '.snowflake', '.dbt/profiles.yml', '.config/netlify', '.supabase/access-token', '.config/supabase', '.msmtprc', '.authinfo', '.authinfo.gpg',
  '.config/.jira', '.jira.d', '.local/share/atuin/key', '.config/atuin/key', '.fetchmailrc', '.muttrc', '.config/aerc/accounts.conf',
  // cryptocurrency wallets and keystores
  '.config/solana', '.bitcoin', '.electrum', '.ethereum/keystore', '.config/Exodus', 'Library/Application Support/Exodus',
  'Library/Application Support/Bitcoin', '.foundry/keystores', '.sui/sui_config', '.aptos',
];

/** Files under home that often, not always, carry a credential (private package sources, agent logins): reading them needs approval. */
const HOME_SENSITIVE = [
  '.claude.json', '.bundle/config', '.nuget/NuGet/NuGet.Config', '.config/NuGet/NuGet.Config', '.config/pip/pip.conf', '.pip/pip.conf',
  '.config/Code/User/globalStorage', '.config/Cursor/User/globalStorage', '.pgservice.conf', '.config/gcloud-legacy',
  // coding agents' transcripts: whatever passed through a session, tokens pasted into it included
  '.codex/history.jsonl', '.codex/sessions', '.claude/projects', '.claude/history.jsonl', '.gemini/tmp',
];

/** Files under home that record what was typed or sent (tokens pasted on command lines end up there). */
const HOME_HISTORY = /^\.(?:bash|zsh|sh|ksh|fish|psql|mysql|sqlite|python|node_repl|irb|rediscli|lesshst|mongosh|dbshell)_?history$|^\.local\/share\/fish\/fish_history$|^\.zsh_sessions(?:\/|$)/;

/** A file under home that records what was typed or sent (a shell's or a client's history). */
export function isHistoryFile(path: string, z: Zones): boolean {
  return isStrictlyUnder(path, z.home) && HOME_HISTORY.test(path.slice(z.home.length + 1));
}

/** Secrets the system keeps outside home: host keys, orchestrator credentials, mounted secrets, TLS keys. */
const SYSTEM_SECRET = new RegExp(
  [
    '^/etc/(?:shadow|gshadow|sudoers|security/opasswd)',
    '^/etc/ssh/ssh_host_[^/]*_key$',
    '^/(?:var/)?run/secrets(?:/|$)',
    '^/run/user/[^/]+/containers/auth\\.json$',
    '^/etc/kubernetes/(?:admin|controller-manager|scheduler|kubelet|super-admin)\\.conf$',
    '^/etc/kubernetes/pki(?:/|$)',
    '^/etc/rancher/(?:k3s|rke2)/[^/]*\\.yaml$',
    '^/etc/ssl/private(?:/|$)',
    '^/etc/letsencrypt/(?:live|archive|keys|accounts)(?:/|$)',
    '^/var/lib/kubelet/pods/[^/]+/volumes/kubernetes\\.io~(?:secret|projected)(?:/|$)',
    // any process's environment (tokens the agent and its parents were started with)
    '^/proc/[^/]+/(?:task/[^/]+/)?environ$',
    // other users' private keys and credentials
    '^/home/[^/]+/\\.ssh/(?!.*\\.pub$)(?!known_hosts|authorized_keys|config$)[^/]+$',
    '^/home/[^/]+/\\.(?:aws|azure|gnupg|password-store)(?:/|$)',
    '^/home/[^/]+/\\.(?:netrc|git-credentials|pgpass)$',
  ].join('|'),
);

/** Whether reading a path exposes secrets, and how badly. */
export function secretKind(path: string, z: Zones): SecretKind | null {
  const k = secretPaths(z);
  const base = posix.basename(path);
  if (isUnder(path, z.vaibotHome) || isUnder(path, k.vaibotInHome)) {
    if (base === 'credentials.json' || /\.(?:key|pem)$/.test(base) || /(?:^|\/)keys(?:\/|$)/.test(path.slice(z.vaibotHome.length)))
      return 'self-credentials';
  }
  if (path === k.codexAuth || path === k.codexAuthInHome) return 'credentials';
  if (isUnder(path, k.ssh)) {
    if (path === k.ssh) return 'credentials';
    if (/\.pub$/.test(base) || /^(?:known_hosts(?:\.old)?|config|authorized_keys)$/.test(base)) return null;
    return 'credentials';
  }
  const inHome = isStrictlyUnder(path, z.home);
  if (inHome) {
    for (const root of k.homeSecrets) if (isUnder(path, root)) return 'credentials';
    if (/^\.kube\/config/.test(path.slice(z.home.length + 1))) return 'credentials';
  }
  if (SYSTEM_SECRET.test(path)) return 'credentials';
  // root's home, unless it is the user's own (then the rules above for home apply)
  if (/^\/root(?:\/|$)/.test(path) && !isUnder(z.home, '/root')) return 'credentials';
  if (isHistoryFile(path, z)) return 'dotenv';
  if (inHome) for (const root of k.homeSensitive) if (isUnder(path, root)) return 'dotenv';
  // `.env.example`, `.env.sample.bak`: templates (and copies of them) hold no secrets
  if (/^\.env(?:\..+)?$/.test(base) && !/^\.env\.(?:[\w-]+\.)?(?:example|sample|template|dist|defaults?|schema)(?:\.[\w-]+)?$/.test(base)) return 'dotenv';
  // a .pem named as a certificate (cert.pem, fullchain.pem, ca.pem, server.crt.pem) holds no private key
  const certificate = /\.pem$/.test(base) && /(?:^|[._-])(?:cert|certificate|crt|chain|fullchain|ca|ca-bundle|cacert|root|intermediate|pub|public)(?:[._-]|$)/i.test(base.slice(0, -4)) && !/key|priv/i.test(base);
  if (/^(?:id_rsa|id_dsa|id_ecdsa|id_ed25519)$/.test(base) || (/\.(?:pem|key|p12|pfx|jks|keystore)$/.test(base) && !certificate)) return 'dotenv';
  return null;
}

/** The absolute secret locations of one set of zones, joined once (secretKind runs for every path of every call). */
interface SecretPaths {
  vaibotInHome: string;
  codexAuth: string;
  codexAuthInHome: string;
  ssh: string;
  homeSecrets: string[];
  homeSensitive: string[];
}

const secretPathsByZones = new WeakMap<Zones, SecretPaths>();

function secretPaths(z: Zones): SecretPaths {
  let k = secretPathsByZones.get(z);
  if (!k) {
    k = {
      vaibotInHome: posix.join(z.home, '.vaibot'),
      codexAuth: posix.join(z.codexHome, 'auth.json'),
      codexAuthInHome: posix.join(z.home, '.codex', 'auth.json'),
      ssh: posix.join(z.home, '.ssh'),
      homeSecrets: HOME_SECRET_RELATIVE.map((rel) => posix.join(z.home, rel)),
      homeSensitive: HOME_SENSITIVE.map((rel) => posix.join(z.home, rel)),
    };
    secretPathsByZones.set(z, k);
  }
  return k;
}

/** Shell startup files: a write there runs on every future shell. */
export function isShellRc(path: string, z: Zones): boolean {
  const rel = isStrictlyUnder(path, z.home) ? path.slice(z.home.length + 1) : null;
  if (rel !== null) {
    if (
      /^(?:\.bashrc|\.bash_profile|\.bash_login|\.bash_logout|\.profile|\.zshrc|\.zshenv|\.zprofile|\.zlogin|\.zlogout|\.kshrc|\.mkshrc|\.cshrc|\.tcshrc|\.inputrc|\.pam_environment|\.xprofile|\.xinitrc|\.envrc)$/.test(rel) ||
      /^\.config\/(?:fish\/(?:config\.fish|conf\.d\/.*)|environment\.d\/.*)$/.test(rel) ||
      /^\.oh-my-zsh\/custom\/.*$/.test(rel)
    )
      return true;
  }
  return /^\/etc\/(?:profile|profile\.d\/.*|bash\.bashrc|bashrc|zsh\/.*|zshrc|zshenv|environment)$/.test(path);
}

/** Autostart locations (systemd units, launchd agents, XDG autostart, cron spools, init scripts, Python startup files). */
export function isAutostart(path: string, z: Zones): boolean {
  // Python runs these at every start: site-packages .pth lines (`import …`), site/usercustomize modules
  if (/(?:^|\/)(?:site|dist)-packages\/[^/]+\.pth$|(?:^|\/)(?:sitecustomize|usercustomize)\.py$/.test(path)) return true;
  const rel = isStrictlyUnder(path, z.home) ? path.slice(z.home.length + 1) : null;
  if (rel !== null && /^(?:\.config\/autostart|\.config\/systemd|Library\/LaunchAgents|\.local\/share\/systemd)(?:\/|$)/.test(rel)) return true;
  return /^\/(?:etc\/(?:systemd|init\.d|rc\.local|cron[^/]*|anacrontab|xdg\/autostart)|var\/spool\/cron|Library\/Launch(?:Agents|Daemons)|usr\/lib\/systemd|lib\/systemd)(?:\/|$)/.test(
    path,
  );
}

/** A git hook file (`.git/hooks/<name>`) anywhere. */
export function isGitHook(path: string): boolean {
  return /(?:^|\/)\.git\/hooks\/[^/]+$/.test(path) && !/\.sample$/.test(path);
}

/** ~/.ssh/authorized_keys (and authorized_keys2). */
export function isAuthorizedKeys(path: string, z: Zones): boolean {
  return path === posix.join(z.home, '.ssh', 'authorized_keys') || path === posix.join(z.home, '.ssh', 'authorized_keys2');
}

/** A credentials directory whose contents must not be written (beyond authorized_keys, judged separately). */
export function isCredentialDir(path: string, z: Zones): boolean {
  if (isUnder(path, posix.join(z.home, '.ssh'))) {
    const base = posix.basename(path);
    return !/^(?:known_hosts(?:\.old)?)$/.test(base);
  }
  return ['.aws', '.gnupg', '.azure', '.config/gcloud', '.kube', '.docker', '.password-store'].some((rel) =>
    isUnder(path, posix.join(z.home, rel)),
  );
}

/** True when the path lies inside the workspace (strictly or equal). */
export function inWorkspace(path: string, z: Zones): boolean {
  return z.workspace !== null && isUnder(path, z.workspace);
}

/** Files inside credential directories that name them concretely (for patterns like `~/.ssh/id_*`). */
const HOME_SECRET_FILES = [
  '.ssh/id_rsa', '.ssh/id_ed25519', '.ssh/id_ecdsa', '.ssh/id_dsa', '.aws/credentials', '.aws/config',
  '.config/gcloud/application_default_credentials.json', '.config/gcloud/credentials.db', '.gnupg/private-keys-v1.d',
  '.docker/config.json', '.kube/config', '.password-store/.gpg-id', '.azure/accessTokens.json', '.azure/msal_token_cache.json',
];

/** Secrets kept outside home, as representative paths. */
const SYSTEM_SECRET_SAMPLES = [
  '/etc/shadow', '/etc/gshadow', '/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ed25519_key', '/etc/ssl/private/server.key',
  '/etc/kubernetes/admin.conf', '/etc/kubernetes/pki/ca.key', '/run/secrets/token', '/var/run/secrets/token', '/etc/letsencrypt/live',
];

const samplesByZones = new WeakMap<Zones, string[]>();

/**
 * Representative paths of every known credentials location on this machine (private keys, cloud
 * credentials, VAIBOT's and Codex's own, system secrets): what a recursive read or a glob can reach.
 * Computed once per zones.
 */
export function secretSamples(z: Zones): string[] {
  const cached = samplesByZones.get(z);
  if (cached) return cached;
  const home = z.home;
  const out = new Set<string>();
  for (const rel of HOME_SECRET_FILES) out.add(posix.join(home, rel));
  for (const rel of HOME_SECRET_RELATIVE) out.add(posix.join(home, rel));
  out.add(posix.join(z.codexHome, 'auth.json'));
  out.add(posix.join(home, '.codex', 'auth.json'));
  out.add(posix.join(z.vaibotHome, 'credentials.json'));
  out.add(posix.join(z.vaibotHome, 'keys'));
  for (const p of SYSTEM_SECRET_SAMPLES) out.add(p);
  if (!isUnder(home, '/root')) out.add('/root/.ssh/id_rsa');
  const list = [...out].filter((p) => secretKind(p, z) !== null);
  samplesByZones.set(z, list);
  return list;
}

const SECRET_RANK: Record<SecretKind, number> = { 'self-credentials': 3, credentials: 2, dotenv: 1 };

/** The worse of two secret kinds (null: none). */
export function worseSecret(a: SecretKind | null, b: SecretKind | null): SecretKind | null {
  if (a === null) return b;
  if (b === null) return a;
  return SECRET_RANK[b] > SECRET_RANK[a] ? b : a;
}

/** File names of secrets, to try a name glob against (the glob names a secret when one matches). */
const SECRET_NAMES = ['id_rsa', 'id_ed25519', 'id_ecdsa', 'id_dsa', '.env', '.env.local', '.env.production', 'credentials', 'credentials.json', '.netrc', '.pgpass', '.npmrc', '.pypirc', 'key.pem', 'server.key', 'secrets.json', 'service-account.json', 'terraform.tfstate', '.git-credentials', 'kubeconfig'];

/**
 * A path below `dir` whose name a file-name glob (`find -name`, `grep --include`, `rg -g`) spells
 * as a secret (`.env*`, `id_*`, `*.pem`), for walks that find such a file wherever they go, on disk
 * or not. A glob of wildcards only (`*`) names nothing in particular.
 * @param opts.skipHidden the walk skips dot-files (rg, ag without --hidden)
 */
export function secretNamedBy(dir: string, glob: string, z: Zones, opts: { skipHidden?: boolean } = {}): string | null {
  if (glob.startsWith('!') || glob.includes('/') || glob.replace(/\[[^\]]*\]|[*?{},]/g, '') === '') return null;
  let re: RegExp;
  try {
    re = new RegExp(`^${globToRegexSource(glob)}$`);
  } catch {
    return null;
  }
  for (const name of SECRET_NAMES) {
    if (opts.skipHidden && name.startsWith('.')) continue;
    const candidate = posix.join(dir, 'x', name);
    if (re.test(name) && secretKind(candidate, z) !== null) return candidate;
  }
  return null;
}

/**
 * The credentials locations strictly inside `dir` (a recursive read of `dir` reads them), one per
 * kind of secret. With `skipHidden`, locations reached through a dot-directory below `dir` do not count
 * (`rg` and `ag` skip hidden and binary files unless told otherwise). `name`: only files whose
 * base name it matches.
 */
export function secretsInside(dir: string, z: Zones, opts: { skipHidden?: boolean; name?: RegExp } = {}): { kind: SecretKind; path: string }[] {
  const byKind = new Map<SecretKind, string>();
  for (const s of secretSamples(z)) {
    if (!isStrictlyUnder(s, dir)) continue;
    // (macOS keychains and browser stores outside dot-directories are binary: skipped by the same tools)
    if (opts.skipHidden && /(?:^|\/)\.|^Library\//.test(s.slice(dir === '/' ? 1 : dir.length + 1))) continue;
    if (opts.name && !opts.name.test(posix.basename(s))) continue;
    const k = secretKind(s, z);
    if (k !== null && !byKind.has(k)) byKind.set(k, s);
  }
  return [...byKind].map(([kind, path]) => ({ kind, path }));
}

/** The worst credentials location strictly inside `dir` (see {@link secretsInside}), or null. */
export function secretInside(dir: string, z: Zones, opts: { skipHidden?: boolean; name?: RegExp } = {}): { kind: SecretKind; path: string } | null {
  let best: { kind: SecretKind; path: string } | null = null;
  for (const s of secretsInside(dir, z, opts)) if (worseSecret(best?.kind ?? null, s.kind) !== best?.kind) best = s;
  return best;
}

/** One glob component as a RegExp (`*`, `?`, `[...]`); a leading dot must be matched literally, as in bash. */
function componentMatcher(pattern: string): (name: string) => boolean {
  if (!/[*?[]/.test(pattern)) return (name) => name === pattern;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) src += '\\[';
      else {
        const cls = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        src += '[' + cls + ']';
        i = end;
      }
    } else src += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  let re: RegExp;
  try {
    re = new RegExp('^(?:' + src + ')$');
  } catch {
    return () => true;
  }
  return (name) => (!name.startsWith('.') || pattern.startsWith('.')) && re.test(name);
}

/**
 * The worst secret a glob path (absolute, any component a pattern: `~/.ss?/id_*`) can reach: a
 * credentials location it matches, or one inside what it matches when the read is recursive.
 */
export function globSecretKind(globPath: string, z: Zones, recursive: boolean): SecretKind | null {
  const parts = globPath.split('/').filter((p) => p !== '');
  const matchers = parts.map(componentMatcher);
  let best: SecretKind | null = null;
  for (const s of secretSamples(z)) {
    const sp = s.split('/').filter((p) => p !== '');
    const n = Math.min(parts.length, sp.length);
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = matchers[i]!(sp[i]!);
    if (!ok) continue;
    let kind: SecretKind | null;
    if (parts.length === sp.length) kind = secretKind(s, z);
    else if (parts.length < sp.length) kind = recursive ? secretKind(s, z) : null;
    else kind = secretKind('/' + [...sp, ...parts.slice(sp.length).map((p) => (/[*?[]/.test(p) ? '\u0001' : p))].join('/'), z);
    best = worseSecret(best, kind);
  }
  // secrets that live anywhere (a project's .env, a private key): does the last component reach one?
  // (only a pattern aimed at such names: `*` or `*.txt`-like ones match anything, and a leading dot
  // must be written, as bash wants it)
  const last = matchers[matchers.length - 1];
  const pattern = parts[parts.length - 1] ?? '';
  if (last && !last('zq9x') && !last('zq9x.txt') && parts.slice(0, -1).every((p) => !/[*?[]/.test(p))) {
    for (const name of ANYWHERE_SECRET_SAMPLES) {
      if ((name.startsWith('.') ? pattern.startsWith('.') : true) && last(name)) best = worseSecret(best, secretKind('/' + [...parts.slice(0, -1), name].join('/'), z));
    }
  }
  return best;
}

/** Names of secret files found anywhere, tried against the last component of a glob. */
const ANYWHERE_SECRET_SAMPLES = ['.env', '.env.local', '.env.production', 'id_rsa', 'id_ed25519', 'server.key', 'credentials.json'];
