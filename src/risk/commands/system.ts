/**
 * System and self-protection: processes, power, services and cron, credential stores, and the
 * programs that could switch governance off (vaibot approve/deny, codex with hooks disabled).
 */
import { GOVERNANCE_PORT } from './attackTools.js';
import { secretInjector } from './wrappers.js';
import type { Call, Handler } from '../call.js';
import { type DataSource, EMPTY_INPUT, PLAIN } from '../shellValue.js';
import { PARENT_PID } from '../wordEval.js';
import { runCode, runSource } from './scripts.js';
import { UNKNOWN_OUTPUT, display, envValue, pathOf, shellQuote } from './support.js';
import { judgeWrite } from '../pathRules.js';
import { judgePathShadow } from '../pathShadow.js';
import { FILE_HANDLERS } from './files.js';

/** `kill`: `-1` as a target signals every process; pid 1 is the init process (the container, or the machine). */
const kill: Handler = (call) => {
  const a = call.args;
  let i = 0;
  if (a[0] === '-s' || a[0] === '-n') i = 2;
  else if (a[0] && /^-(?:\d+|[A-Z][A-Z0-9+-]*|SIG\w+)$/.test(a[0]) && a.length > 1) i = 1;
  if (a[i] === '--') i++;
  if (a.slice(i).some((t) => t === '-1')) call.exec.run.add('proc.kill-all', `${call.program} ${a.join(' ')} signals every process the user owns`);
  else if (a.slice(i).includes('1')) call.exec.run.add('proc.kill-all', `${call.program} ${a.join(' ')} signals the init process`);
  killsGuardByPid(call);
  return EMPTY_INPUT;
};

/**
 * `pkill -f hookd`, `killall vaibot`, `pkill -STOP codex`: stopping or freezing VAIBOT's daemon or
 * Codex itself. A stopped daemon is replaced and a frozen one times out into a deny, so this is
 * not a way around the guard, but it is not the agent's to do either.
 */
function stopsGuard(call: Call): void {
  // a regular expression (`killall -r 'hook.*'`, `pkill -f 'vai.ot'`) counts when it matches one of their names
  const matches = (a: string) => GUARD_PROCESS.test(a) || (/[.*+?[\]|^$\\]/.test(a) && GUARD_NAMES.some((n) => { try { return new RegExp(a).test(n); } catch { return false; } }));
  const pattern = call.args.filter((a) => !a.startsWith('-')).find(matches);
  if (pattern) call.exec.run.add('self.guard-admin', `${call.program} ${call.args.join(' ')} stops or freezes VAIBOT's daemon or Codex`);
}

/** Process names of the guard and the agent: VAIBOT's daemon, VAIBOT, Codex. */
const GUARD_PROCESS = /hookd|vaibot|(?:^|\/)codex$/i;

/** What the guard's processes are called (and their command lines), for patterns that are regular expressions. */
const GUARD_NAMES = ['hookd', 'vaibot', 'codex', 'node /usr/lib/node_modules/vaibot/plugin/dist/hookd.mjs'];

/** The governance port in a filter's pattern (`grep :8787`), an lsof address (`-i :8787`), a fuser name (`8787/tcp`). */
const PORT_IN_FILTER = new RegExp(`(?:^|[^\\d])${GOVERNANCE_PORT}(?:$|[^\\d])`);
const PORT_IN_LSOF = new RegExp(`(?:^|[:=])${GOVERNANCE_PORT}$`);
const PORT_IN_FUSER = new RegExp(`^${GOVERNANCE_PORT}/tcp$|:${GOVERNANCE_PORT}$`);

/** The `producer` of pids looked up by a guard process's name (`$(pgrep codex)`). */
const GUARD_PIDS = 'pgrep:guard';

/** The `producer` of pids matched by a pattern that matches every process (`$(pgrep -f .)`). */
const ALL_PIDS = 'pgrep:all';

/** `pgrep`, `pidof`: pids (unknown), marked when the name is the guard's or the agent's, or matches everything. */
const pidLookup: Handler = (call) => {
  const names = call.args.filter((a) => !a.startsWith('-'));
  const producer = names.some((a) => GUARD_PROCESS.test(a)) ? GUARD_PIDS
    : call.program === 'pgrep' && names.some((p) => /^(?:\.\*?|\.\+|\^|\$|)$/.test(p)) ? ALL_PIDS : call.program;
  return { kind: 'unknown', from: PLAIN, producer };
};

