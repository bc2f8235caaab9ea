import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** How to start the codex CLI: a command and the arguments that come before codex's own. */
export interface CodexBin {
  command: string;
  prefixArgs: string[];
  /** Where it was found: the env override, the installed @openai/codex package, or PATH. */
  source: 'env' | 'package' | 'path';
}

/** The environment variable that overrides which codex binary (or launcher `.js`) is run. */
export const CODEX_BIN_ENV = 'VAIBOT_CODEX_BIN';

function launch(path: string, source: CodexBin['source']): CodexBin {
  return /\.[cm]?js$/.test(path)
    ? { command: process.execPath, prefixArgs: [path], source }
    : { command: path, prefixArgs: [], source };
}

/**
 * Resolves the codex CLI: `$VAIBOT_CODEX_BIN` when set (a binary, or a `.js` launcher run with this
 * Node), else the launcher of the `@openai/codex` package resolvable from this module (the pinned
 * devDependency in this repo), else `codex` on PATH. The package launcher is used rather than the
 * vendored binary so Codex finds its bundled resources (rg, bwrap) the way it does when users run it.
 */
export function resolveCodexBin(env: NodeJS.ProcessEnv = process.env): CodexBin {
  const override = env[CODEX_BIN_ENV];
  if (override !== undefined && override !== '') return launch(override, 'env');
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@openai/codex/package.json');
    const launcher = join(dirname(pkg), 'bin', 'codex.js');
    if (existsSync(launcher)) return launch(launcher, 'package');
  } catch {
    // not installed next to us: fall through to PATH
  }
  return { command: 'codex', prefixArgs: [], source: 'path' };
}
