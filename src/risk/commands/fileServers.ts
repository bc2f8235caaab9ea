/**
 * Static file servers (`python3 -m http.server`, `busybox httpd`, `http-server`, `ruby -run -e
 * httpd`, `php -S`, ...): serving a directory lets anyone who reaches the port download it. Serving
 * the workspace is normal work; serving home, `/` or a credentials directory hands out secrets.
 */
import type { Call } from '../call.js';
import { isLoopbackHost } from '../network.js';
import { inWorkspace, isTemp, isUnder, secretInside, secretKind } from '../pathZones.js';
import { type ShellWord, UNKNOWN } from '../shellValue.js';
import { display, pathOf } from './support.js';

/** What a server invocation serves and where it listens. */
interface Served {
  /** The directory served, as written (`.` when it is the working directory). */
  dir: string;
  /** The address it binds, or null for the program's default. */
  bind: string | null;
  /** True when the program binds every interface unless told otherwise. */
  allInterfacesByDefault: boolean;
}

/** How one server program names its directory and address. */
interface ServerSpec {
  /** Options whose value is the directory served. */
  dirOptions: RegExp;
  /** Options whose value is the bind address (`[host:]port` is accepted). */
  bindOptions: RegExp;
  /** Options that take a value (skipped when looking for the directory operand). */
  valueOptions: RegExp;
  /** A directory may be given as the first operand. */
  dirOperand: boolean;
  /** Binds every interface by default. */
  allInterfaces: boolean;
}

const spec = (dirOptions: RegExp, bindOptions: RegExp, valueOptions: RegExp, dirOperand: boolean, allInterfaces = true): ServerSpec => ({
  dirOptions, bindOptions, valueOptions, dirOperand, allInterfaces,
});

/** Server programs run directly (or through npx, busybox, ...), by name. */
const SERVERS: Record<string, ServerSpec> = {
  'http.server': spec(/^(?:-d|--directory)$/, /^(?:-b|--bind)$/, /^(?:-p|--protocol)$/, false),
  SimpleHTTPServer: spec(/^$/, /^$/, /^$/, false),
  httpd: spec(/^-h$/, /^-p$/, /^-[rcum]$/, false),
  'http-server': spec(/^$/, /^(?:-a|--address)$/, /^(?:-p|--port|-c|-e|--ext|-s|-U|-P|--proxy|--username|--password|-C|--cert|-K|--key|--cors|--log-ip|-t|--timeout)$/, true),
  serve: spec(/^$/, /^(?:-l|--listen)$/, /^(?:-p|--port|-c|--config)$/, true),
  'live-server': spec(/^$/, /^--host$/, /^(?:--port|--open|--watch|--ignore|--entry-file|--mount|--proxy|--middleware|--htpasswd|--wait)$/, true),
  miniserve: spec(/^$/, /^(?:-i|--interfaces)$/, /^(?:-p|--port|-a|--auth|-t|--title|-c|--color-scheme|--route-prefix)$/, true),
  darkhttpd: spec(/^$/, /^--addr$/, /^(?:--port|--log|--chroot|--index|--mimetypes|--uid|--gid|--pidfile|--auth)$/, true),
  updog: spec(/^(?:-d|--directory)$/, /^$/, /^(?:-p|--port|--password)$/, false),
  goshs: spec(/^(?:-d|--dir)$/, /^(?:-i|--ip)$/, /^(?:-p|--port|-b|--basic-auth)$/, false),
  'static-server': spec(/^$/, /^(?:-H|--host)$/, /^(?:-p|--port|-i|--index|-f|--follow-symlink)$/, true),
  jwebserver: spec(/^(?:-d|--directory)$/, /^(?:-b|--bind-address)$/, /^(?:-p|--port|-o|--output)$/, false, false),
  webfsd: spec(/^-r$/, /^-i$/, /^(?:-p|-f|-n|-N|-u|-g|-l|-L|-m|-t|-c|-a|-e|-x|-y)$/, false),
};

/** Options that are the served directory or bind address for `ruby -run -e httpd` and `php -S`. */
const RUBY_HTTPD = spec(/^$/, /^(?:-b|--bind-address)$/, /^(?:-p|--port|--max-clients|--temp-dir|--request-timeout|--http-version)$/, true);

/** The python module after `-m`, and the words after it. */
function pythonModule(words: readonly ShellWord[]): { module: string; rest: ShellWord[] } | null {
  for (let k = 0; k < words.length; k++) {
    const t = words[k]!.text;
    if (t === '-m') return { module: words[k + 1]?.text ?? '', rest: words.slice(k + 2) };
    if (/^-m./.test(t)) return { module: t.slice(2), rest: words.slice(k + 1) };
    if (t === '-c' || !t.startsWith('-')) return null;
  }
  return null;
}

/** Read a server's directory and address from its arguments. */
function parseServed(words: readonly ShellWord[], s: ServerSpec): Served {
  let dir: string | null = null;
  let bind: string | null = null;
  for (let k = 0; k < words.length; k++) {
    const t = words[k]!.text;
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    const name = eq > 0 ? t.slice(0, eq) : t;
    const value = () => (eq > 0 ? t.slice(eq + 1) : words[++k]?.text ?? '');
    if (t.startsWith('-') && t.length > 1) {
      if (s.dirOptions.test(name)) dir = value();
      else if (s.bindOptions.test(name)) bind = value();
      else if (s.valueOptions.test(name) && eq < 0) k++;
      continue;
    }
    if (s.dirOperand && dir === null && !/^\d+$/.test(t)) dir = t;
  }
  return { dir: dir ?? '.', bind, allInterfacesByDefault: s.allInterfaces };
}

