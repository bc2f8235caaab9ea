/**
 * A check every command gets before its handler: what a program that reaches the network carries
 * out of the machine. A secret (a `*_TOKEN` variable, secret-derived output) anywhere in its
 * arguments — a DNS name, a URL path or query, a package spec — is sent (`exfil.upload-secret`),
 * unless it is a credential handed to an authentication option or to a well-known service in a
 * URL's user part. Also: files uploaded by upload-capable CLIs, `git push` to a location named on
 * the command line, static file servers, and reads of process memory.
 */
import type { Call } from '../call.js';
import type { Run } from '../run.js';
import { type ShellWord, UNKNOWN } from '../shellValue.js';
import { judgeFileServer } from './fileServers.js';
import { judgeFileUploads } from './fileUploads.js';
import { judgeProcessMemory } from './processMemory.js';
import { display } from './support.js';

/** Which invocations of a program reach the network: all of them, or those whose subcommand matches. */
type Reach = true | RegExp;

/** Programs that reach the network (curl, ssh, scp and rsync judge their own arguments). */
const NETWORK_PROGRAMS: Record<string, Reach> = {
  // name resolution and diagnostics: the name itself leaves the machine
  dig: true, nslookup: true, host: true, drill: true, kdig: true, delv: true, 'dnsx': true, 'dnsq': true, 'dnsget': true,
  ping: true, ping6: true, fping: true, hping3: true, arping: true, traceroute: true, traceroute6: true, tracepath: true,
  mtr: true, tcptraceroute: true, tcpping: true, whois: true, nmap: true, masscan: true, 'httping': true,
  resolvectl: /^query$/, getent: /^a?hosts(?:v[46])?$/,
  // fetchers and raw clients
  wget: true, wget2: true, aria2c: true, axel: true, lynx: true, w3m: true, links: true, elinks: true,
  http: true, https: true, xh: true, xhs: true, nc: true, ncat: true, netcat: true, socat: true, telnet: true,
  ftp: true, lftp: true, tftp: true, smbclient: true, openssl: /^s_client$/,
  mail: true, mailx: true, mutt: true, neomutt: true, sendmail: true, msmtp: true, swaks: true,
  // version control
  git: /^(?:clone|fetch|pull|push|ls-remote|submodule|remote|archive|send-email|request-pull)$/,
  hg: /^(?:clone|pull|push|incoming|outgoing|in|out)$/,
  svn: /^(?:checkout|co|export|import|commit|ci|update|up|ls|list|cat|info|switch|sw)$/,
  // package managers fetching packages by name or URL
  npm: /^(?:install|i|add|ci|update|upgrade|up|exec|x|view|info|show|v|search|create|init|audit|outdated|ping|dist-tag)$/,
  pnpm: /^(?:install|i|add|update|upgrade|up|dlx|exec|view|info|create|audit|outdated)$/,
  yarn: /^(?:install|add|upgrade|up|dlx|info|create|npm)$/,
  bun: /^(?:install|i|add|update|x|create)$/,
  npx: true, pnpx: true, bunx: true, uvx: true,
  pip: /^(?:install|download|wheel|index|search)$/, pipx: /^(?:install|run|inject)$/, uv: /^(?:add|pip|tool)$/,
  poetry: /^(?:add|source)$/, conda: /^(?:install|create)$/, mamba: /^(?:install|create)$/,
  go: /^(?:get|install|mod)$/, cargo: /^(?:install|add|search|fetch)$/, gem: /^(?:install|fetch|search|sources)$/,
  composer: /^(?:require|create-project)$/, brew: /^(?:install|fetch|tap|reinstall)$/,
  docker: /^(?:pull|push|search)$/, podman: /^(?:pull|push|search)$/, helm: /^(?:repo|pull|push|fetch)$/,
  // storage and hosting CLIs moving files
  gsutil: /^(?:cp|mv|rsync|ls|cat)$/, azcopy: /^(?:copy|cp|sync)$/, rclone: /^(?:copy|copyto|sync|move|moveto|copyurl|rcat|ls|lsd)$/,
  s3cmd: /^(?:put|get|sync|cp|mv|ls)$/, mc: /^(?:cp|mv|mirror|put|pipe|ls|cat)$/, b2: /^(?:upload-file|upload_file|sync|file)$/,
  gh: /^(?:api|gist|issue|pr|release|repo|search|browse|discussion)$/,
  croc: true, wormhole: true, ffsend: true, pastebinit: true,
};

