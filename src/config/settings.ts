import type { BreakerSettings } from '../../machines/breaker.types.js';
import { VaibotError } from '../util/vaibotError.js';
import { vaibotHome } from '../state/paths.js';

/** observe: never blocks, records the verdict it would have given; enforce: blocks deny and approval_required. */
export type Mode = 'observe' | 'enforce';

/** Every VAIBOT_* setting, parsed and validated. */
export interface Settings {
  mode: Mode;
  home: string;
  /** Remote governance server; undefined = embedded (local) governance. */
  apiUrl: string | undefined;
  apiKey: string | undefined;
  timeoutMs: number;
  failOpen: boolean;
  debug: boolean;
  dashboardUrl: string;
  approvalTtlMs: number;
  hookDeadlineMs: number;
  agentApprovals: boolean;
  breaker: BreakerSettings & { allowlist: string[]; denylist: string[] };
}

/** Documentation of every variable: name, default, meaning (kept in step with the README's table). */
export const SETTINGS_DOC: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'VAIBOT_MODE', default: 'observe', meaning: '`observe` (allow everything, log and record the verdict) or `enforce` (block deny and approval_required)' },
  { name: 'VAIBOT_HOME', default: '~/.vaibot', meaning: 'Where state lives: receipts database, approvals, breaker, identity, policy' },
  { name: 'VAIBOT_API_URL', default: '(unset: embedded)', meaning: 'Governance server base URL; unset means decisions are made locally' },
  { name: 'VAIBOT_API_KEY', default: '(auto-provisioned)', meaning: 'Bearer token for the governance server (remote mode)' },
  { name: 'VAIBOT_TIMEOUT_MS', default: '10000', meaning: 'Timeout of one request to the governance server, ms' },
  { name: 'VAIBOT_FAIL_OPEN', default: 'false', meaning: 'If true, allow when no decision can be reached at all (never overrides a verdict)' },
  { name: 'VAIBOT_DEBUG', default: '(unset)', meaning: 'Set to 1 for debug-level JSON logs on stderr' },
  { name: 'VAIBOT_DASHBOARD_URL', default: 'VAIBOT_API_URL when set, else http://127.0.0.1:8787', meaning: 'Base of the approval links in block messages (`<url>/verify/decision/<hash>`)' },
  { name: 'VAIBOT_APPROVAL_TTL_MS', default: '86400000', meaning: 'How long a blocked action waits for a human before the request expires, and how long a granted once/session approval stays usable, ms' },
  { name: 'VAIBOT_HOOK_DEADLINE_MS', default: '20000', meaning: "The hook's internal deadline; past it, enforce mode denies (kept inside hooks.json's timeout)" },
  { name: 'VAIBOT_AGENT_APPROVALS', default: '0', meaning: 'Set to 1 to let the agent approve through MCP without a human confirmation (a documented risk)' },
  { name: 'VAIBOT_BREAKER_FAILURE_THRESHOLD', default: '3', meaning: 'Transient API failures within the window that trip the breaker' },
  { name: 'VAIBOT_BREAKER_WINDOW_MS', default: '10000', meaning: 'Sliding window for counting failures, ms' },
  { name: 'VAIBOT_BREAKER_COOLDOWN_MS', default: '60000', meaning: 'Cooldown after a trip before one trial call, ms (doubles after each failed trial)' },
  { name: 'VAIBOT_BREAKER_MAX_COOLDOWN_MS', default: '600000', meaning: 'Ceiling of the backed-off cooldown, ms' },
  { name: 'VAIBOT_BREAKER_ALLOWLIST', default: 'Read,Grep,Glob', meaning: 'Tools that pass while the breaker is open' },
  { name: 'VAIBOT_BREAKER_DENYLIST', default: '(empty)', meaning: 'Tools always blocked while the breaker is open (wins over the allowlist)' },
  { name: 'VAIBOT_DAEMON', default: '1', meaning: '0 answers every hook call in its own process instead of the warm daemon' },
  { name: 'VAIBOT_DAEMON_IDLE_MS', default: '600000', meaning: 'The hook daemon exits after this long without a call' },
  { name: 'VAIBOT_APPROVER', default: '(OS user)', meaning: 'The name recorded for CLI approvals' },
  { name: 'VAIBOT_CODEX_BIN', default: '(the installed codex)', meaning: 'The codex binary used by install, doctor and demo' },
  { name: 'VAIBOT_CHECKPOINT_EVERY', default: '100', meaning: 'Sign a checkpoint after this many new receipts' },
  { name: 'VAIBOT_CHECKPOINT_INTERVAL_MS', default: '60000', meaning: 'Or after this long with receipts waiting' },
  { name: 'VAIBOT_ANCHOR_RPC_URL', default: '(unset)', meaning: 'EVM JSON-RPC endpoint for `vaibot anchor`' },
  { name: 'VAIBOT_ANCHOR_CHAIN_ID', default: '(unset)', meaning: 'Chain id for `vaibot anchor`' },
  { name: 'VAIBOT_ANCHOR_KEY_FILE', default: '(unset)', meaning: 'File holding the anchoring account key for `vaibot anchor`' },
];

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const t = raw.trim();
  if (!/^\d+$/.test(t)) {
    throw new VaibotError('config_invalid', `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new VaibotError('config_invalid', `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const t = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off'].includes(t)) return false;
  throw new VaibotError('config_invalid', `${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function list(env: NodeJS.ProcessEnv, name: string, def: string): string[] {
  const raw = env[name] ?? def;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function url(env: NodeJS.ProcessEnv, name: string, def: string | undefined): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    return raw.trim().replace(/\/+$/, '');
  } catch {
    throw new VaibotError('config_invalid', `${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
}

/**
 * The mode alone, read first so a later configuration error can still be handled per mode.
 * An unrecognised VAIBOT_MODE is an error (the hook then fails closed).
 */
export function readMode(env: NodeJS.ProcessEnv): Mode {
  const raw = (env.VAIBOT_MODE ?? '').trim().toLowerCase();
  if (raw === '') return 'observe';
  if (raw === 'observe' || raw === 'enforce') return raw;
  throw new VaibotError('config_invalid', `VAIBOT_MODE must be observe or enforce, got ${JSON.stringify(env.VAIBOT_MODE)}`);
}

/** Parse every VAIBOT_* variable; throws `config_invalid` naming the first bad variable. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const cooldownMs = int(env, 'VAIBOT_BREAKER_COOLDOWN_MS', 60_000, 0);
  const timeoutMs = int(env, 'VAIBOT_TIMEOUT_MS', 10_000, 1);
  const apiUrl = url(env, 'VAIBOT_API_URL', undefined);
  return {
    mode: readMode(env),
    home: vaibotHome(env),
    apiUrl,
    apiKey: env.VAIBOT_API_KEY && env.VAIBOT_API_KEY.trim() !== '' ? env.VAIBOT_API_KEY.trim() : undefined,
    timeoutMs,
    failOpen: bool(env, 'VAIBOT_FAIL_OPEN', false),
    debug: bool(env, 'VAIBOT_DEBUG', false),
    // in remote mode the approval pages are on the governance server itself
    dashboardUrl: url(env, 'VAIBOT_DASHBOARD_URL', apiUrl ?? 'http://127.0.0.1:8787') as string,
    approvalTtlMs: int(env, 'VAIBOT_APPROVAL_TTL_MS', 86_400_000, 1),
    hookDeadlineMs: int(env, 'VAIBOT_HOOK_DEADLINE_MS', 20_000, 100),
    agentApprovals: bool(env, 'VAIBOT_AGENT_APPROVALS', false),
    breaker: {
      failureThreshold: int(env, 'VAIBOT_BREAKER_FAILURE_THRESHOLD', 3, 1),
      windowMs: int(env, 'VAIBOT_BREAKER_WINDOW_MS', 10_000, 1),
      cooldownMs,
      maxCooldownMs: Math.max(int(env, 'VAIBOT_BREAKER_MAX_COOLDOWN_MS', 600_000, 0), cooldownMs),
      trialTimeoutMs: timeoutMs + 5_000,
      allowlist: list(env, 'VAIBOT_BREAKER_ALLOWLIST', 'Read,Grep,Glob'),
      denylist: list(env, 'VAIBOT_BREAKER_DENYLIST', ''),
    },
  };
}
