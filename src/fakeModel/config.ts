import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The environment variable Codex reads the fake provider's API key from (any value works). */
export const FAKE_MODEL_API_KEY_ENV = 'FAKE_OPENAI_API_KEY';

/** The model slug to configure: one from Codex's catalog, or Codex offers no apply_patch tool. */
export const FAKE_MODEL_SLUG = 'gpt-5.5';

const TOP_BEGIN = '# >>> vaibot fake model: top-level settings';
const TOP_END = '# <<< vaibot fake model: top-level settings';
const TABLE_BEGIN = '# >>> vaibot fake model: provider';
const TABLE_END = '# <<< vaibot fake model: provider';

function stripBlock(text: string, begin: string, end: string): string {
  const start = text.indexOf(begin);
  if (start < 0) return text;
  const stop = text.indexOf(end, start);
  if (stop < 0) return text;
  return text.slice(0, start) + text.slice(stop + end.length).replace(/^\n+/, '');
}

/**
 * Points a CODEX_HOME at the fake model on `127.0.0.1:<port>` (see docs/codex-hooks.md): model
 * `gpt-5.5` from provider `fake`, approvals never, sandbox danger-full-access, no retries.
 *
 * The top-level keys go at the start of config.toml (before any table, where TOML needs them) and the
 * `[model_providers.fake]` table at its end, each between marker comments; calling it again replaces
 * both blocks (a new port), leaving whatever Codex wrote (marketplaces, plugins, hook trust) alone.
 * Returns the path written.
 */
export async function writeFakeModelConfig(codexHome: string, port: number): Promise<string> {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`invalid port ${port}`);
  await mkdir(codexHome, { recursive: true });
  const path = join(codexHome, 'config.toml');
  let existing = '';
  try {
    existing = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const rest = stripBlock(stripBlock(existing, TOP_BEGIN, TOP_END), TABLE_BEGIN, TABLE_END).trim();
  const top = [
    TOP_BEGIN,
    `model = "${FAKE_MODEL_SLUG}"`,
    'model_provider = "fake"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    TOP_END,
  ].join('\n');
  const table = [
    TABLE_BEGIN,
    '[model_providers.fake]',
    'name = "fake"',
    `base_url = "http://127.0.0.1:${port}/v1"`,
    'wire_api = "responses"',
    `env_key = "${FAKE_MODEL_API_KEY_ENV}"`,
    'request_max_retries = 0',
    'stream_max_retries = 0',
    TABLE_END,
  ].join('\n');
  const text = [top, rest, table].filter((part) => part !== '').join('\n\n') + '\n';
  await writeFile(path, text, { mode: 0o600 });
  return path;
}