/** Short options that pass credentials, per program (long ones are recognized by name). */
const AUTH_SHORT: Record<string, RegExp> = {
  docker: /^-[up]$/, podman: /^-[up]$/, helm: /^-[up]$/, http: /^-a$/, https: /^-a$/, xh: /^-a$/, xhs: /^-a$/, wget: /^$/,
};

/** Long options whose value is a credential for the service being called (`--password`, `--token`, `--user`). */
const AUTH_OPTION = /^--?[\w-]*(?:pass(?:word|wd|phrase)?|token|auth|user(?:name)?|secret|api-?key|creds?|credentials?|bearer|cookie|login)[\w-]*$/i;

/** Options whose value is a header: a credential only when it is an authentication header. */
const HEADER_OPTION = /^(?:-H|--header|--headers)$/;

/** A value that is itself an authentication header (`Authorization: Bearer …`, `X-Api-Key: …`, `http.extraHeader=…`). */
const AUTH_HEADER = /^(?:[\w.-]*extraheader=)?\s*[\w-]*(?:authorization|auth|token|api-?key|cookie)[\w-]*\s*:/i;

/** Services a credential in a URL's user part is meant for (their own tokens go there in CI scripts). */
const KNOWN_SERVICE = /(?:^|\.)(?:github\.com|githubusercontent\.com|ghcr\.io|gitlab\.com|bitbucket\.org|dev\.azure\.com|visualstudio\.com|codeberg\.org|sr\.ht|huggingface\.co|npmjs\.org|npmjs\.com|pypi\.org|docker\.io|gcr\.io|quay\.io|amazonaws\.com|googlesource\.com|pkg\.dev)$/i;

/** The subcommand of a CLI: its first operand, skipping global options that take a value. */
function subcommand(words: readonly ShellWord[], program: string): string {
  for (let k = 0; k < words.length; k++) {
    const t = words[k]!.text;
    if (!t.startsWith('-')) return t;
    if (program === 'git' && /^(?:-C|-c|--git-dir|--work-tree|--namespace|--config-env)$/.test(t)) k++;
    else if (/^(?:--prefix|-C|--dir|-w|--workspace|--filter|-F|-o|-h|-p|--project|--profile|--config)$/.test(t) && program !== 'git') k++;
  }
  return '';
}

/** The program's table entry name (`pip3.12` → `pip`). */
function tableName(program: string): string {
  return /^pip\d*(?:\.\d+)?$/.test(program) ? 'pip' : program;
}

/** True when this invocation reaches the network. */
function reachesNetwork(call: Call, program: string): boolean {
  const reach = Object.hasOwn(NETWORK_PROGRAMS, program) ? NETWORK_PROGRAMS[program] : undefined;
  if (reach === undefined) return false;
  return reach === true || reach.test(subcommand(call.argWords, program));
}

