import { isVaibotError } from '../util/vaibotError.js';

/** Why an MCP tool call failed: each code comes with a message and the one thing to do next. */
export type McpToolErrorCode =
  | 'argument_invalid'
  | 'not_found'
  | 'config_invalid'
  | 'governance_unavailable'
  | 'not_supported'
  | 'internal';

/** A tool failure reported to the model as an MCP tool error (`isError: true`), never a server crash. */
export class McpToolError extends Error {
  override readonly name = 'McpToolError';
  constructor(
    readonly code: McpToolErrorCode,
    message: string,
    /** What the user (or the agent, on the user's behalf) can do about it. */
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Type guard for {@link McpToolError}. */
export function isMcpToolError(err: unknown): err is McpToolError {
  return err instanceof McpToolError;
}

const STATE_FIX =
  'run `vaibot doctor` (or `vaibot status`) in a terminal to see which file is affected and how to repair it; until then, approve or deny from the terminal with `vaibot approve <hash>` / `vaibot deny <hash>`';

/**
 * Map any error thrown while serving a tool to an {@link McpToolError}: VAIBot's own error codes get a
 * specific fix; anything else is `internal` (the message is kept, the stack goes to stderr only).
 */
export function toMcpToolError(err: unknown): McpToolError {
  if (isMcpToolError(err)) return err;
  if (isVaibotError(err)) {
    switch (err.code) {
      case 'config_invalid':
        return new McpToolError(
          'config_invalid',
          `VAIBot's configuration is invalid: ${err.message}`,
          'fix that variable in the environment Codex is started from (the plugin forwards VAIBOT_* variables to this server), then restart Codex',
          { cause: err },
        );
      case 'input_invalid':
        return new McpToolError('argument_invalid', err.message, 'correct the argument and call the tool again', { cause: err });
      case 'not_found':
        return new McpToolError('not_found', err.message, 'list the actions waiting for a human with the `pending` tool', { cause: err });
      case 'state_corrupt':
      case 'state_unreadable':
      case 'state_unwritable':
      case 'lock_timeout':
      case 'store_failed':
        return new McpToolError('governance_unavailable', `VAIBot governance state is unavailable: ${err.message}`, STATE_FIX, { cause: err });
      case 'remote_unavailable':
        return new McpToolError(
          'governance_unavailable',
          `the VAIBot governance server is unavailable: ${err.message}`,
          'check VAIBOT_API_URL and the server (`vaibot status`), then try again',
          { cause: err },
        );
      default:
        return new McpToolError('internal', err.message, 'report this as a VAIBot bug; `vaibot status` shows the state meanwhile', { cause: err });
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new McpToolError('internal', `unexpected error: ${message}`, 'report this as a VAIBot bug; `vaibot status` shows the state meanwhile', { cause: err });
}
