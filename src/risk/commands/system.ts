/**
 * System and self-protection: processes, power, services and cron, credential stores, and the
 * programs that could switch governance off (vaibot approve/deny, codex with hooks disabled).
 */
import type { Handler } from '../call.js';
import { type DataSource, EMPTY_INPUT } from '../shellValue.js';
import { runSource } from './scripts.js';
import { UNKNOWN_OUTPUT, display, pathOf } from './support.js';
import { judgeWrite } from '../pathRules.js';

/** `kill`: `-1` as a target signals every process. */
const kill: Handler = (call) => {
  const a = call.args;
  let i = 0;
  if (a[0] === '-s' || a[0] === '-n') i = 2;
  else if (a[0] && /^-(?:\d+|[A-Z][A-Z0-9+-]*|SIG\w+)$/.test(a[0]) && a.length > 1) i = 1;
  if (a[i] === '--') i++;
  if (a.slice(i).some((t) => t === '-1')) call.exec.run.add('proc.kill-all', `${call.program} ${a.join(' ')} signals every process the user owns`);
  return EMPTY_INPUT;
};

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

/** `systemctl`: enabling units is persistence; poweroff/reboot are power. */
const systemctl: Handler = (call) => {
  const ops = call.args.filter((a) => !a.startsWith('-'));
  const sub = ops[0] ?? '';
  if (/^(?:poweroff|reboot|halt|kexec|suspend|hibernate|hybrid-sleep|soft-reboot|emergency|rescue)$/.test(sub)) call.exec.run.add('proc.power', `systemctl ${sub} changes the machine's power state`);
  if (/^(?:enable|link|edit|add-wants|add-requires|set-property|preset|reenable)$/.test(sub)) call.exec.run.add('persist.autostart', `systemctl ${sub} ${ops.slice(1).join(' ')} installs something that starts automatically`);
  if (sub === 'isolate' && /^(?:poweroff|reboot|halt|rescue|emergency)\.target$/.test(ops[1] ?? '')) call.exec.run.add('proc.power', `systemctl isolate ${ops[1]} changes the machine's state`);
  return UNKNOWN_OUTPUT;
};

const launchctl: Handler = (call) => {
  const sub = call.args.find((a) => !a.startsWith('-')) ?? '';
  if (/^(?:load|bootstrap|enable|submit|kickstart)$/.test(sub)) call.exec.run.add('persist.autostart', `launchctl ${sub} installs or starts a launch agent`);
  if (sub === 'reboot') call.exec.run.add('proc.power', 'launchctl reboot reboots the machine');
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

/** Credential stores and secret-printing CLIs. */
function credentialStore(match: (args: string[]) => boolean): Handler {
  return (call) => {
    if (match(call.args)) call.exec.run.add('secrets.credential-store', `${call.program} ${call.args.map(display).join(' ')} reads a stored secret`);
    return { kind: 'unknown', from: { download: false, decoded: false, secret: match(call.args) } };
  };
}

/** `vaibot approve|deny` — approvals are human acts; the agent must never run them. */
const vaibot: Handler = (call) => {
  const verb = call.args.find((a) => !a.startsWith('-'));
  if (verb && /^(?:approve|deny|approvals?)$/i.test(verb)) {
    const sub = verb.toLowerCase().startsWith('approval') ? call.args[call.args.indexOf(verb) + 1] ?? '' : verb;
    if (/^(?:approve|deny|grant|reject)$/i.test(sub) || /^(?:approve|deny)$/i.test(verb))
      call.exec.run.add('self.approval-verb', `vaibot ${verb}${sub !== verb ? ' ' + sub : ''} decides a pending approval: only a human may do that`);
  }
  return UNKNOWN_OUTPUT;
};

/** `codex`: launching it with hooks off, hook trust bypassed, or another CODEX_HOME. */
const codex: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!;
    const next = a[i + 1] ?? '';
    if (t === '--dangerously-bypass-hook-trust') run.add('self.codex-hooks-disabled', 'codex --dangerously-bypass-hook-trust runs untrusted hooks and skips trust checks');
    if ((t === '--disable' && /(?:^|,)\s*hooks\b/.test(next)) || /^--disable=.*\bhooks\b/.test(t)) run.add('self.codex-hooks-disabled', 'codex --disable hooks turns governance off');
    if ((t === 'features' || t === 'feature') && next === 'disable' && /\bhooks\b/.test(a[i + 2] ?? '')) run.add('self.codex-hooks-disabled', 'codex features disable hooks turns governance off');
    const cfg = t === '-c' || t === '--config' ? next : /^--config=/.test(t) ? t.slice(9) : /^-c./.test(t) ? t.slice(2) : null;
    if (cfg !== null) {
      const s = cfg.replace(/\s+/g, '');
      if (/^features\.hooks=(?:false|0|"false"|'false'|no|off)/i.test(s) || /^features=.*hooks\s*=\s*false/i.test(s)) run.add('self.codex-hooks-disabled', `codex -c ${cfg} turns hooks off`);
      if (/^hooks[.=]/i.test(s)) run.add('self.codex-hooks-disabled', `codex -c ${cfg} overrides hook configuration or trust`);
    }
    if (t === '--profile' || t === '-p') {
      /* a profile only selects config.toml sections: fine */
    }
  }
  const home = call.env.get('CODEX_HOME') ?? (call.scope.vars.get('CODEX_HOME')?.kind === 'scalar' ? (call.scope.vars.get('CODEX_HOME') as { word: { text: string } }).word : undefined);
  if (home && home.text !== run.zones.codexHome) run.add('self.codex-hooks-disabled', `codex is launched with CODEX_HOME=${display(home.text)}, where VAIBOT's hooks are not installed`);
  const sub = a.find((x) => !x.startsWith('-'));
  if (sub === 'app-server' || sub === 'mcp-server' || sub === 'proto') {
    if (call.stdin.kind === 'text' && /hooks|batchWrite|trusted_hash/i.test(call.stdin.text)) run.add('self.codex-hooks-disabled', 'codex app-server is fed requests that change hook trust');
    else if (call.stdin.kind === 'terminal') run.add('exec.interactive', `codex ${sub} reads requests from stdin: requests sent with write_stdin are not governed`);
  }
  return UNKNOWN_OUTPUT;
};

