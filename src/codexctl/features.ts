import { CodexCtlError } from './errors.js';
import { codexErrorText, runCodex } from './runCodex.js';
import { DEFAULT_CLI_TIMEOUT_MS, type CodexCommandOptions } from './runCodexJson.js';

/** One feature flag as `codex features list` prints it. */
export interface FeatureFlag {
  name: string;
  stage: string;
  enabled: boolean;
}

/**
 * The effective feature flags (config.toml, profiles, `-c`/`--disable` given in `extraArgs`, managed
 * configuration), parsed from `codex features list` (it has no JSON output in 0.169: columns name,
 * stage, true/false).
 */
export async function listFeatures(options: CodexCommandOptions & { extraArgs?: string[] }): Promise<FeatureFlag[]> {
  const result = await runCodex(['features', 'list', ...(options.extraArgs ?? [])], {
    ...options,
    timeoutMs: options.timeoutMs ?? DEFAULT_CLI_TIMEOUT_MS,
  });
  if (result.exitCode !== 0) {
    throw new CodexCtlError('codex_failed', `codex features list failed: ${codexErrorText(result.stderr)}`, {
      stderr: result.stderr.trim(),
      exitCode: result.exitCode,
    });
  }
  const flags: FeatureFlag[] = [];
  for (const line of result.stdout.split('\n')) {
    const match = /^(\S+)\s+(.+?)\s+(true|false)\s*$/.exec(line);
    if (match) flags.push({ name: match[1]!, stage: match[2]!, enabled: match[3] === 'true' });
  }
  if (flags.length === 0) throw new CodexCtlError('bad_output', 'codex features list printed no features');
  return flags;
}
