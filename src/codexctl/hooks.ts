import * as z from 'zod/mini';
import { withAppServer, type AppServerClient, type AppServerOptions } from './appServer.js';
import { CodexCtlError } from './errors.js';

/** How Codex regards a hook: only `trusted` (and `managed`) hooks run; the others are skipped silently. */
export type HookTrustStatus = 'untrusted' | 'trusted' | 'modified' | 'managed';

const HookMetadata = z.looseObject({
  key: z.string(),
  eventName: z.string(),
  handlerType: z.string(),
  command: z.optional(z.nullable(z.string())),
  matcher: z.nullable(z.string()),
  timeoutSec: z.number(),
  sourcePath: z.string(),
  source: z.string(),
  pluginId: z.nullable(z.string()),
  enabled: z.boolean(),
  isManaged: z.boolean(),
  currentHash: z.string(),
  trustStatus: z.enum(['untrusted', 'trusted', 'modified', 'managed']),
});

const HooksListResponse = z.looseObject({
  data: z.array(
    z.looseObject({
      cwd: z.string(),
      hooks: z.array(HookMetadata),
      warnings: z.array(z.string()),
      errors: z.array(z.unknown()),
    }),
  ),
});

const ConfigWriteResponse = z.looseObject({
  status: z.string(),
  version: z.string(),
  filePath: z.string(),
});

/** One hook as Codex's app-server reports it (`hooks/list`). */
export interface HookInfo {
  /** Codex's key, e.g. `vaibot@market:hooks/hooks.json:pre_tool_use:0:0`. */
  key: string;
  /** camelCase event name, e.g. `preToolUse`, `sessionStart`. */
  event: string;
  /** `plugin`, `user`, `project`, … */
  source: string;
  /** `<plugin>@<market>` for plugin hooks, else null. */
  pluginId: string | null;
  trustStatus: HookTrustStatus;
  /** `sha256:<definition>/sha256:<content>`: what trusting it records. */
  currentHash: string;
  /** The shell command (with `${PLUGIN_ROOT}` already substituted), for command hooks. */
  command: string | null;
  matcher: string | null;
  timeoutSec: number;
  /** The hooks.json it came from. */
  sourcePath: string;
  enabled: boolean;
}

/** Options of the hook functions: where the app-server runs, plus the working directories to inspect. */
export type HookListOptions = AppServerOptions & { cwds?: string[] };

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const checked = z.safeParse(schema, value);
  if (!checked.success) {
    throw new CodexCtlError('bad_output', `codex app-server ${what} answered unexpectedly: ${z.prettifyError(checked.error)}`);
  }
  return checked.data;
}

/** `hooks/list` on an open client, flattened over working directories and de-duplicated by key. */
export async function listHooksWith(client: AppServerClient, cwds?: string[]): Promise<HookInfo[]> {
  const params = cwds === undefined ? {} : { cwds };
  const response = parse(HooksListResponse, await client.request('hooks/list', params), 'hooks/list');
  const byKey = new Map<string, HookInfo>();
  for (const entry of response.data) {
    for (const hook of entry.hooks) {
      if (byKey.has(hook.key)) continue;
      byKey.set(hook.key, {
        key: hook.key,
        event: hook.eventName,
        source: hook.source,
        pluginId: hook.pluginId,
        trustStatus: hook.trustStatus,
        currentHash: hook.currentHash,
        command: hook.command ?? null,
        matcher: hook.matcher,
        timeoutSec: hook.timeoutSec,
        sourcePath: hook.sourcePath,
        enabled: hook.enabled,
      });
    }
  }
  return [...byKey.values()];
}

/**
 * Every hook Codex would consider for a session in `cwds` (default: the server's cwd), with its trust
 * status. Hooks of a disabled plugin, and all hooks when `[features] hooks = false`, are not listed.
 */
export function listHooks(options: HookListOptions): Promise<HookInfo[]> {
  return withAppServer(options, (client) => listHooksWith(client, options.cwds));
}

/** The result of {@link trustPluginHooks}. */
export interface TrustResult {
  /** The plugin's hooks after trusting, all `trusted`. */
  hooks: HookInfo[];
  /** Keys whose trust was written now (they were `untrusted` or `modified`). */
  newlyTrusted: string[];
}

/**
 * Trusts every hook of `pluginId` (`<plugin>@<market>`) the way Codex's own `/hooks` screen does: one
 * `config/batchWrite` upsert of `hooks.state` with `{ "<key>": { "trusted_hash": currentHash } }`,
 * then `hooks/list` again to check each is `trusted`. Throws `no_hooks` when Codex lists none for the
 * plugin (not installed, disabled, or hooks off) and `trust_failed` when one is still not trusted.
 */
export function trustPluginHooks(pluginId: string, options: HookListOptions): Promise<TrustResult> {
  return withAppServer(options, async (client) => {
    const before = (await listHooksWith(client, options.cwds)).filter((hook) => hook.pluginId === pluginId);
    if (before.length === 0) {
      throw new CodexCtlError('no_hooks', `Codex lists no hooks for plugin ${pluginId} (is it installed and enabled, and are hooks on?)`);
    }
    const toTrust = before.filter((hook) => hook.trustStatus === 'untrusted' || hook.trustStatus === 'modified');
    if (toTrust.length > 0) {
      const value = Object.fromEntries(toTrust.map((hook) => [hook.key, { trusted_hash: hook.currentHash }]));
      parse(
        ConfigWriteResponse,
        await client.request('config/batchWrite', { edits: [{ keyPath: 'hooks.state', mergeStrategy: 'upsert', value }] }),
        'config/batchWrite',
      );
    }
    const after = (await listHooksWith(client, options.cwds)).filter((hook) => hook.pluginId === pluginId);
    const notTrusted = after.filter((hook) => hook.trustStatus !== 'trusted' && hook.trustStatus !== 'managed');
    if (notTrusted.length > 0 || after.length < before.length) {
      throw new CodexCtlError(
        'trust_failed',
        `hooks of ${pluginId} still not trusted: ${notTrusted.map((h) => `${h.key} (${h.trustStatus})`).join(', ')}`,
      );
    }
    return { hooks: after, newlyTrusted: toTrust.map((hook) => hook.key) };
  });
}

/**
 * Replaces the whole `hooks.state` table of the user's config.toml with `state` (used to drop a removed
 * plugin's trust entries: Codex keeps them after `plugin remove`). Each entry is written as given, e.g.
 * `{ trusted_hash, trusted_content_hash }`.
 */
export function replaceHookState(
  state: Record<string, Record<string, unknown>>,
  options: AppServerOptions,
): Promise<void> {
  return withAppServer(options, async (client) => {
    parse(
      ConfigWriteResponse,
      await client.request('config/batchWrite', { edits: [{ keyPath: 'hooks.state', mergeStrategy: 'replace', value: state }] }),
      'config/batchWrite',
    );
  });
}
