import { listHooks as listHooksViaAppServer, type HookInfo, type HookListOptions } from '../../codexctl/hooks.js';
import { readHooksFeature } from '../../codexctl/hooksFeature.js';
import { pluginLocation, type PluginLocation } from './pluginLocation.js';
import type { ParentCodex } from './parentCodex.js';

/** Why governance is off (or could not be confirmed): each alone means Codex runs tools ungoverned. */
export type HookProblemCode =
  | 'session_hooks_disabled' // this Codex session was started with --disable hooks / -c features.hooks=false
  | 'hooks_feature_off' // [features] hooks = false in config.toml
  | 'disabled' // the plugin is disabled in config.toml
  | 'config_invalid' // config.toml unreadable or not TOML
  | 'no_hooks' // Codex lists none of the plugin's hooks
  | 'no_pre_tool_use' // none of them is a PreToolUse hook
  | 'hooks_untrusted' // never trusted: skipped without a word
  | 'hooks_modified'; // files changed since trusted (every upgrade): skipped without a word

/** One reason governance is off, with the thing to do about it. */
export interface HookProblem {
  code: HookProblemCode;
  message: string;
  fix: string;
}

/** Whether the plugin's hooks will govern this Codex session, as far as the server could tell. */
export interface HookState {
  /** on: hooks listed, trusted, enabled; off: at least one problem; unknown: could not be checked. */
  state: 'on' | 'off' | 'unknown';
  checkedAt: string;
  /** The installed copy this server runs from, when it runs from Codex's plugin cache. */
  plugin: { id: string; version: string; installedPath: string; codexHome: string } | null;
  /** What was consulted: the parent codex command line, config.toml, `codex app-server` hooks/list. */
  checks: Array<'command-line' | 'config' | 'app-server'>;
  problems: HookProblem[];
  /** Why the state is unknown, or other context. */
  note: string | null;
}

/** Inputs of {@link checkHookState}; `listHooks` and `parent` are injectable for tests. */
export interface HookStateOptions {
  /** This server's working directory (Codex sets it to the installed plugin copy). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The codex process that started us (null: unknown). */
  parent: ParentCodex | null;
  /** Deadline for the app-server check (default 4000 ms). */
  timeoutMs?: number;
  listHooks?: (options: HookListOptions) => Promise<HookInfo[]>;
  now?: () => number;
}

/** The command that installs and trusts the plugin's hooks. */
export const INSTALL_COMMAND = 'vaibot install';

function pluginOf(loc: PluginLocation): HookState['plugin'] {
  return { id: loc.pluginId, version: loc.version, installedPath: loc.installedPath, codexHome: loc.codexHome };
}

function finish(state: HookState, now: () => number): HookState {
  state.state = state.problems.length > 0 ? 'off' : state.checks.includes('app-server') ? 'on' : 'unknown';
  state.checkedAt = new Date(now()).toISOString();
  return state;
}

/**
 * The cheap part of {@link checkHookState} (a few milliseconds): the parent codex's command line and
 * config.toml. `off` when either turns governance off; otherwise `unknown` (trust needs the app-server).
 */
export async function quickHookState(options: Pick<HookStateOptions, 'cwd' | 'parent' | 'now'>): Promise<HookState> {
  const now = options.now ?? Date.now;
  const loc = pluginLocation(options.cwd);
  const state: HookState = { state: 'unknown', checkedAt: new Date(now()).toISOString(), plugin: loc ? pluginOf(loc) : null, checks: [], problems: [], note: null };
  if (loc === null) {
    state.note = `this MCP server is not running from an installed Codex plugin (cwd ${options.cwd}), so it cannot tell whether the hooks govern the session; run \`vaibot doctor\``;
    return finish(state, now);
  }
  const problem = (code: HookProblemCode, message: string, fix: string): void => {
    state.problems.push({ code, message, fix });
  };
  const parent = options.parent;
  if (parent !== null) {
    state.checks.push('command-line');
    if (parent.hooksDisabled) {
      problem(
        'session_hooks_disabled',
        'this Codex session was started with hooks turned off on its command line (`--disable hooks` or `-c features.hooks=false`)',
        'quit and start codex again without `--disable hooks` / the features override',
      );
    }
  }
  try {
    const config = await readHooksFeature(loc.codexHome, loc.pluginId);
    state.checks.push('config');
    if (config.hooksDisabled) {
      problem(
        'hooks_feature_off',
        `Codex hooks are turned off in ${config.configPath} ([features] hooks = false)`,
        `remove \`hooks = false\` (or \`codex_hooks = false\`) from [features] in ${config.configPath}, or run \`codex features enable hooks\`, then restart codex`,
      );
    }
    if (config.plugin?.configured === true && !config.plugin.enabled) {
      problem(
        'disabled',
        `the plugin ${loc.pluginId} is disabled in ${config.configPath}`,
        `set \`enabled = true\` under [plugins."${loc.pluginId}"] in ${config.configPath} (or run \`${INSTALL_COMMAND}\`), then restart codex`,
      );
    }
  } catch (err) {
    problem('config_invalid', `cannot read Codex's configuration: ${err instanceof Error ? err.message : String(err)}`, `fix ${loc.codexHome}/config.toml, then restart codex`);
  }
  return finish(state, now);
}

