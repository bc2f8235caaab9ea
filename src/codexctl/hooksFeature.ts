import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { CodexCtlError } from './errors.js';

/** What config.toml says about hooks and one plugin. */
export interface HooksFeatureState {
  /** The config.toml read. */
  configPath: string;
  /** False when there is no config.toml (everything at Codex's defaults). */
  configExists: boolean;
  /**
   * `[features] hooks` (or its alias `codex_hooks`): true/false when set, undefined when unset
   * (hooks are on by default in Codex 0.169).
   */
  hooksFeature: boolean | undefined;
  /** True when config.toml turns hooks off. */
  hooksDisabled: boolean;
  /** Every `[plugins."<id>"]` entry with its `enabled` flag (missing flag = true, as Codex reads it). */
  plugins: Record<string, { enabled: boolean }>;
  /** The asked-for plugin: whether config.toml has its entry and whether it is enabled. */
  plugin?: { id: string; configured: boolean; enabled: boolean };
  /** `[hooks.state]`: trust entries by hook key, as written (`trusted_hash`, `trusted_content_hash`, …). */
  hookState: Record<string, Record<string, unknown>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `$CODEX_HOME/config.toml` (a real TOML parser: smol-toml) and reports whether hooks are turned
 * off there (`[features] hooks = false`, `features.hooks = false`, or the alias `codex_hooks`), the
 * `enabled` flag of each plugin (and of `pluginId` when given), and the hook trust entries.
 * Only the user's config file is read: `--disable hooks`, `-c` overrides, profiles and managed
 * configuration can still turn hooks off; `codex features list` reports the effective value.
 * Throws `config_invalid` when the file exists but is not valid TOML.
 */
export async function readHooksFeature(codexHome: string, pluginId?: string): Promise<HooksFeatureState> {
  const configPath = join(codexHome, 'config.toml');
  let text: string | undefined;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CodexCtlError('config_invalid', `cannot read ${configPath}: ${(error as Error).message}`, { cause: error });
    }
  }
  let doc: Record<string, unknown> = {};
  if (text !== undefined) {
    try {
      doc = parseToml(text) as Record<string, unknown>;
    } catch (error) {
      throw new CodexCtlError('config_invalid', `${configPath} is not valid TOML: ${(error as Error).message}`, { cause: error });
    }
  }
  const features = isRecord(doc.features) ? doc.features : {};
  const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
  const hooksFeature = flag(features.hooks) ?? flag(features.codex_hooks);
  const plugins: Record<string, { enabled: boolean }> = {};
  if (isRecord(doc.plugins)) {
    for (const [id, entry] of Object.entries(doc.plugins)) {
      plugins[id] = { enabled: !(isRecord(entry) && entry.enabled === false) };
    }
  }
  const hookState: HooksFeatureState['hookState'] = {};
  const hooks = isRecord(doc.hooks) ? doc.hooks : {};
  if (isRecord(hooks.state)) {
    for (const [key, entry] of Object.entries(hooks.state)) if (isRecord(entry)) hookState[key] = entry;
  }
  const state: HooksFeatureState = {
    configPath,
    configExists: text !== undefined,
    hooksFeature,
    hooksDisabled: hooksFeature === false,
    plugins,
    hookState,
  };
  if (pluginId !== undefined) {
    const entry = plugins[pluginId];
    state.plugin = { id: pluginId, configured: entry !== undefined, enabled: entry?.enabled ?? false };
  }
  return state;
}
