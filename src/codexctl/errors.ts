/** Why driving the Codex CLI failed. */
export type CodexCtlErrorCode =
  | 'codex_not_found' // the binary could not be started
  | 'codex_timeout' // a codex command ran past its deadline and was killed
  | 'codex_failed' // a codex command exited non-zero
  | 'bad_output' // codex printed something that is not the JSON we expect
  | 'rpc_timeout' // the app-server did not answer a request in time
  | 'rpc_closed' // the app-server exited or closed its stdout
  | 'rpc_error' // the app-server answered with a JSON-RPC error
  | 'no_hooks' // the plugin has no hooks Codex would run (not installed, disabled, or hooks off)
  | 'trust_failed' // hooks still not trusted after writing their trust
  | 'config_invalid' // config.toml (or a marketplace/hooks file) could not be parsed
  | 'marketplace_invalid'; // .agents/plugins/marketplace.json missing or malformed

/** An error from src/codexctl, with a `code` to branch on and the codex output that explains it. */
export class CodexCtlError extends Error {
  override readonly name = 'CodexCtlError';

  constructor(
    readonly code: CodexCtlErrorCode,
    message: string,
    options?: { cause?: unknown; stderr?: string; exitCode?: number | null },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.stderr = options?.stderr;
    this.exitCode = options?.exitCode;
  }

  /** Codex's stderr (trimmed), when the failure came from a codex process. */
  readonly stderr: string | undefined;
  /** The codex process's exit code, when it exited. */
  readonly exitCode: number | null | undefined;
}

/** True when `error` is a {@link CodexCtlError} (optionally with the given code). */
export function isCodexCtlError(error: unknown, code?: CodexCtlErrorCode): error is CodexCtlError {
  return error instanceof CodexCtlError && (code === undefined || error.code === code);
}