/** Programs that pick lines or fields out of their input (or read a pid file). */
const PID_FILTERS = /^(?:e?grep|fgrep|awk|gawk|mawk|cut|head|tail|sort|uniq|sed|tr|cat)$/;

/**
 * Pids of the guard carried through the filters that pick them out: `ps aux | grep hookd | awk
 * '{print $2}'` and `cat ~/.vaibot/…pid` yield the guard's pids as surely as `pgrep hookd`.
 */
export function carryGuardPids(call: Call, out: DataSource): DataSource {
  if ((out.kind !== 'unknown' && out.kind !== 'file') || !PID_FILTERS.test(call.program)) return out;
  const stdin = call.stdin;
  const from = stdin.kind === 'unknown' ? stdin.producer : undefined;
  const vaibotHome = call.exec.run.zones.vaibotHome;
  let marker: string | undefined;
  if (from === GUARD_PIDS || from === ALL_PIDS) marker = from;
  else if (from === 'ps' && /grep$|awk$/.test(call.program) && call.args.some((a) => !a.startsWith('-') && GUARD_PROCESS.test(a.replace(/[[\]]/g, '')))) marker = GUARD_PIDS;
  // whatever listens on the governance server's port: `ss -ltnp | grep :8787`, `lsof -i :8787`
  else if (from !== undefined && /^(?:ss|netstat|lsof)$/.test(from) && /grep$|awk$/.test(call.program) && call.args.some((a) => PORT_IN_FILTER.test(a))) marker = GUARD_PIDS;
  else if (call.args.some((a) => a.includes('/.vaibot/') || a.startsWith(`${vaibotHome}/`))) marker = GUARD_PIDS;
  return marker ? { kind: 'unknown', from: out.from, producer: marker } : out;
}

/** `kill $PPID`, `kill $(pgrep codex)`: the agent (the shell's parent) or the guard, by pid; `kill $(pgrep -f .)`: everything. */
function killsGuardByPid(call: Call): void {
  const w = call.argWords.find((x) => x.producer === PARENT_PID || x.producer === GUARD_PIDS);
  if (w) call.exec.run.add('self.guard-admin', `${call.program} signals ${w.producer === PARENT_PID ? 'the shell\'s parent, Codex itself' : 'Codex or VAIBOT\'s daemon, found by name'}`);
  if (call.argWords.some((x) => x.producer === ALL_PIDS)) call.exec.run.add('proc.kill-all', `${call.program} signals every process a pattern matching everything finds`);
}

const killall5: Handler = (call) => {
  call.exec.run.add('proc.kill-all', `${call.program} signals every process`);
  return EMPTY_INPUT;
};

const power: Handler = (call) => {
  if (call.args.includes('--help') || call.args.includes('-c') && call.program === 'shutdown') return EMPTY_INPUT;
  call.exec.run.add('proc.power', `${call.program} shuts down or reboots the machine`);
  return EMPTY_INPUT;
};

const init: Handler = (call) => {
  if (/^[06sS]$/.test(call.args[0] ?? '')) call.exec.run.add('proc.power', `${call.program} ${call.args[0]} changes the run level (halt or reboot)`);
  return EMPTY_INPUT;
};

/** Session-wide environment changes (`systemctl --user set-environment`, `launchctl setenv`) that reach the next Codex's hooks. */
function guardEnvironment(call: Call, names: string[]): void {
  const hit = names.map((n) => n.split('=')[0]!).find((n) => /^VAIBOT_|^CODEX_HOME$|^NODE_OPTIONS$/.test(n));
  if (hit) call.exec.run.add('self.codex-hooks-disabled', `${call.program} sets ${hit} for every process started later, Codex and its hooks included`);
}

