import * as z from 'zod/mini';
import { runCodexJson, type CodexCommandOptions } from './runCodexJson.js';

const PluginAddResult = z.looseObject({
  pluginId: z.string(),
  name: z.string(),
  marketplaceName: z.string(),
  version: z.optional(z.nullable(z.string())),
  installedPath: z.string(),
});
/** What `codex plugin add <plugin>@<market> --json` prints. */
export type PluginAddResult = z.infer<typeof PluginAddResult>;

const PluginRemoveResult = z.looseObject({
  pluginId: z.string(),
  name: z.string(),
  marketplaceName: z.string(),
});
/** What `codex plugin remove <plugin>@<market> --json` prints (also when it was not installed). */
export type PluginRemoveResult = z.infer<typeof PluginRemoveResult>;

const PluginEntry = z.looseObject({
  pluginId: z.string(),
  name: z.string(),
  marketplaceName: z.string(),
  version: z.optional(z.nullable(z.string())),
  installed: z.boolean(),
  enabled: z.boolean(),
  source: z.optional(z.looseObject({ source: z.string(), path: z.optional(z.string()) })),
});
/** One plugin from `codex plugin list --json --available`. */
export type PluginEntry = z.infer<typeof PluginEntry>;

const PluginList = z.looseObject({
  installed: z.array(PluginEntry),
  available: z.optional(z.array(PluginEntry)),
});
/** Installed and (not yet installed) available plugins. */
export interface PluginList {
  installed: PluginEntry[];
  available: PluginEntry[];
}

/**
 * Installs `<plugin>@<market>` from a configured marketplace: Codex copies the plugin directory into
 * `$CODEX_HOME/plugins/cache/<market>/<plugin>/<version>/` (symlinks dropped) and writes
 * `[plugins."<plugin>@<market>"] enabled = true`. Installing again refreshes the copy, which turns the
 * plugin's hooks `modified` until they are trusted again.
 */
export function addPlugin(selector: string, options: CodexCommandOptions): Promise<PluginAddResult> {
  return runCodexJson(['plugin', 'add', selector, '--json'], PluginAddResult, options);
}

/** Uninstalls `<plugin>@<market>` and deletes its cache; succeeds when it was not installed. */
export function removePlugin(selector: string, options: CodexCommandOptions): Promise<PluginRemoveResult> {
  return runCodexJson(['plugin', 'remove', selector, '--json'], PluginRemoveResult, options);
}

/** Lists installed plugins and the available ones of every configured marketplace. */
export async function listPlugins(options: CodexCommandOptions): Promise<PluginList> {
  const list = await runCodexJson(['plugin', 'list', '--json', '--available'], PluginList, options);
  return { installed: list.installed, available: list.available ?? [] };
}
