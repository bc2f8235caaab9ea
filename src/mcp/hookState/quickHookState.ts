import { readHooksFeature } from '../../codexctl/hooksFeature.js';
import type { HookInfo, HookListOptions } from '../../codexctl/hooks.js';
import { INSTALL_COMMAND, type HookProblemCode, type HookState } from './hookState.js';
import type { ParentCodex } from './parentCodex.js';
import { pluginLocation, type PluginLocation } from './pluginLocation.js';

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

/** The installed copy as the state reports it. */
export function pluginOf(loc: PluginLocation): HookState['plugin'] {
  return { id: loc.pluginId, version: loc.version, installedPath: loc.installedPath, codexHome: loc.codexHome };
}

/** Set the state from what was found: off with problems, on once the app-server vouched, else unknown. */
export function finishHookState(state: HookState, now: () => number): HookState {
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
    return finishHookState(state, now);
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
  return finishHookState(state, now);
}