/** `php -S addr:port [-t DIR]`. */
function phpServed(words: readonly ShellWord[]): Served | null {
  let addr: string | null = null;
  let dir = '.';
  for (let k = 0; k < words.length; k++) {
    const t = words[k]!.text;
    if (t === '-S') addr = words[++k]?.text ?? '';
    else if (t.startsWith('-S')) addr = t.slice(2);
    else if (t === '-t') dir = words[++k]?.text ?? '.';
    else if (t.startsWith('-t')) dir = t.slice(2);
  }
  return addr === null ? null : { dir, bind: addr, allInterfacesByDefault: false };
}

/** `ruby -run -e httpd [DIR] [-p PORT] [-b ADDR]` (also `-ehttpd`, `-r un -e httpd`). */
function rubyServed(words: readonly ShellWord[]): Served | null {
  const texts = words.map((w) => w.text);
  const un = texts.some((t, k) => t === '-run' || (t === '-r' && texts[k + 1] === 'un') || t === '-run.rb');
  if (!un) return null;
  const e = texts.findIndex((t, k) => (t === '-e' && texts[k + 1] === 'httpd') || t === '-ehttpd');
  if (e < 0) return null;
  return parseServed(words.slice(e + (texts[e] === '-e' ? 2 : 1)), RUBY_HTTPD);
}

/** What this call serves, when it starts a static file server. */
function servedBy(call: Call): Served | null {
  const p = call.program;
  if (/^python(?:\d+(?:\.\d+)?)?$|^pypy\d*$/.test(p)) {
    const m = pythonModule(call.argWords);
    const s = m && Object.hasOwn(SERVERS, m.module) ? SERVERS[m.module] : undefined;
    return m && s && (m.module === 'http.server' || m.module === 'SimpleHTTPServer') ? parseServed(m.rest, s) : null;
  }
  if (/^php(?:\d+(?:\.\d+)?)?$/.test(p)) return phpServed(call.argWords);
  if (/^ruby(?:\d+(?:\.\d+)?)?$/.test(p)) return rubyServed(call.argWords);
  if (p === 'twistd') {
    const texts = call.args;
    const web = texts.indexOf('web');
    if (web < 0) return null;
    const path = texts.find((t, k) => k > web && t.startsWith('--path='))?.slice(7) ?? texts[texts.indexOf('--path', web) + 1];
    return { dir: path ?? '.', bind: null, allInterfacesByDefault: true };
  }
  if (p === 'caddy' && call.args[0] === 'file-server') {
    const a = call.args;
    const root = a.indexOf('--root');
    const listen = a.indexOf('--listen');
    return { dir: root >= 0 ? a[root + 1] ?? '.' : '.', bind: listen >= 0 ? a[listen + 1] ?? null : null, allInterfacesByDefault: true };
  }
  const s = Object.hasOwn(SERVERS, p) ? SERVERS[p] : undefined;
  return s && p !== 'http.server' && p !== 'SimpleHTTPServer' ? parseServed(call.argWords, s) : null;
}

/** True when the address (`host`, `host:port`, `[v6]:port`, or a bare port) stays on this machine. */
function loopbackOnly(served: Served): boolean {
  if (served.bind === null || served.bind === '') return !served.allInterfacesByDefault;
  if (served.bind.includes(UNKNOWN)) return false;
  if (/^\d+$/.test(served.bind)) return !served.allInterfacesByDefault;
  const host = served.bind.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^([^:]+):\d+$/, '$1');
  return host !== '0.0.0.0' && host !== '::' && host !== '*' && isLoopbackHost(host);
}

/**
 * Judge a static file server: serving home, `/` or a directory holding credentials is
 * `exfil.upload-secret` when it listens beyond this machine (approval on loopback); serving a
 * directory outside the workspace needs approval (`exfil.upload-file`); the workspace is fine.
 */
export function judgeFileServer(call: Call): void {
  const served = servedBy(call);
  if (!served) return;
  const run = call.exec.run;
  const what = `${call.program} serves ${display(served.dir)}`;
  const ref = pathOf(call, served.dir);
  const local = loopbackOnly(served);
  if (!ref || ref.scope !== 'exact') {
    run.add('exfil.upload-file', `${what}, a directory only known at run time, over the network`);
    return;
  }
  const z = run.zones;
  const dirs = ref.real !== ref.path ? [ref.path, ref.real] : [ref.path];
  const exposesSecrets = dirs.some((d) => d === '/' || isUnder(z.home, d) || secretKind(d, z) !== null || secretInside(d, z) !== null);
  if (exposesSecrets) {
    if (local) run.add('exfil.upload-file', `${what}, which holds credentials, on this machine`);
    else run.add('exfil.upload-secret', `${what}, which holds credentials, to the network`);
    return;
  }
  if (!dirs.every((d) => inWorkspace(d, z) || isTemp(d))) run.add('exfil.upload-file', `${what}, outside the workspace, over the network`);
}
