import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import * as z from 'zod/mini';
import { CodexCtlError } from './errors.js';
import { runCodexJson, type CodexCommandOptions } from './runCodexJson.js';

/** Where a marketplace keeps its manifest, relative to its root. */
export const MARKETPLACE_FILE = join('.agents', 'plugins', 'marketplace.json');

const MarketplaceAddResult = z.looseObject({
  marketplaceName: z.string(),
  installedRoot: z.nullable(z.string()),
  alreadyAdded: z.boolean(),
});
/** What `codex plugin marketplace add <root> --json` prints. */
export type MarketplaceAddResult = z.infer<typeof MarketplaceAddResult>;

const MarketplaceRemoveResult = z.looseObject({
  marketplaceName: z.string(),
  installedRoot: z.optional(z.nullable(z.string())),
});
/** What `codex plugin marketplace remove <name> --json` prints. */
export type MarketplaceRemoveResult = z.infer<typeof MarketplaceRemoveResult>;

const MarketplaceList = z.looseObject({
  marketplaces: z.array(
    z.looseObject({
      name: z.string(),
      root: z.nullable(z.string()),
      marketplaceSource: z.optional(z.looseObject({ sourceType: z.string(), source: z.string() })),
    }),
  ),
});
/** One configured marketplace, from `codex plugin marketplace list --json`. */
export type MarketplaceInfo = z.infer<typeof MarketplaceList>['marketplaces'][number];

const MarketplaceManifest = z.looseObject({
  name: z.string().check(z.minLength(1)),
  plugins: z.array(
    z.looseObject({
      name: z.string().check(z.minLength(1)),
      source: z.optional(z.looseObject({ source: z.string(), path: z.optional(z.string()) })),
    }),
  ),
});
/** The parts of `.agents/plugins/marketplace.json` we rely on. */
export type MarketplaceManifest = z.infer<typeof MarketplaceManifest>;

/** Registers the marketplace at `root` (a directory holding `.agents/plugins/marketplace.json`). */
export function addMarketplace(root: string, options: CodexCommandOptions): Promise<MarketplaceAddResult> {
  return runCodexJson(['plugin', 'marketplace', 'add', resolve(root), '--json'], MarketplaceAddResult, options);
}

/**
 * Unregisters a marketplace by name. Remove its plugins first: Codex leaves an installed plugin's
 * cache and its `[plugins."p@m"] enabled = true` entry behind when only the marketplace goes.
 */
export function removeMarketplace(name: string, options: CodexCommandOptions): Promise<MarketplaceRemoveResult> {
  return runCodexJson(['plugin', 'marketplace', 'remove', name, '--json'], MarketplaceRemoveResult, options);
}

/** The marketplaces Codex currently considers. */
export async function listMarketplaces(options: CodexCommandOptions): Promise<MarketplaceInfo[]> {
  return (await runCodexJson(['plugin', 'marketplace', 'list', '--json'], MarketplaceList, options)).marketplaces;
}

/** Reads and checks a marketplace manifest at `root`. Throws `marketplace_invalid`. */
export async function readMarketplace(root: string): Promise<MarketplaceManifest> {
  const path = join(root, MARKETPLACE_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new CodexCtlError('marketplace_invalid', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const checked = z.safeParse(MarketplaceManifest, parsed);
  if (!checked.success) {
    throw new CodexCtlError('marketplace_invalid', `${path} is not a marketplace: ${z.prettifyError(checked.error)}`);
  }
  return checked.data;
}

/**
 * The nearest directory at or above `start` that holds `.agents/plugins/marketplace.json` (how the CLI
 * finds its own package root from its bundle, plugin/dist/cli.mjs), or undefined.
 */
export function findMarketplaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, MARKETPLACE_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