/** `systemctl`: enabling units is persistence; poweroff/reboot are power. */
const systemctl: Handler = (call) => {
  const ops = call.args.filter((a) => !a.startsWith('-'));
  const sub = ops[0] ?? '';
  if (/^(?:poweroff|reboot|halt|kexec|suspend|hibernate|hybrid-sleep|soft-reboot|emergency|rescue)$/.test(sub)) call.exec.run.add('proc.power', `systemctl ${sub} changes the machine's power state`);
  if (/^(?:enable|link|edit|add-wants|add-requires|set-property|preset|reenable)$/.test(sub)) call.exec.run.add('persist.autostart', `systemctl ${sub} ${ops.slice(1).join(' ')} installs something that starts automatically`);
  if (sub === 'isolate' && /^(?:poweroff|reboot|halt|rescue|emergency)\.target$/.test(ops[1] ?? '')) call.exec.run.add('proc.power', `systemctl isolate ${ops[1]} changes the machine's state`);
  if (/^(?:set-environment|import-environment)$/.test(sub)) guardEnvironment(call, ops.slice(1));
  // stopping the machine's protections (firewall, mandatory access control, audit, intrusion bans)
  if (/^(?:stop|disable|mask|kill)$/.test(sub) && ops.slice(1).some((u) => /^(?:firewalld|ufw|nftables|iptables|apparmor|auditd|fail2ban|selinux|crowdsec|clamav\S*|falco|osqueryd|sshd|ssh)(?:\.service)?$/.test(u)))
    call.exec.run.add('proc.host-config', `systemctl ${sub} ${ops.slice(1).join(' ')} turns off a protection of the machine`);
  if (/^(?:stop|disable|mask|kill|freeze)$/.test(sub) && ops.slice(1).some((u) => GUARD_PROCESS.test(u.replace(/\.service$/, ''))))
    call.exec.run.add('self.guard-admin', `systemctl ${sub} ${ops.slice(1).join(' ')} stops VAIBOT or Codex`);
  return UNKNOWN_OUTPUT;
};

const launchctl: Handler = (call) => {
  const sub = call.args.find((a) => !a.startsWith('-')) ?? '';
  if (/^(?:load|bootstrap|enable|submit|kickstart)$/.test(sub)) call.exec.run.add('persist.autostart', `launchctl ${sub} installs or starts a launch agent`);
  if (sub === 'reboot') call.exec.run.add('proc.power', 'launchctl reboot reboots the machine');
  if (/^(?:unload|bootout|remove|disable|stop|kill)$/.test(sub) && call.args.some((a) => a !== sub && /vaibot|hookd/i.test(a)))
    call.exec.run.add('self.guard-admin', `launchctl ${sub} stops or removes VAIBOT's agent`);
  if (sub === 'setenv') guardEnvironment(call, call.args.slice(call.args.indexOf(sub) + 1, call.args.indexOf(sub) + 2));
  return UNKNOWN_OUTPUT;
};

/** `crontab`: install (file or stdin), edit, remove. Installed jobs are judged as commands. */
const crontab: Handler = (call) => {
  const a = call.args;
  if (a.includes('-l') && !a.some((x) => x === '-r' || x === '-e')) return UNKNOWN_OUTPUT;
  const run = call.exec.run;
  if (a.includes('-r')) {
    run.add('persist.crontab', 'crontab -r removes every cron job');
    return EMPTY_INPUT;
  }
  if (a.includes('-e')) {
    run.add('persist.crontab', 'crontab -e edits cron jobs interactively');
    run.add('exec.interactive', 'crontab -e opens an editor: keystrokes sent with write_stdin are not governed');
    return EMPTY_INPUT;
  }
  run.add('persist.crontab', 'crontab installs cron jobs that run outside this session');
  const file = call.argWords.filter((w) => !w.text.startsWith('-') || w.text === '-').find((w, k, arr) => !(arr[k - 1]?.text === '-u'));
  let source: DataSource = call.stdin;
  if (file && file.text !== '-') {
    const ref = pathOf(call, file);
    const c = ref ? run.contentOf(ref.path) : undefined;
    source = c?.kind === 'text' ? { kind: 'text', text: c.text, from: c.from } : { kind: 'unknown', from: { download: false, decoded: false, secret: false } };
  }
  if (source.kind === 'text') {
    const jobs = source.text
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#') && !/^\s*\w+\s*=/.test(l))
      .map((l) => (l.trim().startsWith('@') ? l.trim().split(/\s+/).slice(1).join(' ') : l.trim().split(/\s+/).slice(5).join(' ')));
    if (jobs.length) runSource(call, 'sh', { kind: 'text', text: jobs.join('\n'), from: source.from }, 'a cron job');
  }
  return EMPTY_INPUT;
};

