/**
 * Network tools: outbound connections (high), uploads of files or piped data (exfiltration),
 * downloads (whose output, if executed, is download-then-exec), remote shells, approval endpoints.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { isApprovalUrl, isCloudMetadataHost, isLoopbackHost, urlHost } from '../network.js';
import { judgeDelete, judgeRead, judgeWrite } from '../pathRules.js';
import { nestedScope } from '../scope.js';
import { type DataSource, type Provenance, type ShellWord, EMPTY_INPUT, UNKNOWN } from '../shellValue.js';
import { runCode } from './scripts.js';
import { UNKNOWN_OUTPUT, argsProvenance, display, optionValue, optionValues, parseOptions, pathOf } from './support.js';
import { GOVERNANCE_PORT } from './attackTools.js';

const DOWNLOADED: Provenance = Object.freeze({ download: true, decoded: false, secret: false });

/**
 * URLs with their host replaced where curl's `--resolve HOST:PORT:ADDR[,ADDR]` or `--connect-to
 * HOST1:PORT1:HOST2:PORT2` sends the connection (an empty HOST1 matches every host), so that a
 * loopback name aimed elsewhere is judged by where it goes, and the other way round.
 */
function redirectedSpecs(specs: string[], resolves: string[], connects: string[]): string[] {
  const rules: Array<{ from: string; to: string }> = [];
  for (const r of resolves) {
    const m = /^[+-]?(\[[^\]]*\]|[^:]*):[^:]*:(.+)$/.exec(r.trim());
    if (m) for (const to of m[2]!.split(',')) rules.push({ from: m[1]!.toLowerCase(), to: to.trim().replace(/^\[|\]$/g, '') });
  }
  for (const c of connects) {
    const m = /^(\[[^\]]*\]|[^:]*):[^:]*:(\[[^\]]*\]|[^:]*):/.exec(c.trim());
    if (m && m[2] !== '') rules.push({ from: m[1]!.toLowerCase(), to: m[2]!.replace(/^\[|\]$/g, '') });
  }
  if (rules.length === 0) return specs;
  const out: string[] = [];
  for (const s of specs) {
    const host = urlHost(s);
    const hits = rules.filter((r) => r.from === '' || r.from.replace(/^\[|\]$/g, '') === host);
    if (host === null || hits.length === 0) { out.push(s); continue; }
    for (const r of hits) out.push(s.replace(host, r.to.includes(':') ? `[${r.to}]` : r.to));
  }
  return out;
}

