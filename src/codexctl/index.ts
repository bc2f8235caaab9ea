/** A small typed library that drives the real Codex CLI (plugins, app-server, config). */
export { CodexCtlError, isCodexCtlError } from './errors.js';
export type { CodexCtlErrorCode } from './errors.js';
export { resolveCodexBin, CODEX_BIN_ENV } from './codexBin.js';
export type { CodexBin } from './codexBin.js';
export { runCodex, codexEnv, codexErrorText, killGroup } from './runCodex.js';
export type { CodexRunOptions, CodexRunResult } from './runCodex.js';
export { runCodexJson, DEFAULT_CLI_TIMEOUT_MS } from './runCodexJson.js';
export type { CodexCommandOptions } from './runCodexJson.js';
export {
  addMarketplace,
  removeMarketplace,
  listMarketplaces,
  readMarketplace,
  findMarketplaceRoot,
  MARKETPLACE_FILE,
} from './marketplace.js';
export type { MarketplaceAddResult, MarketplaceRemoveResult, MarketplaceInfo, MarketplaceManifest } from './marketplace.js';
export { addPlugin, removePlugin, listPlugins } from './plugins.js';
export type { PluginAddResult, PluginRemoveResult, PluginEntry, PluginList } from './plugins.js';
export { AppServerClient, withAppServer } from './appServer.js';
export type { AppServerOptions, RpcErrorBody, RpcNotification } from './appServer.js';
export { listHooks, listHooksWith, trustPluginHooks, replaceHookState } from './hooks.js';
export type { HookInfo, HookTrustStatus, HookListOptions, TrustResult } from './hooks.js';
export { readHooksFeature } from './hooksFeature.js';
export type { HooksFeatureState } from './hooksFeature.js';
export { listFeatures } from './features.js';
export type { FeatureFlag } from './features.js';
export { resolveCodexHome, pluginCacheDir, pluginDataDir } from './codexHome.js';
export { inspectPluginStatus } from './pluginStatus.js';
export type { PluginStatus, PluginProblem, PluginProblemCode } from './pluginStatus.js';
export { installedHookCommands, matcherSelects, runHookCommand, preToolUseVerdict } from './installedHooks.js';
export type { InstalledHookCommand, HookRun, PreToolUseVerdict } from './installedHooks.js';
export { readPluginSource } from './pluginSource.js';
export type { PluginSource } from './pluginSource.js';
