import { writeInstallRecord } from '../../identity/installRecord.js';
import { vaibotHome } from '../../state/paths.js';
import { VERSION } from '../../util/version.js';
import { BUILD_ID } from '../../util/buildId.js';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../command.js';
import { opt, parseArgs } from '../args.js';
import {
  addMarketplace,
  addPlugin,
  findMarketplaceRoot,
  isCodexCtlError,
  listMarketplaces,
  readHooksFeature,
  readPluginSource,
  removeMarketplace,
  removePlugin,
  resolveCodexHome,
  runCodex,
  trustPluginHooks,
} from '../../codexctl/index.js';

/** The plugin this package ships (its id is `vaibot@<marketplace name>`). */
export const PLUGIN_NAME = 'vaibot';

const HELP = `Usage: vaibot install [--root DIR]

Installs the VAIBot plugin into Codex ($CODEX_HOME, default ~/.codex) through Codex's own commands:
  codex plugin marketplace add <root>   (this package's .agents/plugins/marketplace.json)
  codex plugin add vaibot@<marketplace>
then trusts the plugin's hooks through \`codex app-server\` (the same record Codex's /hooks screen
writes). Codex skips untrusted hooks without a word, and every upgrade makes them untrusted again:
run \`vaibot install\` after each upgrade, and \`vaibot doctor\` to check.

  --root DIR   install from the marketplace at DIR instead of this package's own
`;

/** The marketplace root this CLI ships in: found upwards from the bundle (plugin/dist/cli.mjs -> ../..). */
export function ownMarketplaceRoot(): string | undefined {
  return findMarketplaceRoot(dirname(fileURLToPath(import.meta.url)));
}

/** `vaibot install`: register the marketplace, add the plugin, trust its hooks; says what it did. */
export default async function install(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['root'], ['help']);
  if (args.options.has('help')) {
    io.stdout(HELP);
    return 0;
  }
  const root = opt(args, 'root') ?? ownMarketplaceRoot();
  if (root === undefined) {
    io.stderr('vaibot install: cannot find this package\'s .agents/plugins/marketplace.json; pass --root <dir>\n');
    return 1;
  }
  const codexHome = resolveCodexHome(io.env);
  const ctx = { codexHome, env: io.env, cwd: codexHome };
  try {
    const source = await readPluginSource(root, PLUGIN_NAME);
    if (source.missingFiles.length > 0) {
      io.stderr(
        `vaibot install: the plugin at ${source.pluginDir} is not built; missing:\n${source.missingFiles.map((f) => `  ${f}`).join('\n')}\n` +
          'Run `npm run build` in the package first.\n',
      );
      return 1;
    }
    await mkdir(codexHome, { recursive: true });
    const version = await runCodex(['--version'], { ...ctx, timeoutMs: 15_000 });
    io.stdout(`Installing ${source.pluginId} ${source.version ?? ''} into CODEX_HOME=${codexHome} (${version.stdout.trim() || 'codex'})\n`);

    const existing = (await listMarketplaces(ctx)).find((market) => market.name === source.market);
    if (existing !== undefined && existing.root !== null && existing.root !== source.root) {
      io.stdout(`- marketplace ${source.market} was registered from ${existing.root}; switching it to ${source.root}\n`);
      await removePlugin(source.pluginId, ctx);
      await removeMarketplace(source.market, ctx);
    }
    const market = await addMarketplace(source.root, ctx);
    io.stdout(
      `✓ marketplace ${market.marketplaceName} ${market.alreadyAdded ? 'already registered' : 'registered'} from ${source.root} (codex plugin marketplace add)\n`,
    );
    const added = await addPlugin(source.pluginId, ctx);
    io.stdout(`✓ plugin ${added.pluginId} ${added.version ?? ''} installed into ${added.installedPath} (codex plugin add)\n`);

    const config = await readHooksFeature(codexHome, added.pluginId);
    if (config.hooksDisabled) {
      io.stderr(
        `✗ Codex hooks are turned off in ${config.configPath} ([features] hooks = false): the plugin is installed but governance is OFF.\n` +
          '    fix: remove that line (or run `codex features enable hooks`), then run `vaibot install` again.\n',
      );
      return 1;
    }
    const trust = await trustPluginHooks(added.pluginId, { ...ctx, cwds: [codexHome] });
    const events = trust.hooks.map((hook) => hook.event).join(', ');
    io.stdout(
      trust.newlyTrusted.length > 0
        ? `✓ trusted ${trust.newlyTrusted.length} hook(s) of ${added.pluginId} through codex app-server (config/batchWrite hooks.state, as Codex's /hooks screen does): ${events}\n`
        : `✓ hooks of ${added.pluginId} were already trusted for these files: ${events}\n`,
    );
    writeInstallRecord(vaibotHome(io.env), { version: VERSION, build: BUILD_ID, pluginId: added.pluginId, installedAt: new Date().toISOString() });
    io.stdout(
      '  Codex runs these hooks only while the installed files match what was trusted: after any upgrade, run `vaibot install` again.\n' +
        'Governance is installed. Check it any time with `vaibot doctor`.\n',
    );
    return 0;
  } catch (error) {
    if (isCodexCtlError(error)) {
      io.stderr(`vaibot install: ${error.message}\n`);
      if (error.code === 'no_hooks') io.stderr('    fix: check `vaibot doctor`: the plugin may be disabled or hooks turned off.\n');
      return 1;
    }
    throw error;
  }
}
