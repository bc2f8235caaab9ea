import { listHooks as listHooksViaAppServer, type HookInfo } from '../../codexctl/hooks.js';
import { INSTALL_COMMAND, type HookProblemCode, type HookState } from './hookState.js';
import { finishHookState, quickHookState, type HookStateOptions } from './quickHookState.js';
import { pluginLocation } from './pluginLocation.js';

/**
 * Checks, at MCP server start, whether Codex will actually run the plugin's hooks: Codex starts our MCP
 * server even when the hooks are off (untrusted, modified by an upgrade, hooks feature off, session
 * started with `--disable hooks`), so this is where the silence can be broken. Cheap checks first (the
 * parent's command line, config.toml: {@link quickHookState}); then `codex app-server` hooks/list for
 * trust. Never throws.
 */
export async function checkHookState(options: HookStateOptions): Promise<HookState> {
  const now = options.now ?? Date.now;
  const state = await quickHookState(options);
  const loc = pluginLocation(options.cwd);
  if (loc === null || state.problems.length > 0) return state; // Codex lists no hooks then: nothing more to learn
  const parent = options.parent;
  const problem = (code: HookProblemCode, message: string, fix: string): void => {
    state.problems.push({ code, message, fix });
  };
  const done = (): HookState => finishHookState(state, now);

  const env: NodeJS.ProcessEnv = { ...options.env };
  if (parent?.executable && !env.VAIBOT_CODEX_BIN) env.VAIBOT_CODEX_BIN = parent.executable; // the very codex that started us
  let hooks: HookInfo[];
  try {
    hooks = (
      await (options.listHooks ?? listHooksViaAppServer)({
        codexHome: loc.codexHome,
        env,
        cwd: loc.codexHome,
        timeoutMs: options.timeoutMs ?? 4000,
        clientName: 'vaibot-mcp',
      })
    ).filter((h) => h.pluginId === loc.pluginId);
  } catch (err) {
    state.note = `could not ask \`codex app-server\` whether the hooks are trusted (${err instanceof Error ? err.message : String(err)}); run \`vaibot doctor\``;
    return done();
  }
  state.checks.push('app-server');
  if (hooks.length === 0) {
    problem('no_hooks', `Codex lists no hooks for ${loc.pluginId}`, `reinstall and trust the plugin: \`${INSTALL_COMMAND}\`, then restart codex`);
    return done();
  }
  if (!hooks.some((h) => h.event === 'preToolUse')) {
    problem('no_pre_tool_use', `${loc.pluginId} has no PreToolUse hook, so no tool call is checked`, `reinstall the plugin: \`${INSTALL_COMMAND}\`, then restart codex`);
  }
  const bypass = parent?.bypassHookTrust === true;
  const untrusted = hooks.filter((h) => h.trustStatus === 'untrusted');
  const modified = hooks.filter((h) => h.trustStatus === 'modified');
  if (untrusted.length > 0 && !bypass) {
    problem(
      'hooks_untrusted',
      `${untrusted.length} hook(s) of ${loc.pluginId} are not trusted, so Codex skips them without a word: ${untrusted.map((h) => h.event).join(', ')}`,
      `run \`${INSTALL_COMMAND}\` (it trusts them through codex app-server) or trust them in Codex's /hooks screen, then restart codex`,
    );
  }
  if (modified.length > 0 && !bypass) {
    problem(
      'hooks_modified',
      `${modified.length} hook(s) of ${loc.pluginId} changed since they were trusted (an upgrade or an edit of the installed files), so Codex skips them: ${modified.map((h) => h.event).join(', ')}`,
      `if you made or expected the change, run \`${INSTALL_COMMAND}\` to trust the installed version (or use Codex's /hooks screen); otherwise reinstall from a source you trust; then restart codex`,
    );
  }
  if (bypass && (untrusted.length > 0 || modified.length > 0)) {
    state.note = 'hooks are not trusted, but this session runs them anyway (`--dangerously-bypass-hook-trust`)';
  }
  return done();
}
