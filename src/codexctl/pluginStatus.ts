import { listFeatures } from './features.js';
import { listHooks, type HookInfo } from './hooks.js';
import { readHooksFeature, type HooksFeatureState } from './hooksFeature.js';
import { isCodexCtlError } from './errors.js';
import { listPlugins, type PluginEntry } from './plugins.js';
import { pluginCacheDir } from './codexHome.js';
import type { CodexCommandOptions } from './runCodexJson.js';

/** Why a plugin's hooks would not run (each one alone turns governance off, silently). */
export type PluginProblemCode =
  | 'codex_unavailable' // codex could not be run or answered unexpectedly
  | 'config_invalid' // config.toml is not valid TOML
  | 'not_installed'
  | 'disabled' // [plugins."<id>"] enabled = false
  | 'hooks_feature_off' // [features] hooks = false (or codex_hooks, a profile, managed config)
  | 'no_hooks' // Codex lists no hooks of the plugin
  | 'no_pre_tool_use' // no PreToolUse hook among them
  | 'hooks_untrusted' // never trusted: skipped
  | 'hooks_modified'; // files changed since they were trusted (every upgrade): skipped

/** One problem, with the thing a person can do about it. */
export interface PluginProblem {
  code: PluginProblemCode;
  message: string;
  fix: string;
}

/** The Codex-side state of one plugin: what decides whether its hooks run. */
export interface PluginStatus {
  codexHome: string;
  /** `<plugin>@<market>` of the installed copy (the first, when several marketplaces provide it). */
  pluginId?: string;
  entry?: PluginEntry;
  /** Where Codex keeps the installed copy (PLUGIN_ROOT of its hooks). */
  installedPath?: string;
  config?: HooksFeatureState;
  /** The effective `hooks` feature flag (`codex features list`), when it could be read. */
  hooksFeatureEffective?: boolean;
  /** The plugin's hooks as Codex lists them. */
  hooks: HookInfo[];
  problems: PluginProblem[];
  /** True when the plugin's hooks, a PreToolUse hook among them, will run in a new session. */
  active: boolean;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Inspects whether `pluginName`'s hooks are live in `codexHome`: installed and enabled (`codex plugin
 * list`), hooks feature on (config.toml and `codex features list`), and each hook trusted for the files
 * installed now (`codex app-server` hooks/list). Never throws for a state it can describe: failures
 * become problems. `installCommand` names the fix for install/trust problems (e.g. `vaibot install`).
 */
export async function inspectPluginStatus(
  pluginName: string,
  options: CodexCommandOptions & { installCommand?: string },
): Promise<PluginStatus> {
  const install = options.installCommand ?? `codex plugin add ${pluginName}@<marketplace>`;
  const status: PluginStatus = { codexHome: options.codexHome, hooks: [], problems: [], active: false };
  const problem = (code: PluginProblemCode, message: string, fix: string): void => {
    status.problems.push({ code, message, fix });
  };

  try {
    status.config = await readHooksFeature(options.codexHome);
  } catch (error) {
    problem('config_invalid', describe(error), `fix the TOML syntax in ${options.codexHome}/config.toml`);
  }

  let installed: PluginEntry[];
  try {
    installed = (await listPlugins(options)).installed.filter((entry) => entry.name === pluginName);
  } catch (error) {
    problem('codex_unavailable', `cannot list Codex plugins: ${describe(error)}`, 'check that the codex CLI runs (`codex --version`)');
    return status;
  }
  const entry = installed.find((candidate) => candidate.enabled) ?? installed[0];
  if (entry === undefined) {
    problem('not_installed', `plugin ${pluginName} is not installed in ${options.codexHome}`, `run \`${install}\``);
    return status;
  }
  status.entry = entry;
  status.pluginId = entry.pluginId;
  if (entry.version) status.installedPath = pluginCacheDir(options.codexHome, entry.marketplaceName, entry.name, entry.version);
  if (!entry.enabled) {
    problem(
      'disabled',
      `plugin ${entry.pluginId} is installed but disabled`,
      `set \`enabled = true\` under [plugins."${entry.pluginId}"] in ${options.codexHome}/config.toml, or run \`${install}\``,
    );
  }

  try {
    const flag = (await listFeatures(options)).find((feature) => feature.name === 'hooks');
    if (flag !== undefined) status.hooksFeatureEffective = flag.enabled;
  } catch {
    // older or newer codex without `features list`: fall back to config.toml
  }
  const hooksOff = status.hooksFeatureEffective === false || status.config?.hooksDisabled === true;
  if (hooksOff) {
    problem(
      'hooks_feature_off',
      'Codex hooks are turned off (the `hooks` feature is false)',
      `remove \`hooks = false\` (or \`codex_hooks = false\`) from [features] in ${options.codexHome}/config.toml, or run \`codex features enable hooks\`; never start codex with \`--disable hooks\``,
    );
  }
  if (!entry.enabled || hooksOff) return status; // Codex lists no hooks then: nothing more to learn

  try {
    status.hooks = (await listHooks({ ...options, cwd: options.cwd ?? options.codexHome })).filter(
      (hook) => hook.pluginId === entry.pluginId,
    );
  } catch (error) {
    const code = isCodexCtlError(error) ? error.code : 'unknown';
    problem('codex_unavailable', `cannot list hooks through codex app-server (${code}): ${describe(error)}`, 'check that `codex app-server` runs');
    return status;
  }
  if (status.hooks.length === 0) {
    problem('no_hooks', `Codex lists no hooks for ${entry.pluginId}`, `reinstall the plugin: \`${install}\``);
    return status;
  }
  if (!status.hooks.some((hook) => hook.event === 'preToolUse')) {
    problem('no_pre_tool_use', `${entry.pluginId} has no PreToolUse hook`, `reinstall the plugin: \`${install}\``);
  }
  const untrusted = status.hooks.filter((hook) => hook.trustStatus === 'untrusted');
  const modified = status.hooks.filter((hook) => hook.trustStatus === 'modified');
  if (untrusted.length > 0) {
    problem(
      'hooks_untrusted',
      `${untrusted.length} hook(s) of ${entry.pluginId} are not trusted, so Codex skips them without a word: ${untrusted.map((h) => h.event).join(', ')}`,
      `run \`${install}\` (it trusts them through codex app-server), or trust them in Codex's /hooks screen`,
    );
  }
  if (modified.length > 0) {
    problem(
      'hooks_modified',
      `${modified.length} hook(s) of ${entry.pluginId} changed since they were trusted (an upgrade or an edit of the installed files), so Codex skips them: ${modified.map((h) => h.event).join(', ')}`,
      `if you made or expected the change, run \`${install}\` to trust the installed version; otherwise reinstall from a source you trust`,
    );
  }
  status.active = status.problems.length === 0;
  return status;
}
