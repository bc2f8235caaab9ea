/**
 * Programs whose use is an attack on someone whatever their arguments say about files: cryptominers,
 * packet floods and denial-of-service tools, scans of other machines' ports; and listeners on the
 * governance server's port, where a stand-in could answer the hooks' questions. Judged for every
 * program before its own handler.
 */
import type { Call } from '../call.js';
import { isLoopbackHost } from '../network.js';
import { display, positionals } from './support.js';

/** Cryptocurrency miners, by program name. */
const MINERS = /^(?:xmrig(?:-\w+)?|xmr-stak(?:-\w+)?|cpuminer(?:-\w+)?|minerd|cgminer|bfgminer|ethminer|t-rex|nbminer|lolminer|gminer|miner|phoenixminer|nanominer|srbminer(?:-multi)?|teamredminer|trex|ccminer|nheqminer|xmr-node-proxy)$/i;

/** Tools made to overwhelm a host (every use is a flood), by program name. */
const FLOODERS = /^(?:slowloris|slowhttptest|goldeneye|hulk|t50|thc-ssl-dos|mz|mausezahn|loic|hoic|synflood|xerxes|pyloris|torshammer|mhddos)$/i;

/** Port scanners, with the options whose value is not a target. */
const SCANNERS: Record<string, RegExp> = {
  nmap: /^(?:-p|-P[SAUYO]|-i[LR]|-o[NXGSA]|-D|-S|-e|-g|--source-port|--script|--script-args|--exclude|--excludefile|--top-ports|--max-rate|--min-rate|--max-retries|--host-timeout|-T|--data-length|--ttl|--dns-servers|--port-ratio|--version-intensity|--scan-delay|--max-scan-delay|--min-parallelism|--max-parallelism|--datadir|--stylesheet|--resume)$/,
  masscan: /^(?:-p|--ports|--rate|--max-rate|-oX|-oG|-oJ|-oL|-oB|--exclude|--excludefile|-e|--adapter|--adapter-ip|--adapter-port|--router-mac|--source-ip|--source-port|--banners|-c|--conf|--wait|--retries|--ttl)$/,
  zmap: /^(?:-p|--target-port|-r|--rate|-B|--bandwidth|-o|--output-file|-b|--blocklist-file|-w|--allowlist-file|-i|--interface|-G|--gateway-mac|-S|--source-ip|-s|--source-port|-n|--max-targets|-N|--max-results|-t|--max-runtime|-c|--cooldown-time|-M|--probe-module|-O|--output-module|-f|--output-fields)$/,
  rustscan: /^(?:-a|--addresses|-p|--ports|-r|--range|-b|--batch-size|-t|--timeout|-u|--ulimit|--scripts|--tries)$/,
  naabu: /^(?:-host|-list|-l|-p|-port|-top-ports|-tp|-rate|-c|-o|-output|-exclude-hosts|-eh|-exclude-ports|-ep|-timeout|-retries|-source-ip|-interface|-i)$/,
};

/** Options of rustscan and naabu whose value is the target. */
const TARGET_OPTIONS = /^(?:-a|--addresses|-host)$/;

/** The port `vaibot serve` listens on unless told otherwise, and the one remote mode is documented with. */
export const GOVERNANCE_PORT = '8787';

/** Servers that listen on a port a word names (`--port 8787`, `-p 8787`, `:8787`, a bare `8787`). */
const SERVERS = /^(?:python[\d.]*|php[\d.]*|ruby|node|deno|bun|http-server|serve|live-server|caddy|busybox|httpd|uvicorn|gunicorn|hypercorn|flask|rails|hugo|jekyll|twistd|mitmproxy|mitmdump|websocat|tcpserver|miniserve|darkhttpd|static-web-server)$/;

