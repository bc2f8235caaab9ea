import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CodexCtlError } from './errors.js';
import { readMarketplace } from './marketplace.js';

/** A plugin as a marketplace root provides it, before Codex copies it. */
export interface PluginSource {
  /** The marketplace root (holds `.agents/plugins/marketplace.json`). */
  root: string;
  /** The marketplace's name: the `@<market>` of the plugin id. */
  market: string;
  /** `<plugin>@<market>`. */
  pluginId: string;
  /** The plugin directory Codex copies. */
  pluginDir: string;
  /** The version in its `.codex-plugin/plugin.json`, when readable. */
  version: string | undefined;
  /** Files the plugin's hook commands reference as `${PLUGIN_ROOT}/…` that do not exist (an unbuilt plugin). */
  missingFiles: string[];
}

/**
 * Locates `pluginName` in the marketplace at `root` (local source only) and checks that the files its
 * hooks run are there. Throws `marketplace_invalid` when the marketplace does not list a local plugin
 * of that name.
 */
export async function readPluginSource(root: string, pluginName: string): Promise<PluginSource> {
  const manifest = await readMarketplace(root);
  const entry = manifest.plugins.find((plugin) => plugin.name === pluginName);
  if (entry === undefined) {
    throw new CodexCtlError('marketplace_invalid', `marketplace ${manifest.name} at ${root} has no plugin ${pluginName}`);
  }
  if (entry.source === undefined || entry.source.source !== 'local' || entry.source.path === undefined) {
    throw new CodexCtlError('marketplace_invalid', `plugin ${pluginName} in ${root} is not a local plugin`);
  }
  const pluginDir = resolve(root, entry.source.path);
  let version: string | undefined;
  let hooksRel = 'hooks/hooks.json';
  try {
    const pluginManifest = JSON.parse(await readFile(join(pluginDir, '.codex-plugin', 'plugin.json'), 'utf8')) as Record<string, unknown>;
    if (typeof pluginManifest.version === 'string') version = pluginManifest.version;
    if (typeof pluginManifest.hooks === 'string') hooksRel = pluginManifest.hooks;
  } catch {
    // Codex reports a broken manifest itself when adding the plugin
  }
  const missingFiles: string[] = [];
  try {
    const hooksText = await readFile(join(pluginDir, hooksRel), 'utf8');
    for (const match of hooksText.matchAll(/\$\{PLUGIN_ROOT\}\/([^"'\s\\]+)/g)) {
      const file = join(pluginDir, match[1]!);
      if (!existsSync(file) && !missingFiles.includes(file)) missingFiles.push(file);
    }
  } catch {
    missingFiles.push(join(pluginDir, hooksRel));
  }
  return { root: resolve(root), market: manifest.name, pluginId: `${pluginName}@${manifest.name}`, pluginDir, version, missingFiles };
}
