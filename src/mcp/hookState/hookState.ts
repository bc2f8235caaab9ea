/** Why governance is off (or could not be confirmed): each alone means Codex runs tools ungoverned. */
export type HookProblemCode =
  | 'session_hooks_disabled' // this Codex session was started with --disable hooks / -c features.hooks=false
  | 'hooks_feature_off' // [features] hooks = false in config.toml
  | 'disabled' // the plugin is disabled in config.toml
  | 'config_invalid' // config.toml unreadable or not TOML
  | 'no_hooks' // Codex lists none of the plugin's hooks
  | 'no_pre_tool_use' // none of them is a PreToolUse hook
  | 'hooks_untrusted' // never trusted: skipped without a word
  | 'hooks_modified'; // files changed since trusted (every upgrade): skipped without a word

/** One reason governance is off, with the thing to do about it. */
export interface HookProblem {
  code: HookProblemCode;
  message: string;
  fix: string;
}

/** Whether the plugin's hooks will govern this Codex session, as far as the server could tell. */
export interface HookState {
  /** on: hooks listed, trusted, enabled; off: at least one problem; unknown: could not be checked. */
  state: 'on' | 'off' | 'unknown';
  checkedAt: string;
  /** The installed copy this server runs from, when it runs from Codex's plugin cache. */
  plugin: { id: string; version: string; installedPath: string; codexHome: string } | null;
  /** What was consulted: the parent codex command line, config.toml, `codex app-server` hooks/list. */
  checks: Array<'command-line' | 'config' | 'app-server'>;
  problems: HookProblem[];
  /** Why the state is unknown, or other context. */
  note: string | null;
}

/** The command that installs and trusts the plugin's hooks. */
export const INSTALL_COMMAND = 'vaibot install';