/** True when a URL's only run-time parts are in its user part, and its host is a well-known service. */
function credentialForService(text: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@([^/?#:]+)(.*)$/is.exec(text);
  return m !== null && m[1]!.includes(UNKNOWN) && !m[2]!.includes(UNKNOWN) && !m[3]!.includes(UNKNOWN) && KNOWN_SERVICE.test(m[2]!);
}

/** The first argument carrying a secret that is not a credential for the service called, if any. */
function leakedSecret(call: Call, program: string): ShellWord | undefined {
  const shortAuth = Object.hasOwn(AUTH_SHORT, program) ? AUTH_SHORT[program] : undefined;
  const words = call.argWords;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    const t = w.text;
    const isOpt = t.startsWith('-') && t.length > 1;
    const eq = t.indexOf('=');
    const name = isOpt && eq > 0 ? t.slice(0, eq) : t;
    if (isOpt && eq < 0 && (AUTH_OPTION.test(name) || shortAuth?.test(name))) {
      k++; // the credential itself
      continue;
    }
    if (isOpt && eq < 0 && HEADER_OPTION.test(name)) {
      const header = words[++k];
      if (header?.from.secret && !AUTH_HEADER.test(header.text)) return header;
      continue;
    }
    if (!w.from.secret) continue;
    if (isOpt && eq > 0 && AUTH_OPTION.test(name)) continue;
    if (AUTH_HEADER.test(isOpt && eq > 0 ? t.slice(eq + 1) : t) || credentialForService(t)) continue;
    return w;
  }
  return undefined;
}

/** Remotes pointed somewhere in this very command (`git remote add x URL`, `set-url origin URL`), per classification. */
const redirectedRemotes = new WeakMap<Run, Map<string, string>>();

/** Operands of a git subcommand (the words after it, options and their values skipped). */
function gitOperands(call: Call): { sub: string; ops: ShellWord[]; words: ShellWord[] } {
  const w = call.argWords;
  let i = 0;
  for (; i < w.length; i++) {
    const t = w[i]!.text;
    // `git -c remote.x.url=URL push x`: this invocation's remote x is URL
    if (t === '-c') {
      const m = /^remote\.(.+)\.(?:push)?url=(.+)$/i.exec(w[i + 1]?.text ?? '');
      if (m) recordRemote(call, 'config', [{ ...w[i + 1]!, text: `remote.${m[1]}.url` }, { ...w[i + 1]!, text: m[2]! }]);
    }
    if (/^(?:-C|-c|--git-dir|--work-tree|--namespace|--config-env)$/.test(t)) i++;
    else if (!t.startsWith('-')) break;
  }
  const rest = w.slice(i + 1);
  const ops: ShellWord[] = [];
  for (let k = 0; k < rest.length; k++) {
    const t = rest[k]!.text;
    if (t === '--') {
      ops.push(...rest.slice(k + 1));
      break;
    }
    if (t.startsWith('-') && t.length > 1) {
      if (/^(?:-o|--push-option|--receive-pack|--exec|-t|--track|-m|--master)$/.test(t)) k++;
      continue;
    }
    ops.push(rest[k]!);
  }
  return { sub: w[i]?.text ?? '', ops, words: rest };
}

/** True when a git repository argument is a location on another machine (URL or `host:path`), not a remote name or local path. */
function isRemoteLocation(t: string): boolean {
  if (/^file:\/\//i.test(t) || t.startsWith('/') || t.startsWith('.') || t.startsWith('~')) return false;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(t) || /^(?:[^@/:\s]+@)?[^/:\s]+:(?!\/\/)/.test(t) || t.includes(UNKNOWN);
}

/** `git remote add|set-url`, `git config remote.X.url`: remember remotes pointed at another machine. */
function recordRemote(call: Call, sub: string, ops: readonly ShellWord[]): void {
  const t = ops.map((o) => o.text);
  let name: string | undefined;
  let url: string | undefined;
  if (sub === 'remote' && (t[0] === 'add' || t[0] === 'set-url')) [name, url] = [t[1], t[t[0] === 'set-url' ? t.length - 1 : 2]];
  if (sub === 'config') {
    const m = /^remote\.(.+)\.(?:push)?url$/i.exec(t[0] ?? '');
    if (m) [name, url] = [m[1], t[1]];
  }
  if (!name || !url || !isRemoteLocation(url)) return;
  let map = redirectedRemotes.get(call.exec.run);
  if (!map) redirectedRemotes.set(call.exec.run, (map = new Map()));
  map.set(name, url);
}

/**
 * `git push` to a location named on the command line (a URL, `host:path`, or a remote this
 * command just added or re-pointed) sends the repository somewhere unreviewed: `exfil.upload-file`.
 * Pushing to the configured remotes (`git push`, `git push origin main`) is normal work.
 */
function judgeGitPush(call: Call): void {
  const { sub, ops, words } = gitOperands(call);
  recordRemote(call, sub, ops);
  if (sub !== 'push') return;
  const repoOpt = words.find((w) => w.text.startsWith('--repo='))?.text.slice(7);
  const repo = repoOpt ?? ops[0]?.text ?? 'origin';
  const redirected = redirectedRemotes.get(call.exec.run)?.get(repo);
  const target = isRemoteLocation(repo) ? repo : redirected;
  if (target !== undefined) call.exec.run.add('exfil.upload-file', `git push sends the repository to ${display(target)}`);
}

/**
 * Judge what a command carries off the machine, before its own handler runs: secrets in the
 * arguments of a program that reaches the network, files uploaded by upload-capable CLIs,
 * `git push` to an ad-hoc location, static file servers and process-memory reads.
 */
export function judgeNetworkReach(call: Call): void {
  const program = tableName(call.program);
  if (reachesNetwork(call, program)) {
    const leaked = leakedSecret(call, program);
    if (leaked) call.exec.run.add('exfil.upload-secret', `${call.program} sends ${display(leaked.text) || 'a value'}, which carries a secret, over the network`);
  }
  if (program === 'git') judgeGitPush(call);
  judgeFileUploads(call);
  judgeFileServer(call);
  judgeProcessMemory(call);
}
