import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$CODEX_HOME` when set and non-empty, else `~/.codex` (as Codex itself resolves it). */
export function resolveCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CODEX_HOME;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return join(env.HOME && env.HOME !== '' ? env.HOME : homedir(), '.codex');
}

/** Where Codex keeps an installed plugin's copy: `<codexHome>/plugins/cache/<market>/<plugin>/<version>`. */
export function pluginCacheDir(codexHome: string, market: string, plugin: string, version: string): string {
  return join(codexHome, 'plugins', 'cache', market, plugin, version);
}

/** Where Codex points a plugin's `PLUGIN_DATA`: `<codexHome>/plugins/data/<plugin>-<market>`. */
export function pluginDataDir(codexHome: string, market: string, plugin: string): string {
  return join(codexHome, 'plugins', 'data', `${plugin}-${market}`);
}