/** `gpg --export-secret-keys`, or `gpg -d` of a password store's entry (`~/.password-store/*.gpg`). */
function gpgReadsSecret(a: string[]): boolean {
  if (a.some((x) => /^--export-secret-(?:sub)?keys$|^--export-ssh-key$/.test(x))) return true;
  return a.some((x) => x === '--decrypt' || /^-[a-zA-Z]*d$/.test(x)) && a.some((x) => /(?:^|\/)\.password-store\//.test(x));
}

/** Credential stores and secret-printing CLIs. */
function credentialStore(match: (args: string[]) => boolean): Handler {
  return (call) => {
    if (match(call.args)) call.exec.run.add('secrets.credential-store', `${call.program} ${call.args.map(display).join(' ')} reads a stored secret`);
    return { kind: 'unknown', from: { download: false, decoded: false, secret: match(call.args) } };
  };
}

/** VAIBOT's administration verbs: each changes or removes the guard itself. */
const GUARD_ADMIN = /^(?:install|uninstall|reinstall|upgrade|update|enable|disable)$/i;

/**
 * Judge the arguments of VAIBOT's CLI however it is launched (`vaibot`, `npx vaibot`, `node
 * …/cli.mjs`): approving or denying is a human act, and so is installing, removing or resetting
 * the guard.
 */
export function judgeVaibotArgs(call: Call, args: readonly string[], shown: string): void {
  const run = call.exec.run;
  const ops = args.filter((a) => !a.startsWith('-'));
  const verb = ops[0] ?? '';
  const sub = ops[1] ?? '';
  if (/^(?:approve|deny)$/i.test(verb) || (/^approvals?$/i.test(verb) && /^(?:approve|deny|grant|reject)$/i.test(sub)))
    run.add('self.approval-verb', `${shown} ${args.map(display).join(' ')} decides a pending approval: only a human may do that`);
  if (GUARD_ADMIN.test(verb)) run.add('self.guard-admin', `${shown} ${verb} changes whether and how VAIBOT guards Codex: only a human may do that`);
  if (/^breakers?$/i.test(verb) && sub !== '' && !/^(?:status|show)$/i.test(sub))
    run.add('self.guard-admin', `${shown} ${verb} ${sub} changes the circuit breaker: only a human may do that`);
}

/** `vaibot …`: see {@link judgeVaibotArgs}. */
const vaibot: Handler = (call) => {
  judgeVaibotArgs(call, call.args, 'vaibot');
  return UNKNOWN_OUTPUT;
};

/** Feature names whose being off means Codex loads no hooks, or no plugins (ours among them). */
const HOOK_FEATURES = /^(?:codex_)?hooks$|^plugins$|^plugin_hooks$/i;

/** True when a comma-separated feature list names a hook or plugin feature. */
function namesHookFeature(list: string): boolean {
  return list.split(',').some((f) => HOOK_FEATURES.test(f.trim().replace(/^["']|["']$/g, '')));
}

/** A `-c key=value` override that switches hooks or plugins off, or rewrites their configuration. */
function hookOverride(cfg: string): boolean {
  const s = cfg.replace(/\s+/g, '');
  const eq = s.indexOf('=');
  const key = (eq >= 0 ? s.slice(0, eq) : s).replace(/["']/g, '');
  const value = eq >= 0 ? s.slice(eq + 1) : '';
  if (/^features\./i.test(key) && HOOK_FEATURES.test(key.slice(9)) && /^["']?(?:false|0|no|off)["']?$/i.test(value)) return true;
  if (/^features$/i.test(key) && /(?:^|[{,])["']?(?:codex_)?(?:hooks|plugins|plugin_hooks)["']?=["']?(?:false|0)/i.test(value)) return true;
  return /^(?:hooks|plugins|marketplaces?)(?:[.=\[]|$)/i.test(key);
}

/** Variables that change where or how a nested Codex's hooks run. */
function hookEnvironment(call: Call): string[] {
  const names = new Set<string>([...call.env.keys(), ...call.scope.vars.keys()]);
  return [...names].filter((n) => /^VAIBOT_/.test(n) || n === 'NODE_OPTIONS' || n === 'NODE_PATH' || n === 'LD_PRELOAD' || n === 'HOME' || n === 'XDG_CONFIG_HOME');
}

/** `codex plugin(s) …` / `codex marketplace …` verbs that change which plugins, and so which hooks, load. */
const PLUGIN_CHANGE = /^(?:remove|rm|uninstall|disable|delete|install|add|enable|upgrade|update|trust|untrust)$/i;

/** `codex`: launching it with hooks off, hook trust bypassed, another CODEX_HOME, or its plugins changed. */
const codex: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!;
    const next = a[i + 1] ?? '';
    if (t === '--dangerously-bypass-hook-trust') run.add('self.codex-hooks-disabled', 'codex --dangerously-bypass-hook-trust runs untrusted hooks and skips trust checks');
    if (/^--(?:ignore-user-config|no-user-config|ignore-config)$/.test(t)) run.add('self.codex-hooks-disabled', `codex ${t} starts Codex without the configuration that enables VAIBOT's plugin`);
    if ((t === '--disable' && namesHookFeature(next)) || (/^--disable=/.test(t) && namesHookFeature(t.slice(10))))
      run.add('self.codex-hooks-disabled', `codex ${t} ${t === '--disable' ? next : ''} turns governance off`);
    if ((t === 'features' || t === 'feature') && next === 'disable' && namesHookFeature(a.slice(i + 2).join(',')))
      run.add('self.codex-hooks-disabled', 'codex features disable turns hooks or plugins off');
    const cfg = t === '-c' || t === '--config' ? next : /^--config=/.test(t) ? t.slice(9) : /^-c./.test(t) ? t.slice(2) : null;
    if (cfg !== null && hookOverride(cfg)) run.add('self.codex-hooks-disabled', `codex -c ${cfg} switches off or overrides hooks or plugins`);
  }
  const home = envValue(call, 'CODEX_HOME');
  if (home !== undefined && home !== run.zones.codexHome) run.add('self.codex-hooks-disabled', `codex is launched with CODEX_HOME=${display(home)}, where VAIBOT's hooks are not installed`);
  for (const name of hookEnvironment(call)) {
    const value = envValue(call, name);
    if (name === 'HOME' && (value === run.zones.home || home !== undefined)) continue;
    run.add('self.codex-hooks-disabled', `codex is launched with ${name}${value !== undefined ? '=' + display(value) : ' changed'}, which changes how or whether VAIBOT's hooks run`);
  }
  const ops = a.filter((x) => !x.startsWith('-'));
  const sub = ops[0];
  if (sub === 'mcp' && /^(?:remove|rm|delete|disable)$/i.test(ops[1] ?? '') && /vaibot/i.test(ops.slice(2).join(' ')))
    run.add('self.codex-hooks-disabled', `codex mcp ${ops[1]} ${ops.slice(2).join(' ')} removes VAIBOT's approval tools from Codex`);
  // `codex mcp add NAME -- CMD…`: Codex starts CMD in every later session
  const dd = a.indexOf('--');
  if (sub === 'mcp' && ops[1] === 'add' && dd >= 0 && a.length > dd + 1) {
    run.add('persist.tool-command', `codex mcp add makes Codex start ${display(a.slice(dd + 1).join(' '))} in every session`);
    runCode(call, 'sh', a.slice(dd + 1).map(shellQuote).join(' '), 'codex mcp add (started by Codex later)');
  }
  if ((sub === 'plugin' || sub === 'plugins' || sub === 'marketplace') && ops.slice(1, 3).some((x) => PLUGIN_CHANGE.test(x)))
    run.add('self.codex-hooks-disabled', `codex ${ops.slice(0, 3).join(' ')} changes which plugins, and so which hooks, Codex loads`);
  if (sub === 'app-server' || sub === 'mcp-server' || sub === 'proto') {
    if (call.stdin.kind === 'text' && /hooks|batchWrite|trusted_hash|plugin/i.test(call.stdin.text)) run.add('self.codex-hooks-disabled', 'codex app-server is fed requests that change hook trust or plugins');
    else if (call.stdin.kind === 'terminal') run.add('exec.interactive', `codex ${sub} reads requests from stdin: requests sent with write_stdin are not governed`);
  }
  return UNKNOWN_OUTPUT;
};

/**
 * Platforms' and secret managers' CLIs that print or download secret values, judged for any program
 * before its own handler (which judges the rest: deploys, teardown, the command a manager runs).
 */
const CREDENTIAL_PRINTERS: Record<string, (args: string[]) => boolean> = {
  doppler: (a) => a[0] === 'secrets' && (a.length === 1 || /^(?:download|get)$/.test(a[1] ?? '') || a.some((x) => /^--(?:json|plain|raw)$/.test(x))),
  infisical: (a) => a[0] === 'export' || (a[0] === 'secrets' && (a.length === 1 || a[1] === 'get' || a.some((x) => /^--(?:plain|raw|silent)$/.test(x)))),
  vercel: (a) => a[0] === 'env' && a[1] === 'pull',
  netlify: (a) => /^env:(?:get|list)$/.test(a[0] ?? '') && a.some((x) => /^--(?:plain|json)$/.test(x)),
  firebase: (a) => a[0] === 'functions:config:get' || a[0] === 'functions:secrets:access',
  heroku: (a) => /^config(?::get)?$/.test(a[0] ?? ''),
  railway: (a) => (a[0] === 'variables' || a[0] === 'vars') && !a.slice(1).some((x) => x === 'set' || x === '--set' || x.startsWith('--set=')),
  glab: (a) => a[0] === 'auth' && (a[1] === 'token' || (a[1] === 'status' && a.some((x) => x === '--show-token' || x === '-t'))),
};

/** See {@link CREDENTIAL_PRINTERS}. */
export function judgeCredentialPrinters(call: Call): void {
  const match = Object.hasOwn(CREDENTIAL_PRINTERS, call.program) ? CREDENTIAL_PRINTERS[call.program] : undefined;
  if (match?.(call.args)) call.exec.run.add('secrets.credential-store', `${call.program} ${call.args.map(display).join(' ')} prints or downloads secret values`);
}

/** Both handlers' judgments; the output is the second's (the command a secret manager runs). */
function alsoRuns(first: Handler, second: Handler): Handler {
  return (call) => {
    first(call);
    return second(call);
  };
}

/**
 * Other coding agents told to act without asking (`claude --dangerously-skip-permissions`, `gemini
 * -y`, `aider --yes-always`, …): whatever they then do never passes through VAIBOT.
 */
function ungovernedAgent(flags: RegExp): Handler {
  return (call) => {
    const a = call.args;
    // `--flag value` is tested as `--flag=value` too
    const hit = a.map((x, i) => (flags.test(x) ? x : flags.test(`${x}=${a[i + 1] ?? ''}`) ? `${x} ${a[i + 1]}` : null)).find((x) => x !== null);
    if (hit) call.exec.run.add('self.ungoverned-agent', `${call.program} ${hit} runs another agent whose actions skip both its own checks and VAIBOT`);
    return UNKNOWN_OUTPUT;
  };
}

/** `pip install …` from the index: fine (an install from a URL or another index is judged in packageSources.ts). */
const pip: Handler = (call) => {
  if (call.args[0] === 'download' || call.args[0] === 'install') return UNKNOWN_OUTPUT;
  if (call.args[0] === 'config' && call.args[1] === 'get' && /password|token/i.test(call.args[2] ?? '')) call.exec.run.add('secrets.credential-store', 'pip config get prints a credential');
  return UNKNOWN_OUTPUT;
};

/** `history -c`, `unset HISTFILE`: fine; `chsh`: changes the login shell (persistence). */
const chsh: Handler = (call) => {
  call.exec.run.add('persist.shell-rc', 'chsh changes the login shell');
  return EMPTY_INPUT;
};

/** `install -D`, `update-alternatives`, `ldconfig`: system changes. */
const systemChange: Handler = (call) => {
  if (call.args.some((a) => a === '--install' || a === '--set' || a === '--remove' || a === '--config')) judgeWrite(call.exec.run, pathOf(call, '/etc/alternatives'), { verb: call.program });
  return UNKNOWN_OUTPUT;
};


/** True when a chmod mode makes a file executable (`+x`, `u+x`, `755`, `a=rx`). */
function addsExecute(mode: string): boolean {
  return /^[0-7]{3,4}$/.test(mode) ? /[1357]/.test(mode.slice(-3)) : /^[ugoa]*[+=][rwXst]*x/.test(mode);
}

/** `chmod +x FILE`: an executable made in a directory on PATH shadows the command of that name. */
const chmodShadow: Handler = (call) => {
  const a = call.argWords.filter((w) => !/^-[a-zA-Z]+$|^--[\w-]+$/.test(w.text));
  if (call.program === 'chmod' && a.length > 1 && a[0]!.text.split(',').some(addsExecute)) {
    for (const w of a.slice(1)) {
      const ref = pathOf(call, w);
      if (!ref) continue;
      const content = call.exec.run.contentOf(ref.path);
      judgePathShadow(call, ref.path, content?.kind === 'text' ? content.text : undefined, 'chmod +x');
    }
  }
  return FILE_HANDLERS.chmod!(call);
};

/**
 * `ps e`, `ps auxe`, `ps -eo args,env`: prints other processes' environments, the agent's own
 * parent (with its API keys) among them.
 */
const ps: Handler = (call) => {
  const a = call.args;
  // a BSD-style word of option letters with `e` (`ps e`, `ps auxe`, `ps -eo pid,args e`), not the value of an option
  const bsdEnv = a.some((x, i) => /^[a-zA-Z]+$/.test(x) && x.includes('e') && !/^(?:-[a-zA-Z]*[oOpuUgGtCq]|--[a-z-]+)$/.test(a[i - 1] ?? ''));
  const format = a.some((x, i) => (/^-[a-zA-Z]*[oO]$|^[oO]$/.test(x) || /^--format$/.test(x)) && /\benv(?:iron)?\b/.test(a[i + 1] ?? '')) || a.some((x) => /^--format=.*\benv\b/.test(x));
  if (bsdEnv || format) call.exec.run.add('secrets.dump-env', `ps ${a.join(' ')} prints the environment of every process, secrets included`);
  return { kind: 'unknown', from: { download: false, decoded: false, secret: bsdEnv || format } };
};

/** `pkill -u USER`, `killall -u USER` with no name: every process of that user (this session among them). */
function killsUser(call: Call, operands: readonly string[]): void {
  const a = call.args;
  const userIdx = a.findIndex((x) => /^-[a-zA-Z]*u$|^--user$|^-u.+|^--user=/.test(x));
  if (userIdx < 0) return;
  const user = /^-u.+/.test(a[userIdx]!) ? a[userIdx]!.slice(2) : a[userIdx]!.startsWith('--user=') ? a[userIdx]!.slice(7) : a[userIdx + 1];
  const names = operands.filter((o) => o !== user);
  if (names.length === 0) call.exec.run.add('proc.kill-all', `${call.program} ${a.join(' ')} signals every process of user ${user ?? '?'}`);
}

const vaultReads = credentialStore((a) => a[0] === 'read' || (a[0] === 'kv' && a[1] === 'get') || (a[0] === 'token' && a[1] === 'lookup'));

/** `vault`: reading a secret, and disabling or deleting secrets and access. */
const vault: Handler = (call) => {
  const line = call.args.filter((a) => !a.startsWith('-')).join(' ');
  // a secrets engine disabled or a secret's every version destroyed: gone for good
  if (/^(?:secrets disable|kv metadata delete|kv destroy|auth disable)\b/.test(line)) call.exec.run.add('infra.cloud-destroy', `vault ${line} destroys secrets`);
  else if (/^(?:kv delete|delete|policy delete|token revoke)\b/.test(line)) call.exec.run.add('infra.cloud-delete', `vault ${line} deletes secrets or access`);
  if (/^token create\b/.test(line) && call.args.some((a) => /^-?-policy=root$/.test(a) || a === 'root')) call.exec.run.add('infra.access-grant', 'vault token create mints a root token');
  return vaultReads(call);
};

/** System handlers, by program name. */
export const SYSTEM_HANDLERS: Record<string, Handler> = {
  ps,
  pgrep: pidLookup, pidof: pidLookup,
  kill, pkill: (call) => {
    const operands = call.args.filter((a) => !a.startsWith('-'));
    if (call.args.some((a) => a === '-1') || operands.some((p) => p === '.' || p === '.*' || p === '')) call.exec.run.add('proc.kill-all', `${call.program} ${call.args.join(' ')} matches every process`);
    else killsUser(call, operands);
    stopsGuard(call);
    return EMPTY_INPUT;
  },
  killall: (call) => {
    killsUser(call, call.args.filter((a) => !a.startsWith('-')));
    if (call.args.some((a) => /^(?:sshd|firewalld|auditd|fail2ban-server|apparmor|systemd-journald|rsyslogd)$/.test(a))) call.exec.run.add('proc.host-config', `killall ${call.args.join(' ')} stops a service the machine relies on`);
    stopsGuard(call);
    return EMPTY_INPUT;
  },
  killall5,
  // `lsof -ti :8787`: the pids of whatever serves the governance port
  lsof: (call) => ({ kind: 'unknown', from: PLAIN, producer: call.args.some((a) => PORT_IN_LSOF.test(a)) ? GUARD_PIDS : 'lsof' }),
  fuser: (call) => {
    if (call.args.some((a) => /^-[a-zA-Z]*k/.test(a)) && call.args.some((a) => PORT_IN_FUSER.test(a))) call.exec.run.add('self.guard-admin', `fuser ${call.args.join(' ')} kills VAIBOT's governance server`);
    return UNKNOWN_OUTPUT;
  },
  // starving a process found by name (`renice 19 -p $(pgrep -f hookd)`)
  renice: (call) => { killsGuardByPid(call); return UNKNOWN_OUTPUT; },
  shutdown: power, reboot: power, halt: power, poweroff: power,
  init, telinit: init,
  systemctl,
  launchctl,
  crontab,
  security: credentialStore((a) => /^(?:find-(?:generic|internet)-password|dump-keychain|export)$/.test(a[0] ?? '') && (a[0] !== 'find-generic-password' && a[0] !== 'find-internet-password' || a.some((x) => /^-[a-zA-Z]*[wg]/.test(x)))),
  'secret-tool': credentialStore((a) => a[0] === 'lookup' || a[0] === 'search'),
  pass: credentialStore((a) => a.length > 0 && !/^(?:ls|list|init|insert|generate|rm|mv|cp|git|grep|find|edit|--help|--version|help|version)$/.test(a[0]!) || a[0] === 'show'),
  gopass: credentialStore((a) => a[0] === 'show' || a[0] === 'cat' || (a.length === 1 && !a[0]!.startsWith('-'))),
  op: alsoRuns(credentialStore((a) => a[0] === 'read' || (a[0] === 'item' && a[1] === 'get') || a[0] === 'inject'), secretInjector('run')),
  vault,
  keyring: credentialStore((a) => a[0] === 'get'),
  lpass: credentialStore((a) => a[0] === 'show'),
  bw: credentialStore((a) => a[0] === 'get' || (a[0] === 'list' && a[1] === 'items') || a[0] === 'export'),
  'docker-credential-desktop': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  'docker-credential-osxkeychain': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  'docker-credential-pass': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  'docker-credential-secretservice': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  vaibot,
  codex,
  claude: ungovernedAgent(/^--dangerously-skip-permissions$|^--permission-mode=bypassPermissions$|^--allow-dangerously-skip-permissions$/),
  gemini: ungovernedAgent(/^-y$|^--yolo$|^--approval-mode=yolo$/),
  aider: ungovernedAgent(/^--yes(?:-always)?$/),
  'cursor-agent': ungovernedAgent(/^-f$|^--force$/),
  opencode: ungovernedAgent(/^--dangerously-skip-permissions$/),
  // `goose run` is autonomous unless GOOSE_MODE says otherwise
  goose: ungovernedAgent(/^--no-confirm$|^run$/),
  qwen: ungovernedAgent(/^-y$|^--yolo$|^--approval-mode=yolo$/),
  copilot: ungovernedAgent(/^--allow-all-tools$|^--allow-all-paths$|^--yolo$/),
  crush: ungovernedAgent(/^-y$|^--yolo$/),
  q: ungovernedAgent(/^--trust-all-tools$/),
  droid: ungovernedAgent(/^--skip-permissions-unsafe$|^--auto=high$/),
  amp: ungovernedAgent(/^--dangerously-allow-all$/),
  keyctl: credentialStore((a) => /^(?:print|read|pipe)$/.test(a[0] ?? '')),
  sops: alsoRuns(credentialStore((a) => a.some((x) => /^(?:-d|--decrypt|exec-env|exec-file)$/.test(x)) || a[0] === 'decrypt'), secretInjector('exec-env')),
  'ansible-vault': credentialStore((a) => /^(?:view|decrypt)$/.test(a[0] ?? '')),
  getent: credentialStore((a) => /^g?shadow$/.test(a[0] ?? '')),
  // exporting private keys, or decrypting a secret store's entry (pass keeps each as a .gpg file)
  gpg: credentialStore(gpgReadsSecret),
  gpg2: credentialStore(gpgReadsSecret),
  'kwallet-query': credentialStore((a) => a.some((x) => /^-[a-z]*r$|^--read-password$/.test(x))),
  pip,
  chsh,
  'update-alternatives': systemChange,
  chmod: chmodShadow,
};