/** A word naming the governance port as an address or option value (`127.0.0.1:8787`, `--port=8787`). */
const PORT_WORD = new RegExp(`^(?:--?[a-z-]+=)?[\\w.\\[\\]:-]*:${GOVERNANCE_PORT}(?:,|$)|^--?(?:port|p|bind|listen)=${GOVERNANCE_PORT}$`);
/** socat's listening addresses on the governance port. */
const SOCAT_LISTEN = new RegExp(`^(?:TCP[46]?|SSL|OPENSSL)-LISTEN:${GOVERNANCE_PORT}(?:,|$)`, 'i');
/** ssh `-L [BIND:]8787:…` (a local listener) and `-D [BIND:]8787`. */
const SSH_FORWARD = new RegExp(`^(?:[^:]*:)?${GOVERNANCE_PORT}:`);
const SSH_SOCKS = new RegExp(`(?:^|:)${GOVERNANCE_PORT}$`);

/** Whether a word names the governance port as a port to listen on or serve. */
function namesGovernancePort(word: string): boolean {
  return word === GOVERNANCE_PORT || PORT_WORD.test(word);
}

/** Whether the call listens on the governance port (clients that connect to it do not count). */
function listensOnGovernancePort(call: Call): boolean {
  const p = call.program;
  const a = call.args;
  if (p === 'vaibot') return a[0] === 'serve' && (!a.some((x) => /^--port(?:=|$)/.test(x)) || a.slice(1).some(namesGovernancePort));
  if (/^(?:nc|ncat|netcat)$/.test(p)) return a.some((x) => /^-[a-zA-Z]*l[a-zA-Z]*$|^--listen$/.test(x)) && a.some(namesGovernancePort);
  if (p === 'socat') return a.some((x) => SOCAT_LISTEN.test(x));
  if (p === 'ssh') return a.some((x, i) => (a[i - 1] === '-L' && SSH_FORWARD.test(x)) || (a[i - 1] === '-D' && SSH_SOCKS.test(x)));
  return SERVERS.test(p) && a.some(namesGovernancePort);
}

/** `nmap …`: the targets it is pointed at (its operands, and the values of rustscan's and naabu's target options). */
function scanTargets(a: readonly string[], valueOptions: RegExp): string[] {
  const named = a.flatMap((x, i) => (TARGET_OPTIONS.test(x) ? (a[i + 1] ?? '').split(',') : []));
  return [...named, ...positionals(a, valueOptions)].filter((x) => x !== '');
}

/** Whether a scan target stays on this machine (`localhost`, `127.0.0.1`, `127.0.0.0/8`, `::1`). */
function loopbackTarget(target: string): boolean {
  const host = target.replace(/\/\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return isLoopbackHost(host) || /^127\./.test(host);
}

/** See the module's description. */
export function judgeAttackTools(call: Call): void {
  const run = call.exec.run;
  const p = call.program;
  const a = call.args;
  if (a.length === 1 && /^(?:--help|-h|--version|-V)$/.test(a[0]!)) return;
  if (MINERS.test(p)) run.add('proc.cryptominer', `${p} mines cryptocurrency on this machine`);
  if (FLOODERS.test(p)) run.add('net.flood', `${p} floods a host to take it down`);
  if (p === 'hping3' || p === 'hping') {
    // `--flood`, `--faster`, or an interval in microseconds (`-i u100`, `-iu100`)
    if (a.some((x, i) => x === '--flood' || x === '--faster' || /^-iu\d+$/.test(x) || (x === '-i' && /^u\d+$/.test(a[i + 1] ?? ''))))
      run.add('net.flood', `${p} ${a.map(display).join(' ')} floods a host with packets`);
  }
  if ((p === 'ping' || p === 'ping6') && a.includes('-f') && a.some((x) => !x.startsWith('-') && !/^\d+$/.test(x) && !loopbackTarget(x)))
    run.add('net.flood', `${p} -f floods another host with packets`);
  if (Object.hasOwn(SCANNERS, p)) {
    const remote = scanTargets(a, SCANNERS[p]!).filter((t) => !loopbackTarget(t));
    if (remote.length > 0) run.add('net.scan', `${p} scans the ports of ${remote.map(display).join(', ')}`);
  }
  // a listener on the governance port: the hooks' questions would reach it instead of the server
  if (listensOnGovernancePort(call))
    run.add('self.guard-impersonation', `${p} ${a.map(display).join(' ')} listens where VAIBOT's governance server answers (port ${GOVERNANCE_PORT}): a stand-in there could allow what the server would not`);
}