/** `pip install …`: fine; `pip install` from a URL is fine too (a package manager). Placeholders for symmetry. */
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


/** System handlers, by program name. */
export const SYSTEM_HANDLERS: Record<string, Handler> = {
  kill, pkill: (call) => {
    if (call.args.some((a) => a === '-1') || call.args.filter((a) => !a.startsWith('-')).some((p) => p === '.' || p === '.*' || p === '')) call.exec.run.add('proc.kill-all', `pkill ${call.args.join(' ')} matches every process`);
    return EMPTY_INPUT;
  },
  killall5,
  shutdown: power, reboot: power, halt: power, poweroff: power,
  init, telinit: init,
  systemctl,
  launchctl,
  crontab,
  security: credentialStore((a) => /^(?:find-(?:generic|internet)-password|dump-keychain|export)$/.test(a[0] ?? '') && (a[0] !== 'find-generic-password' && a[0] !== 'find-internet-password' || a.some((x) => /^-[a-zA-Z]*[wg]/.test(x)))),
  'secret-tool': credentialStore((a) => a[0] === 'lookup' || a[0] === 'search'),
  pass: credentialStore((a) => a.length > 0 && !/^(?:ls|list|init|insert|generate|rm|mv|cp|git|grep|find|edit|--help|--version|help|version)$/.test(a[0]!) || a[0] === 'show'),
  gopass: credentialStore((a) => a[0] === 'show' || a[0] === 'cat' || (a.length === 1 && !a[0]!.startsWith('-'))),
  op: credentialStore((a) => a[0] === 'read' || (a[0] === 'item' && a[1] === 'get') || a[0] === 'inject'),
  vault: credentialStore((a) => a[0] === 'read' || (a[0] === 'kv' && a[1] === 'get') || (a[0] === 'token' && a[1] === 'lookup')),
  keyring: credentialStore((a) => a[0] === 'get'),
  lpass: credentialStore((a) => a[0] === 'show'),
  bw: credentialStore((a) => a[0] === 'get' || (a[0] === 'list' && a[1] === 'items')),
  'docker-credential-desktop': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  'docker-credential-osxkeychain': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  'docker-credential-pass': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  'docker-credential-secretservice': credentialStore((a) => a[0] === 'get' || a[0] === 'list'),
  vaibot,
  codex,
  gpg: credentialStore((a) => a.some((x) => /^--export-secret-(?:sub)?keys$|^--export-ssh-key$/.test(x))),
  gpg2: credentialStore((a) => a.some((x) => /^--export-secret-(?:sub)?keys$/.test(x))),
  pip,
  chsh,
  'update-alternatives': systemChange,
};
