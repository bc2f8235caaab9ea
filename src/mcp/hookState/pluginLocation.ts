import { basename, dirname, join, resolve, sep } from 'node:path';

/** Where an installed copy of the plugin sits in Codex's cache, derived from its directory. */
export interface PluginLocation {
  codexHome: string;
  market: string;
  plugin: string;
  version: string;
  /** `<plugin>@<market>`, Codex's plugin id. */
  pluginId: string;
  /** The installed copy: `<codexHome>/plugins/cache/<market>/<plugin>/<version>`. */
  installedPath: string;
}

/**
 * Codex starts plugin MCP servers with cwd = the installed copy (`"cwd": "."` in .mcp.json), which is
 * `<codexHome>/plugins/cache/<market>/<plugin>/<version>`. Returns that location, or null when `dir`
 * is not inside a plugin cache (e.g. started from the source tree).
 */
export function pluginLocation(dir: string): PluginLocation | null {
  const installedPath = resolve(dir);
  const version = basename(installedPath);
  const pluginDir = dirname(installedPath);
  const plugin = basename(pluginDir);
  const marketDir = dirname(pluginDir);
  const market = basename(marketDir);
  const cacheDir = dirname(marketDir);
  const pluginsDir = dirname(cacheDir);
  if (basename(cacheDir) !== 'cache' || basename(pluginsDir) !== 'plugins') return null;
  if ([version, plugin, market].some((part) => part === '' || part === '.' || part === '..' || part.includes(sep))) return null;
  const codexHome = dirname(pluginsDir);
  return { codexHome, market, plugin, version, pluginId: `${plugin}@${market}`, installedPath: join(codexHome, 'plugins', 'cache', market, plugin, version) };
}