/**
 * Checks, at MCP server start, whether Codex will actually run the plugin's hooks: Codex starts our MCP
 * server even when the hooks are off (untrusted, modified by an upgrade, hooks feature off, session
 * started with `--disable hooks`), so this is where the silence can be broken. Cheap checks first (the
 * parent's command line, config.toml: {@link quickHookState}); then `codex app-server` hooks/list for
 * trust. Never throws.
 */
export async function checkHookState(options: HookStateOptions): Promise<HookState> {
  const now = options.now ?? Date.now;
  const state = await quickHookState(options);
  const loc = pluginLocation(options.cwd);
  if (loc === null || state.problems.length > 0) return state; // Codex lists no hooks then: nothing more to learn
  const parent = options.parent;
  const problem = (code: HookProblemCode, message: string, fix: string): void => {
    state.problems.push({ code, message, fix });
  };
  const done = (): HookState => finish(state, now);

  const env: NodeJS.ProcessEnv = { ...options.env };
  if (parent?.executable && !env.VAIBOT_CODEX_BIN) env.VAIBOT_CODEX_BIN = parent.executable; // the very codex that started us
  let hooks: HookInfo[];
  try {
    hooks = (
      await (options.listHooks ?? listHooksViaAppServer)({
        codexHome: loc.codexHome,
        env,
        cwd: loc.codexHome,
        timeoutMs: options.timeoutMs ?? 4000,
        clientName: 'vaibot-mcp',
      })
    ).filter((h) => h.pluginId === loc.pluginId);
  } catch (err) {
    state.note = `could not ask \`codex app-server\` whether the hooks are trusted (${err instanceof Error ? err.message : String(err)}); run \`vaibot doctor\``;
    return done();
  }
  state.checks.push('app-server');
  if (hooks.length === 0) {
    problem('no_hooks', `Codex lists no hooks for ${loc.pluginId}`, `reinstall and trust the plugin: \`${INSTALL_COMMAND}\`, then restart codex`);
    return done();
  }
  if (!hooks.some((h) => h.event === 'preToolUse')) {
    problem('no_pre_tool_use', `${loc.pluginId} has no PreToolUse hook, so no tool call is checked`, `reinstall the plugin: \`${INSTALL_COMMAND}\`, then restart codex`);
  }
  const bypass = parent?.bypassHookTrust === true;
  const untrusted = hooks.filter((h) => h.trustStatus === 'untrusted');
  const modified = hooks.filter((h) => h.trustStatus === 'modified');
  if (untrusted.length > 0 && !bypass) {
    problem(
      'hooks_untrusted',
      `${untrusted.length} hook(s) of ${loc.pluginId} are not trusted, so Codex skips them without a word: ${untrusted.map((h) => h.event).join(', ')}`,
      `run \`${INSTALL_COMMAND}\` (it trusts them through codex app-server) or trust them in Codex's /hooks screen, then restart codex`,
    );
  }
  if (modified.length > 0 && !bypass) {
    problem(
      'hooks_modified',
      `${modified.length} hook(s) of ${loc.pluginId} changed since they were trusted (an upgrade or an edit of the installed files), so Codex skips them: ${modified.map((h) => h.event).join(', ')}`,
      `if you made or expected the change, run \`${INSTALL_COMMAND}\` to trust the installed version (or use Codex's /hooks screen); otherwise reinstall from a source you trust; then restart codex`,
    );
  }
  if (bypass && (untrusted.length > 0 || modified.length > 0)) {
    state.note = 'hooks are not trusted, but this session runs them anyway (`--dangerously-bypass-hook-trust`)';
  }
  return done();
}

/** One paragraph for people and models: is this session governed, and if not, why and what to do. */
export function describeHookState(s: HookState): string {
  if (s.state === 'on') return `Governance is ON: the ${s.plugin?.id ?? 'VAIBot'} hooks are installed, enabled and trusted, so every tool call is checked before it runs.`;
  if (s.state === 'off') {
    return [
      'WARNING: VAIBot governance is OFF for this Codex session: tool calls run without being checked or recorded.',
      ...s.problems.map((p) => `- ${p.message}. Fix: ${p.fix}.`),
    ].join('\n');
  }
  return `Governance state unknown: ${s.note ?? 'not checked yet'}.`;
}
