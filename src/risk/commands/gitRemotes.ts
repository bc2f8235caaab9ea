/**
 * Git remotes re-pointed: `git remote set-url NAME URL` (with `--push`/`--add`), `git remote add
 * origin URL` and `git config remote.NAME.url|pushurl URL`. Every later push of the repository, by
 * the agent or by the human, then goes to that URL: `persist.package-index` (git pointed at another
 * server), as `url.*.insteadOf` is. Adding a remote under another name (`upstream`), or a new
 * repository's first `origin`, changes where nothing was pushed before and is not flagged.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Call } from '../call.js';
import { isLoopbackHost, urlHost } from '../network.js';
import { display } from './support.js';

/** Where a remote URL points, for reasons (`git@host:o/r` and `https://host/…` alike). */
function remoteHost(url: string): string | null {
  const scp = /^[\w.-]+@([\w.-]+):/.exec(url);
  return scp ? scp[1]!.toLowerCase() : urlHost(url);
}

/** A remote URL as `host/owner/repo` (scheme, user, `.git` and case aside), or null. */
function sameRepoKey(url: string): string | null {
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(url);
  const m = scp ? [scp[1], scp[2]] : /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(url)?.slice(1);
  if (!m || !m[0] || !m[1]) return null;
  return `${m[0].toLowerCase()}/${m[1].replace(/\.git\/?$|\/+$/g, '').toLowerCase()}`;
}

/** The URL the repository's own configuration gives remote `name` now, if it can be read. */
function currentRemoteUrl(call: Call, name: string): string | null {
  const root = call.exec.run.zones.repository;
  if (root === null) return null;
  try {
    const text = readFileSync(posix.join(root, '.git', 'config'), 'utf8').slice(0, 262_144);
    const section = new RegExp(`^\\s*\\[remote\\s+"${name.replace(/[\\"\]\[^$.*+?(){}|]/g, '\\$&')}"\\]([\\s\\S]*?)(?=^\\s*\\[|(?![\\s\\S]))`, 'm').exec(text);
    return section ? /^\s*url\s*=\s*(\S+)/m.exec(section[1]!)?.[1] ?? null : null;
  } catch {
    return null;
  }
}

/** Report a remote URL change (unless it points at this machine, a local path, or the same repository as now). */
function repointed(call: Call, name: string, url: string, what: string): void {
  if (!/^(?:[a-z][a-z0-9+.-]*:\/\/|[\w.-]+@[\w.-]+:)/i.test(url)) return; // a local path or bundle
  const host = remoteHost(url);
  if (host !== null && isLoopbackHost(host)) return;
  // the same repository by another protocol (`https://github.com/o/r` -> `git@github.com:o/r.git`)
  const now = currentRemoteUrl(call, name);
  const key = sameRepoKey(url);
  if (now !== null && key !== null && sameRepoKey(now) === key) return;
  call.exec.run.add('persist.package-index', `${what} points the remote ${display(name)} at ${display(url)}: every later push goes there`);
}

/** `git remote …`: judge re-pointing an existing remote. `rest` are the words after `remote`. */
export function judgeGitRemote(call: Call, rest: readonly string[]): void {
  const ops = rest.filter((x) => !x.startsWith('-'));
  const verb = ops[0];
  if (verb === 'set-url' && ops.length >= 3) repointed(call, ops[1]!, ops[2]!, 'git remote set-url');
  // (a new repository's first origin is ordinary setup: only a replaced one counts)
  else if (verb === 'add' && ops[1] === 'origin' && ops[2] && /\bremote\s+(?:rename|rm|remove)\s+origin\b/.test(call.exec.run.text)) repointed(call, 'origin', ops[2], 'git remote add origin');
}

/** `git config remote.NAME.url|pushurl VALUE`. */
export function judgeRemoteConfig(call: Call, key: string, value: string): void {
  const m = /^remote\.(.+)\.(?:url|pushurl)$/i.exec(key);
  if (m) repointed(call, m[1]!, value, `git config ${key}`);
}
