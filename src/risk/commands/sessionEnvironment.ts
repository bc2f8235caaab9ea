/**
 * Commands that set environment variables for processes started later, outside this shell: fish's
 * universal variables (`set -Ux`), tmux's global environment, the systemd/D-Bus activation
 * environment, `launchctl setenv`, Windows' `setx`. Setting VAIBOT's or Codex's own variables there
 * changes how the hooks of every later session run, as an edit of a shell startup file does
 * (`self.vaibot-env-in-rc`); fish's `set -x`/`-gx` exports in the current shell (`self.vaibot-env`).
 */
import type { Call } from '../call.js';
import { display } from './support.js';

/** Names that change how VAIBOT or Codex's hooks run. */
const GUARD_VAR = /^(?:VAIBOT_\w+|CODEX_HOME|NODE_OPTIONS)(?:=|$)/;

/** The variable names a call sets, and whether the setting outlives this shell. */
function settings(call: Call): { names: string[]; lasting: boolean } | null {
  const a = call.args;
  const ops = a.filter((x) => !x.startsWith('-'));
  switch (call.program) {
    case 'set': {
      const flags = a.filter((x) => /^-[a-zA-Z]+$/.test(x) || /^--(?:universal|export|global)$/.test(x)).join('');
      if (!/[Uxg]|universal|export|global/.test(flags)) return null;
      return { names: ops.slice(0, 1), lasting: /U|universal/.test(flags) };
    }
    case 'tmux':
      return /^(?:set-environment|setenv)$/.test(ops[0] ?? '') ? { names: ops.slice(1, 2), lasting: true } : null;
    case 'dbus-update-activation-environment':
      return { names: ops, lasting: true };
    case 'systemctl':
      return /^(?:set-environment|import-environment)$/.test(ops[0] ?? '') ? { names: ops.slice(1), lasting: true } : null;
    case 'launchctl':
      return ops[0] === 'setenv' ? { names: ops.slice(1, 2), lasting: true } : null;
    case 'setx':
      return { names: ops.slice(0, 1), lasting: true };
    default:
      return null;
  }
}

/** Judge a call that sets environment variables for later processes: see the file's comment. */
export function judgeSessionEnvironment(call: Call): void {
  const s = settings(call);
  if (!s) return;
  const guard = s.names.filter((n) => GUARD_VAR.test(n));
  if (guard.length === 0) return;
  const what = `${call.program} ${call.args.map(display).join(' ')}`.slice(0, 160);
  if (s.lasting) call.exec.run.add('self.vaibot-env-in-rc', `${what} sets ${guard.map((n) => n.split('=')[0]).join(', ')} for every process started later: how VAIBOT or Codex's hooks run would change`);
  else call.exec.run.add('self.vaibot-env', `${what} exports ${guard.map((n) => n.split('=')[0]).join(', ')} in the agent's shell`);
}