/** Report the hosts a tool talks to: loopback is fine, anything else is outbound network. */
export function judgeHosts(call: Call, specs: string[], what: string, method = 'GET'): boolean {
  const run = call.exec.run;
  for (const s of specs) if (isApprovalUrl(s)) run.add('self.approval-endpoint', `${what} calls the VAIBOT approval endpoint ${display(s)}`);
  const hosts = specs.map((s) => ({ s, h: urlHost(s) }));
  for (const { s, h } of hosts) {
    if (h !== null && isCloudMetadataHost(h)) run.add('secrets.read-credentials', `${what} asks the cloud metadata service ${display(s)}, which hands out the machine's credentials`);
  }
  const remote = hosts.filter((x) => x.h === null || !isLoopbackHost(x.h));
  if (specs.length === 0 || remote.length > 0) {
    const names = remote.map((x) => display(x.h ?? x.s)).filter((n) => n !== '');
    run.add('net.outbound', `${what} connects to ${names.length ? names.join(', ') : 'a host only known at run time'}`);
    return true;
  }
  // Loopback: a dev server's health check or API call is everyday work and no upload to another
  // machine (exfiltration rules do not apply). The local APIs that control the machine itself
  // (Docker, Kubernetes, etcd, Vault, Consul, Nomad) still need approval.
  const changes = /^(?:DELETE|PUT|POST|PATCH)$/i.test(method);
  for (const { s } of hosts) {
    const api = serviceAt(s, HOST_CONTROL_PORTS);
    const store = serviceAt(s, DATA_STORE_PORTS);
    if (api === 'Docker') run.add('infra.docker-host-access', `${what} calls the local Docker API (${display(s)}), which can start privileged containers`);
    else if (api) run.add('net.outbound', `${what} calls the local ${api} API (${display(s)}), which controls the machine or its secrets`);
    // a local data store asked to change or delete data, or a DELETE of everything (`/_all`, `/*`)
    else if ((store && changes && !READ_ONLY_QUERY.test(s)) || (/^DELETE$/i.test(method) && /\/(?:_all|\*)(?:[/?#]|$)|\/\*$/.test(s)))
      run.add('net.outbound', `${what} ${method.toUpperCase()} ${display(s)} changes data in ${store ? `the local ${store}` : 'a local service'}`);
  }
  return false;
}

/** Query endpoints that read, whatever the method their body needs (`POST /idx/_search`, Qdrant's `points/search`, Typesense's `multi_search`). */
const READ_ONLY_QUERY = /\/(?:_search|_msearch|_count|_mget|_validate\/query|_explain(?:\/[^/?#]*)?|_analyze|_field_caps|_sql|_render\/template|_search\/template|points\/(?:search|recommend|scroll|count|query)(?:\/batch)?|multi_search|indexes\/[^/?#]+\/search|_find|_all_docs|_explain)(?:[/?#]|$)/;

/** Ports of local data stores that take changes over HTTP, by service. */
const DATA_STORE_PORTS: ReadonlyMap<number, string> = new Map([
  [9200, 'Elasticsearch'], [9300, 'Elasticsearch'], [5984, 'CouchDB'], [8086, 'InfluxDB'], [6333, 'Qdrant'], [7700, 'Meilisearch'],
  [8108, 'Typesense'], [8123, 'ClickHouse'], [8529, 'ArangoDB'], [7474, 'Neo4j'], [8091, 'Couchbase'], [8983, 'Solr'],
]);

/** The service in `ports` that a URL's port belongs to, if any. */
function serviceAt(spec: string, ports: ReadonlyMap<number, string>): string | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/?#]*@)?(?:\[[^\]]+\]|[^:/?#]*):(\d{1,5})(?:[/?#]|$)/i.exec(spec.trim());
  return m ? ports.get(Number(m[1])) : undefined;
}

/** Ports of local APIs that control the machine, its secrets, or VAIBOT itself, by service. */
const HOST_CONTROL_PORTS: ReadonlyMap<number, string> = new Map([
  [2375, 'Docker'], [2376, 'Docker'], [6443, 'Kubernetes'], [8001, 'Kubernetes'], [10250, 'Kubernetes'], [10255, 'Kubernetes'],
  [2379, 'etcd'], [2380, 'etcd'], [8200, 'Vault'], [8500, 'Consul'], [4646, 'Nomad'], [Number(GOVERNANCE_PORT), 'VAIBOT governance server'],
]);

/** Sockets of container engines: whoever can talk to them can start a privileged container. */
const CONTAINER_ENGINE_SOCKET = /(?:^|\/)(?:docker|podman|containerd|crio|dockershim)(?:\.sock|\/[^/]*\.sock)$|\/docker\.sock$/;

/** `curl --unix-socket S`: a container engine's socket is the keys to the host. */
function judgeUnixSocket(call: Call, socket: ShellWord): void {
  if (socket.dynamic || CONTAINER_ENGINE_SOCKET.test(socket.text))
    call.exec.run.add('infra.docker-host-access', `curl talks to ${socket.dynamic ? 'a socket only known at run time' : `the container engine socket ${display(socket.text)}`}, which can start privileged containers`);
}

/** Judge data a tool sends: `@file`, `@-` (stdin), literal data carrying secrets. */
export function judgeUpload(call: Call, item: ShellWord, remote: boolean, what: string): void {
  const run = call.exec.run;
  const t = item.text;
  const at = t.startsWith('@') ? t.slice(1) : /^[^=]*=[@<]/.test(t) ? t.slice(t.search(/[@<]/) + 1).replace(/;.*$/, '') : null;
  if (at === '-' || at === '/dev/stdin') {
    judgeStdinUpload(call, remote, what);
    return;
  }
  if (at !== null) {
    const ref = pathOf(call, at);
    const secret = judgeRead(run, ref, { verb: what });
    if (remote) {
      if (secret) run.add('exfil.upload-secret', `${what} uploads ${display(at)}, which holds secrets`);
      else run.add('exfil.upload-file', `${what} uploads the file ${display(at)}`);
    }
    return;
  }
  if (item.from.secret && remote) run.add('exfil.upload-secret', `${what} sends a secret-looking environment variable`);
}

/** Judge what a tool sends from its stdin: secrets, a file's contents, or another command's output. */
export function judgeStdinUpload(call: Call, remote: boolean, what: string): void {
  if (!remote || call.stdin.kind === 'terminal') return;
  const run = call.exec.run;
  if (call.stdin.from.secret) run.add('exfil.upload-secret', `${what} sends piped data that holds secrets`);
  else if (call.stdin.kind === 'file') run.add('exfil.upload-file', `${what} uploads ${display(call.stdin.path ?? 'a file')}`);
  else run.add('exfil.pipe-to-network', `${what} sends piped command output over the network`);
}

/** curl's options whose value is data it sends. */
const CURL_DATA = ['d', '--data', '--data-binary', '--data-raw', '--data-urlencode', '--data-ascii', '--json', 'F', '--form', '--expand-data'];

/** `curl`. */
const curl: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, {
    shortArg: 'dFTouHXAbcCeEKmrxyYzwUQEPt',
    longArg: [
      '--data', '--data-binary', '--data-raw', '--data-urlencode', '--data-ascii', '--json', '--form', '--form-string', '--upload-file',
      '--output', '--url', '--header', '--request', '--user-agent', '--cookie', '--cookie-jar', '--continue-at', '--referer', '--config',
      '--max-time', '--range', '--proxy', '--speed-limit', '--speed-time', '--time-cond', '--write-out', '--user', '--quote', '--cert',
      '--key', '--cacert', '--capath', '--output-dir', '--resolve', '--connect-to', '--retry', '--retry-delay', '--retry-max-time',
      '--connect-timeout', '--unix-socket', '--abstract-unix-socket', '--interface', '--dns-servers', '--proxy-user', '--limit-rate',
      '--max-filesize', '--oauth2-bearer', '--preproxy', '--socks4', '--socks4a', '--socks5', '--socks5-hostname', '--variable', '--expand-url', '--expand-data', '--trace', '--trace-ascii', '--stderr', '--dump-header',
    ],
  });
  const urls = [...o.operands, ...optionValues(o, ['--url', '--expand-url'])];
  const unix = optionValue(o, ['--unix-socket', '--abstract-unix-socket']);
  const specs = urls.map((u) => u.text);
  for (const u of urls) if (/^file:/i.test(u.text)) judgeRead(run, pathOf(call, u.text.replace(/^file:\/\/(?:localhost)?/i, '')), { verb: 'curl file://' });
  // where the connections really go: `--resolve HOST:PORT:ADDR` and `--connect-to` name other
  // addresses, and a proxy is contacted in the URL's place
  const netSpecs = redirectedSpecs(specs.filter((s) => !/^file:/i.test(s)), optionValues(o, ['--resolve']).map((w) => w.text), optionValues(o, ['--connect-to']).map((w) => w.text));
  for (const p of optionValues(o, ['x', '--proxy', '--preproxy', '--socks4', '--socks4a', '--socks5', '--socks5-hostname'])) if (p.text !== '' && netSpecs.length > 0) netSpecs.push(p.text);
  const method = optionValue(o, ['X', '--request'])?.text ?? (optionValues(o, [...CURL_DATA, 'T', '--upload-file']).length > 0 ? 'POST' : 'GET');
  const remote = unix || netSpecs.length === 0 ? false : judgeHosts(call, netSpecs, 'curl', method);
  if (unix) {
    judgeUnixSocket(call, unix);
    for (const s of netSpecs) if (isApprovalUrl(s)) run.add('self.approval-endpoint', `curl calls the VAIBOT approval endpoint ${display(s)}`);
  }
  for (const d of optionValues(o, CURL_DATA)) judgeUpload(call, d, remote, 'curl');
  for (const f of optionValues(o, ['T', '--upload-file'])) {
    if (f.text === '-' || f.text === '.') judgeStdinUpload(call, remote, 'curl -T');
    else judgeUpload(call, { ...f, text: '@' + f.text }, remote, 'curl -T');
  }
  if (argsProvenance(call).secret && remote && !optionValues(o, ['H', '--header', 'u', '--user', '--oauth2-bearer']).some((h) => h.from.secret))
    run.add('exfil.upload-secret', 'curl sends a secret-looking environment variable');
  for (const k of optionValues(o, ['K', '--config'])) {
    judgeRead(run, pathOf(call, k), { verb: 'curl --config' });
    // the file names the URL, the method and the data: none of it can be seen here
    run.add('net.outbound', `curl takes its URL and data from ${display(k.text)}, unseen`);
  }
  for (const j of optionValues(o, ['c', '--cookie-jar', '--trace', '--trace-ascii', '--stderr', 'D', '--dump-header'])) if (j.text !== '-') judgeWrite(run, pathOf(call, j), { verb: 'curl' });
  // Output: -o FILE / -O (remote name) / stdout.
  const outs = optionValues(o, ['o', '--output']);
  const dir = optionValue(o, ['--output-dir'])?.text;
  const remoteName = o.short.has('O') || o.long.has('--remote-name') || o.long.has('--remote-name-all');
  const written: string[] = outs.filter((x) => x.text !== '-').map((x) => x.text);
  if (remoteName) for (const u of specs) written.push(posix.basename(u.replace(/[?#].*$/, '')) || 'index.html');
  for (const f of written) {
    const ref = pathOf(call, dir && !f.startsWith('/') ? posix.join(dir, f) : f);
    judgeWrite(run, ref, { verb: 'curl -o' });
    if (ref) run.writes.set(ref.path, { kind: 'unknown', from: DOWNLOADED });
  }
  if (written.length > 0 && !outs.some((x) => x.text === '-')) return EMPTY_INPUT;
  return { kind: 'unknown', from: DOWNLOADED };
};

/** `wget`. */
const wget: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, {
    shortArg: 'OoaPiBeltTwQUYDRAXIU',
    longArg: ['--output-document', '--output-file', '--append-output', '--directory-prefix', '--input-file', '--base', '--execute', '--tries', '--timeout', '--wait', '--quota', '--user-agent', '--post-data', '--post-file', '--body-data', '--body-file', '--method', '--header', '--user', '--password', '--referer', '--domains', '--accept', '--reject', '--level', '--load-cookies', '--save-cookies', '--ca-certificate', '--certificate', '--private-key'],
  });
  const urls = o.operands.map((u) => u.text);
  // `wget --version`, `wget --help`: no transfer
  if (urls.length === 0 && optionValues(o, ['i', '--input-file']).length === 0 && call.args.some((a) => /^(?:-V|--version|-h|--help)$/.test(a))) return UNKNOWN_OUTPUT;
  for (const f of optionValues(o, ['i', '--input-file'])) judgeRead(run, pathOf(call, f), { verb: 'wget -i' });
  const wgetMethod = optionValue(o, ['--method'])?.text ?? (optionValues(o, ['--post-data', '--post-file', '--body-data', '--body-file']).length > 0 ? 'POST' : 'GET');
  const remote = judgeHosts(call, urls.length ? urls : optionValues(o, ['i', '--input-file']).length ? [UNKNOWN] : [], 'wget', wgetMethod);
  for (const f of optionValues(o, ['--post-file', '--body-file'])) judgeUpload(call, { ...f, text: '@' + f.text }, remote, 'wget --post-file');
  for (const d of optionValues(o, ['--post-data', '--body-data'])) judgeUpload(call, d, remote, 'wget --post-data');
  const out = optionValue(o, ['O', '--output-document']);
  if (out && out.text === '-') return { kind: 'unknown', from: DOWNLOADED };
  for (const l of optionValues(o, ['o', '--output-file', 'a', '--append-output', '--save-cookies'])) judgeWrite(run, pathOf(call, l), { verb: 'wget' });
  const dir = optionValue(o, ['P', '--directory-prefix'])?.text;
  const files = out ? [out.text] : urls.map((u) => posix.basename(u.replace(/[?#].*$/, '')) || 'index.html');
  for (const f of files) {
    const ref = pathOf(call, dir && !f.startsWith('/') ? posix.join(dir, f) : f);
    judgeWrite(run, ref, { verb: 'wget' });
    if (ref) run.writes.set(ref.path, { kind: 'unknown', from: DOWNLOADED });
  }
  return EMPTY_INPUT;
};

/** httpie (`http`, `https`), `xh`: `http [METHOD] URL [items…]`. */
const httpie: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'abAoSv', longArg: ['--auth', '--auth-type', '--output', '--session', '--verify', '--cert', '--cert-key', '--proxy', '--timeout'] });
  const ops = o.operands;
  let k = 0;
  if (ops[0] && /^[A-Z]+$/.test(ops[0].text)) k = 1;
  const url = ops[k];
  const scheme = call.program === 'https' || call.program === 'xhs' ? 'https://' : 'http://';
  const spec = url ? (/^[a-z]+:\/\//i.test(url.text) ? url.text : /^:\d/.test(url.text) ? `${scheme}localhost${url.text}` : scheme + url.text) : '';
  const httpieMethod = k === 1 ? ops[0]!.text : ops.slice(1).some((x) => /^[^=:]+(?::?=|@)/.test(x.text)) ? 'POST' : 'GET';
  const remote = judgeHosts(call, spec ? [spec] : [], call.program, httpieMethod);
  for (const item of ops.slice(k + 1)) {
    const t = item.text;
    if (/^[^=:@]*@/.test(t) || /^[^=]*=@/.test(t) || /^[^=]*:=@/.test(t)) judgeUpload(call, { ...item, text: '@' + t.slice(t.indexOf('@') + 1) }, remote, call.program);
    else judgeUpload(call, item, remote, call.program);
  }
  if (call.stdin.kind !== 'terminal' && !o.long.has('--ignore-stdin')) judgeStdinUpload(call, remote, call.program);
  return { kind: 'unknown', from: DOWNLOADED };
};

/** `nc`/`ncat`/`netcat`: connect or listen; `-e`/`-c` attach a program (a shell: reverse shell). */
const nc: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'ecpsiwqgGIOTVxXmMPbS', longArg: ['--exec', '--sh-exec', '--lua-exec', '--source', '--wait', '--proxy', '--proxy-type', '--output', '--hex-dump', '--idle-timeout'] });
  const listen = hasAny(o, 'l', ['--listen']);
  const execProg = optionValue(o, ['e', 'c', '--exec', '--sh-exec']);
  const host = o.operands.find((x) => !/^\d+$/.test(x.text));
  if (!host && !listen) return UNKNOWN_OUTPUT; // usage or version
  const remote = host ? !(urlHost(host.text) && isLoopbackHost(urlHost(host.text)!)) && !isLoopbackHost(host.text) : !listen;
  // a port probe of this machine (`nc -z localhost 5432`) sends nothing; a connection that carries
  // data may speak any protocol to a local service (`FLUSHALL`, a raw HTTP approval)
  if (!listen && (remote || !o.short.has('z'))) run.add('net.outbound', `${call.program} connects to ${host ? display(host.text) : 'a host'}${remote ? '' : ' on this machine'}`);
  judgeRawHttpApproval(call);
  if (listen) run.add('exec.interactive', `${call.program} -l listens for connections; data exchanged later is not governed`);
  if (execProg) {
    run.add('net.reverse-shell', `${call.program} connects ${display(execProg.text)} to the network`);
    runCode(call, 'sh', execProg.text, `${call.program} -e`);
  }
  if (!listen && !o.short.has('z')) {
    if (call.stdin.kind === 'terminal' && !execProg) run.add('exec.interactive', `${call.program} opens an interactive connection: data sent with write_stdin is not governed`);
    else judgeStdinUpload(call, remote, call.program);
  }
  return { kind: 'unknown', from: DOWNLOADED };
};

function hasAny(o: ReturnType<typeof parseOptions>, shorts: string, longs: string[]): boolean {
  return [...shorts].some((c) => o.short.has(c)) || longs.some((l) => o.long.has(l));
}

/** A raw HTTP request written by hand on stdin (`PATCH /v2/receipts/x/approve HTTP/1.0`) to an approval route. */
function judgeRawHttpApproval(call: Call): void {
  if (call.stdin.kind !== 'text') return;
  for (const m of call.stdin.text.matchAll(/^\s*[A-Z]+\s+(\/\S*)\s+HTTP\/\d/gm)) {
    if (isApprovalUrl(`http://localhost${m[1]}`)) call.exec.run.add('self.approval-endpoint', `${call.program} sends a request to the VAIBOT approval endpoint ${display(m[1]!)}`);
  }
}

/** `socat ADDR1 ADDR2`: EXEC:/SYSTEM: addresses run commands; TCP/UDP/OPENSSL addresses are network. */
const socat: Handler = (call) => {
  judgeRawHttpApproval(call);
  const run = call.exec.run;
  const addrs = call.argWords.filter((x) => !x.text.startsWith('-') || x.text === '-');
  let net = false;
  let exec = false;
  for (const a of addrs) {
    const m = /^(EXEC|SYSTEM):([^,]*)/i.exec(a.text);
    if (m) {
      exec = true;
      runCode(call, 'sh', m[2]!, `socat ${m[1]}`);
    }
    const n = /^(?:TCP[46]?|UDP[46]?|SCTP|OPENSSL|SSL|SOCKS4A?|PROXY)(?:-CONNECT)?:([^:,]+)/i.exec(a.text);
    if (n && !isLoopbackHost(n[1]!)) {
      net = true;
      run.add('net.outbound', `socat connects to ${display(n[1]!)}`);
    }
    // addresses that are files: a socket created where VAIBOT's daemon listens, a file written
    const f = /^(UNIX-(?:LISTEN|L|RECVFROM|RECV|SENDTO|CONNECT|CLIENT)|OPEN|CREATE|CREAT|GOPEN|PIPE|NAMEDPIPE):([^,]+)/i.exec(a.text);
    if (f) {
      const ref = pathOf(call, f[2]!);
      if (/^(?:UNIX-(?:CONNECT|CLIENT|SENDTO)|OPEN)$/i.test(f[1]!)) judgeRead(run, ref, { verb: `socat ${f[1]}` });
      else judgeWrite(run, ref, { verb: `socat ${f[1]}` });
    }
    if (/^(?:TCP|UDP|SCTP|OPENSSL|SSL)[46]?-LISTEN/i.test(a.text)) {
      net = true;
      run.add('exec.interactive', 'socat listens for connections; data exchanged later is not governed');
    }
  }
  if (exec && net) run.add('net.reverse-shell', 'socat connects a command to the network');
  if (addrs.some((a) => a.text === '-' || /^STDIN|^STDIO/i.test(a.text)) && net) judgeStdinUpload(call, true, 'socat');
  return UNKNOWN_OUTPUT;
};

/** `ssh [opts] host [command…]`. */
const ssh: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'bcDEeFIiJLlmOopQRSWwB', stopAtOperand: true });
  for (const opt of optionValues(o, ['o'])) {
    const m = /^(ProxyCommand|LocalCommand|RemoteCommand|KnownHostsCommand)\s*[= ]\s*(.*)$/is.exec(opt.text);
    if (m && !/^none$/i.test(m[2]!)) {
      if (/^remote/i.test(m[1]!)) remoteCommand(call, m[2]!, 'ssh RemoteCommand');
      else runCode(call, 'sh', m[2]!, `ssh -o ${m[1]}`);
    }
  }
  for (const k of optionValues(o, ['F'])) judgeRead(run, pathOf(call, k), { verb: 'ssh -F' });
  const host = o.operands[0];
  if (!host) return UNKNOWN_OUTPUT; // ssh -V, ssh -G: no connection
  const cmd = o.operands.slice(1);
  const h = host.text.replace(/^ssh:\/\//, '').replace(/^[^@]*@/, '').replace(/[:/].*$/, '');
  run.add('net.outbound', `ssh connects to ${display(h) || 'a host'}`);
  if (cmd.length > 0) {
    if (!h || h.includes(UNKNOWN) || !isLoopbackHost(h)) run.add('net.remote-shell', `ssh runs a command on ${display(h) || 'another host'}`);
    remoteCommand(call, cmd.map((x) => x.text).join(' '), `ssh ${display(h)}`);
    judgeStdinUpload(call, true, 'ssh');
  } else if (!o.short.has('N') && !o.short.has('O') && !o.short.has('G') && !o.short.has('V') && host) {
    if (call.stdin.kind === 'terminal') run.add('exec.interactive', `ssh ${display(h)} opens a remote shell: commands sent with write_stdin are not governed`);
    else {
      // commands piped into a remote shell
      remoteScript(call, call.stdin, `ssh ${display(h)}`);
    }
  }
  return UNKNOWN_OUTPUT;
};

function remoteCommand(call: Call, text: string, label: string): void {
  const scope = nestedScope(call.scope);
  scope.remote = true;
  scope.cwd = call.exec.run.zones.home;
  call.exec.script(text, scope, call.stdin, label);
}

function remoteScript(call: Call, source: DataSource, label: string): void {
  if (source.kind === 'text') remoteCommand({ ...call, stdin: EMPTY_INPUT }, source.text, label);
  else if (source.kind !== 'terminal') call.exec.run.add('exec.stdin-script-unknown', `${label} runs commands piped to a remote shell`);
}

/** `scp`/`sftp`/`rsync` style transfers. */
function transfer(call: Call, operands: ShellWord[], what: string, opts: { delete?: boolean; removeSource?: boolean } = {}): void {
  const run = call.exec.run;
  const isRemote = (t: string) => /^[^/]*:/.test(t) && !/^[A-Za-z]:\\/.test(t) || /^(?:rsync|scp|sftp):\/\//.test(t);
  if (operands.length < 1) return;
  const dest = operands[operands.length - 1]!;
  const sources = operands.slice(0, -1);
  const remoteHosts = operands.filter((x) => isRemote(x.text)).map((x) => x.text.replace(/^(?:rsync|scp|sftp):\/\//, '').replace(/^[^@]*@/, '').replace(/[:/].*$/, ''));
  const anyRemote = remoteHosts.some((h) => h.includes(UNKNOWN) || !isLoopbackHost(h));
  if (anyRemote) run.add('net.outbound', `${what} connects to ${remoteHosts.map(display).join(', ')}`);
  for (const s of sources) {
    if (isRemote(s.text)) continue;
    const ref = pathOf(call, s, { glob: s.glob });
    const secret = judgeRead(run, ref ? { ...ref, scope: ref.scope === 'exact' ? 'contents' : ref.scope } : ref, { verb: what });
    if (isRemote(dest.text) && anyRemote) {
      if (secret) run.add('exfil.upload-secret', `${what} uploads ${display(s.text)}, which holds secrets`);
      else run.add('exfil.upload-file', `${what} uploads ${display(s.text)} to another host`);
    }
    if (opts.removeSource) judgeDelete(run, ref, { recursive: true, verb: `${what} --remove-source-files` });
  }
  if (!isRemote(dest.text)) {
    const ref = pathOf(call, dest);
    judgeWrite(run, ref ? { ...ref, scope: 'under' } : ref, { verb: what });
    if (opts.delete) judgeDelete(run, ref ? { ...ref, scope: 'contents' } : ref, { recursive: true, verb: `${what} --delete` });
  }
}

const scp: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'cFiJloPSDX' });
  for (const opt of optionValues(o, ['o'])) {
    const m = /^ProxyCommand\s*[= ]\s*(.*)$/is.exec(opt.text);
    if (m) runCode(call, 'sh', m[1]!, 'scp -o ProxyCommand');
  }
  for (const s of optionValues(o, ['S'])) runCode(call, 'sh', s.text, 'scp -S');
  transfer(call, o.operands, 'scp');
  return UNKNOWN_OUTPUT;
};

const rsync: Handler = (call) => {
  const o = parseOptions(call.argWords, { shortArg: 'eTfBMLK', longArg: ['--rsh', '--rsync-path', '--exclude', '--include', '--exclude-from', '--include-from', '--files-from', '--filter', '--temp-dir', '--compare-dest', '--copy-dest', '--link-dest', '--backup-dir', '--suffix', '--chmod', '--chown', '--log-file', '--password-file', '--port', '--timeout', '--bwlimit', '--max-size', '--min-size', '--partial-dir'] });
  for (const e of optionValues(o, ['e', '--rsh', '--rsync-path'])) if (!/^(?:ssh|rsh)(?:\s|$)/.test(e.text)) runCode(call, 'sh', e.text, 'rsync -e');
  const del = [...o.long.keys()].some((k) => k.startsWith('--delete') || k === '--del');
  transfer(call, o.operands, 'rsync', { delete: del, removeSource: o.long.has('--remove-source-files') });
  return UNKNOWN_OUTPUT;
};

/** Interactive network clients (telnet, ftp, sftp without batch). */
const interactiveNet: Handler = (call) => {
  const run = call.exec.run;
  const host = call.args.find((a) => !a.startsWith('-'));
  const h = host ? host.replace(/^[a-z]+:\/\//, '').replace(/^[^@]*@/, '').replace(/[:/].*$/, '') : '';
  run.add('net.outbound', `${call.program} connects to ${display(h) || 'a host'}`);
  const batch = call.args.includes('-b') || call.args.some((a) => a.startsWith('-c') && call.program === 'lftp') || call.args.includes('-e');
  if (call.stdin.kind === 'terminal' && !batch) run.add('exec.interactive', `${call.program} opens an interactive session: input sent with write_stdin is not governed`);
  else judgeStdinUpload(call, true, call.program);
  return UNKNOWN_OUTPUT;
};

/** Download tools judged only by their hosts (aria2c, axel, lynx -dump, ...). */
const fetcher: Handler = (call) => {
  const urls = call.args.filter((a) => /^[a-z]+:\/\//i.test(a) || (!a.startsWith('-') && urlHost(a) !== null));
  judgeHosts(call, urls.length ? urls : [UNKNOWN], call.program);
  return { kind: 'unknown', from: DOWNLOADED };
};


/**
 * Tunnels that publish a local port on the internet (`ngrok http 3000`, `cloudflared tunnel --url …`,
 * `lt --port`, `bore local`, `tailscale funnel`): whatever listens there becomes reachable by anyone.
 */
function tunnel(verbs: RegExp): Handler {
  return (call) => {
    const verb = call.args.find((a) => !a.startsWith('-')) ?? '';
    if (verbs.test(verb) || (verb === '' && call.args.some((a) => /^--(?:port|url)\b/.test(a))))
      call.exec.run.add('net.outbound', `${call.program} ${call.args.map(display).join(' ')} publishes a local port on the internet`);
    return UNKNOWN_OUTPUT;
  };
}

/** Network handlers, by program name. */
export const NET_HANDLERS: Record<string, Handler> = {
  ngrok: tunnel(/^(?:http|tcp|tls|start)$/),
  cloudflared: tunnel(/^(?:tunnel|access)$/),
  lt: tunnel(/(?:)/),
  localtunnel: tunnel(/(?:)/),
  bore: tunnel(/^local$/),
  tailscale: tunnel(/^(?:funnel|serve)$/),
  // reverse tunnels: a port of this machine opened on someone else's server
  chisel: tunnel(/^client$/),
  frpc: tunnel(/(?:)/),
  rathole: tunnel(/(?:)/),
  pinggy: tunnel(/(?:)/),
  zrok: tunnel(/^(?:share|reserve)$/),
  expose: tunnel(/^(?:share)?$/),
  curl, curlie: curl,
  wget, wget2: wget,
  http: httpie, https: httpie, xh: httpie, xhs: httpie,
  nc, ncat: nc, netcat: nc,
  socat,
  ssh, autossh: ssh, mosh: ssh,
  scp,
  rsync,
  sftp: interactiveNet, ftp: interactiveNet, lftp: interactiveNet, tftp: interactiveNet, telnet: interactiveNet,
  aria2c: fetcher, axel: fetcher, lynx: fetcher, w3m: fetcher, links: fetcher, elinks: fetcher,
};
