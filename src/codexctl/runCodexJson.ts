import * as z from 'zod/mini';
import { CodexCtlError } from './errors.js';
import { codexErrorText, runCodex, type CodexRunOptions } from './runCodex.js';

/** Default deadline for the quick `codex plugin …` commands. */
export const DEFAULT_CLI_TIMEOUT_MS = 30_000;

/** Options of the JSON-printing codex commands: as {@link CodexRunOptions}, with an optional deadline. */
export type CodexCommandOptions = Omit<CodexRunOptions, 'timeoutMs' | 'stdin'> & { timeoutMs?: number };

/**
 * Runs a codex command that prints one JSON document (`--json`) and validates it with `schema`.
 * Throws `codex_failed` on a non-zero exit (with codex's error text) and `bad_output` when stdout is
 * not the JSON we expect.
 */
export async function runCodexJson<T>(
  args: readonly string[],
  schema: z.ZodMiniType<T>,
  options: CodexCommandOptions,
): Promise<T> {
  const result = await runCodex(args, { ...options, timeoutMs: options.timeoutMs ?? DEFAULT_CLI_TIMEOUT_MS });
  const what = `codex ${args.filter((a) => !a.startsWith('-')).join(' ')}`;
  if (result.exitCode !== 0) {
    const text = codexErrorText(result.stderr) || `exit ${result.exitCode ?? result.signal}`;
    throw new CodexCtlError('codex_failed', `${what} failed: ${text}`, {
      stderr: result.stderr.trim(),
      exitCode: result.exitCode,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch (cause) {
    throw new CodexCtlError('bad_output', `${what} did not print JSON: ${result.stdout.slice(0, 200)}`, { cause });
  }
  const checked = z.safeParse(schema, parsed);
  if (!checked.success) {
    throw new CodexCtlError('bad_output', `${what} printed unexpected JSON: ${z.prettifyError(checked.error)}`, {
      cause: checked.error,
    });
  }
  return checked.data;
}
