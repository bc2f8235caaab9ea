/**
 * The commands a git configuration file makes git run: `core.fsmonitor`, `core.pager`,
 * `core.sshCommand`, `!`-aliases, diff/merge/filter drivers, credential helpers, `ext::` remotes,
 * and keys that point git at other code (`core.hooksPath`, `include.path`).
 */

/** One configuration entry that makes git run something. */
export interface GitConfigCommand {
  /** The full key, lower-case (`core.fsmonitor`, `alias.st`). */
  key: string;
  /** The value, unquoted. */
  value: string;
  /** How git uses it: a shell command, arguments to git itself (a plain alias), or a path to code. */
  runs: 'shell' | 'git' | 'path';
}

/** Keys whose value is a shell command (section.[subsection.]name, lower-case). */
const SHELL_KEYS = /^(?:core\.(?:fsmonitor|pager|editor|sshcommand|askpass|gitproxy)|sequence\.editor|diff\.external|diff\.[^.]+\.(?:textconv|command)|difftool\.[^.]+\.cmd|mergetool\.[^.]+\.cmd|merge\.[^.]+\.driver|filter\.[^.]+\.(?:clean|smudge|process)|credential(?:\..+)?\.helper|gpg(?:\.[^.]+)?\.program|pager\.[^.]+|uploadpack\.packobjectshook|interactive\.difffilter|web\.browser|browser\.[^.]+\.cmd|man\.[^.]+\.cmd|remote\.[^.]+\.(?:uploadpack|receivepack)|ssh\.variant)$/;
/** Keys whose value names code or configuration git loads. */
const PATH_KEYS = /^(?:core\.hookspath|include\.path|includeif\..+\.path|init\.templatedir)$/;
/** The last component of a command key, for lines whose section is not in the text (an edit's added lines). */
const BARE_SHELL_NAMES = /^(?:fsmonitor|pager|editor|sshcommand|askpass|gitproxy|textconv|external|driver|clean|smudge|process|helper|program|packobjectshook|difffilter)$/;

/** Unquote a git config value and drop a trailing comment. */
function configValue(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[++i]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'b' ? '' : n;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
}

/** How a key's value is used, or null when git does not run it. */
function kindOf(key: string, value: string, sectionKnown: boolean): GitConfigCommand['runs'] | null {
  if (key.startsWith('alias.')) return value.startsWith('!') ? 'shell' : 'git';
  if (/^remote\.[^.]+\.(?:url|pushurl)$/.test(key)) return /^ext::/i.test(value) ? 'shell' : null;
  if (PATH_KEYS.test(key)) return 'path';
  const shellKey = sectionKnown ? SHELL_KEYS.test(key) : BARE_SHELL_NAMES.test(key.slice(key.lastIndexOf('.') + 1));
  if (!shellKey) return null;
  // booleans switch a feature (pager.log = false, core.fsmonitor = true) rather than name a command
  if (/^(?:true|false|yes|no|on|off|0|1|)$/i.test(value)) return null;
  return 'shell';
}

/** How git uses `key = value` set on its own (`git config KEY VALUE`), or null when git does not run it. */
export function gitConfigEntryRuns(key: string, value: string): GitConfigCommand['runs'] | null {
  return kindOf(key.toLowerCase(), value, true);
}

/** The shell text of a command entry (the `!` of an alias and the `ext::` of a remote dropped). */
export function gitConfigShellText(c: GitConfigCommand): string {
  if (c.runs === 'git') return `git ${c.value}`;
  return c.value.replace(/^!/, '').replace(/^ext::/i, '').replace(/%(?:S|s|G)/g, 'x');
}

/** Every entry of a git config text that makes git run something. */
export function gitConfigCommands(text: string): GitConfigCommand[] {
  const out: GitConfigCommand[] = [];
  let section: string | null = null;
  for (const line of text.replace(/\\\r?\n/g, '').split(/\r?\n/)) {
    const head = /^\s*\[\s*([\w.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(.*)$/.exec(line);
    let body = line;
    if (head) {
      section = head[1]!.toLowerCase() + (head[2] !== undefined ? `.${head[2]}` : '');
      body = head[3] ?? '';
    }
    const kv = /^\s*([A-Za-z][\w-]*)\s*(?:=\s*(.*))?$/.exec(body);
    if (!kv || kv[2] === undefined) continue;
    const name = kv[1]!.toLowerCase();
    const key = section !== null ? `${section}.${name}` : name;
    const value = configValue(kv[2]);
    const runs = kindOf(key, value, section !== null);
    if (runs) out.push({ key, value, runs });
  }
  return out;
}

/** True for a path git reads configuration from (repository, user or system config). */
export function isGitConfigPath(path: string, home: string): boolean {
  return /\/\.git\/(?:config|modules\/.+\/config|worktrees\/[^/]+\/config\.worktree|config\.worktree)$/.test(path) || path === `${home}/.gitconfig` || path === `${home}/.config/git/config` || path === '/etc/gitconfig';
}
