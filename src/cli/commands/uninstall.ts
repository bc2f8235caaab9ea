import type { CliIO } from '../command.js';
import { parseArgs } from '../args.js';
import {
  isCodexCtlError,
  listPlugins,
  readHooksFeature,
  removeMarketplace,
  removePlugin,
  replaceHookState,
  resolveCodexHome,
} from '../../codexctl/index.js';
import { PLUGIN_NAME } from './install.js';

const HELP = `Usage: vaibot uninstall

Removes the VAIBot plugin from Codex ($CODEX_HOME, default ~/.codex) with \`codex plugin remove\`,
drops its hook trust entries, and unregisters its marketplace when it provides nothing else.
Your receipts, keys and policy in ~/.vaibot are left in place.
`;

/** `vaibot uninstall`: remove the plugin, its trust entries and its marketplace; says what it did. */
export default async function uninstall(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [], ['help']);
  if (args.options.has('help')) {
    io.stdout(HELP);
    return 0;
  }
  const codexHome = resolveCodexHome(io.env);
  const ctx = { codexHome, env: io.env, cwd: codexHome };
  try {
    const before = await listPlugins(ctx);
    const ours = before.installed.filter((plugin) => plugin.name === PLUGIN_NAME);
    const markets = new Set([...before.installed, ...before.available].filter((p) => p.name === PLUGIN_NAME).map((p) => p.marketplaceName));
    if (ours.length === 0 && markets.size === 0) {
      io.stdout(`${PLUGIN_NAME} is not installed in CODEX_HOME=${codexHome}; nothing to do.\n`);
      return 0;
    }
    for (const plugin of ours) {
      await removePlugin(plugin.pluginId, ctx);
      io.stdout(`✓ removed plugin ${plugin.pluginId} and its cached copy (codex plugin remove)\n`);
    }

    const config = await readHooksFeature(codexHome);
    const prefixes = [...markets].map((market) => `${PLUGIN_NAME}@${market}:`);
    const kept = Object.fromEntries(Object.entries(config.hookState).filter(([key]) => !prefixes.some((p) => key.startsWith(p))));
    const dropped = Object.keys(config.hookState).length - Object.keys(kept).length;
    if (dropped > 0) {
      await replaceHookState(kept, ctx);
      io.stdout(`✓ dropped ${dropped} hook trust entr${dropped === 1 ? 'y' : 'ies'} from ${config.configPath} (codex app-server config/batchWrite)\n`);
    }

    const after = await listPlugins(ctx);
    for (const market of markets) {
      const others = [...after.installed, ...after.available].filter((p) => p.marketplaceName === market && p.name !== PLUGIN_NAME);
      if (others.length > 0) {
        io.stdout(`- kept marketplace ${market}: it also provides ${others.map((p) => p.name).join(', ')}\n`);
        continue;
      }
      await removeMarketplace(market, ctx);
      io.stdout(`✓ unregistered marketplace ${market} (codex plugin marketplace remove)\n`);
    }
    io.stdout('VAIBot governance is removed from Codex. Your receipts, keys and policy in VAIBOT_HOME (default ~/.vaibot) are left in place.\n');
    return 0;
  } catch (error) {
    if (isCodexCtlError(error)) {
      io.stderr(`vaibot uninstall: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
