import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pluginDataDir } from '../../codexctl/codexHome.js';
import { ensurePrivateDir, writeFileAtomic } from '../../state/secureFs.js';
import type { HookState } from './hookState.js';
import type { ParentCodex } from './parentCodex.js';
import type { PluginLocation } from './pluginLocation.js';

/** Files walked at most when fingerprinting the installed plugin (past it, no fingerprint: no cache). */
const MAX_FILES = 5000;

/**
 * A fingerprint of everything the app-server's trust answer depends on: config.toml's bytes (trust
 * entries, features, enabled flags), every installed plugin file's path, size and mtime (Codex hashes
 * their contents), the codex binary, and whether this session bypasses hook trust. Null when it cannot
 * be computed. Never reads file contents of the plugin (cheap: a few ms).
 */
export function hookStateFingerprint(loc: PluginLocation, parent: ParentCodex | null): string | null {
  const h = createHash('sha256');
  try {
    try {
      h.update(readFileSync(join(loc.codexHome, 'config.toml')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return null;
      h.update('no config');
    }
    let count = 0;
    const walk = (dir: string, rel: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (++count > MAX_FILES) throw new Error('too many files');
        const path = join(dir, entry.name);
        const relPath = `${rel}/${entry.name}`;
        if (entry.isDirectory()) walk(path, relPath);
        else {
          const st = statSync(path);
          h.update(`\0${relPath}\0${st.size}\0${st.mtimeMs}`);
        }
      }
    };
    walk(loc.installedPath, '');
    h.update(`\0codex:${parent?.executable ?? 'unknown'}`);
    if (parent?.executable) h.update(`\0${statSync(parent.executable).mtimeMs}`);
    h.update(`\0bypass:${parent?.bypassHookTrust === true}`);
  } catch {
    return null;
  }
  return `sha256:${h.digest('hex')}`;
}

/** Where the last full check is kept: the plugin's data directory (`$CODEX_HOME/plugins/data/<plugin>-<market>`). */
export function hookStateCacheFile(loc: PluginLocation): string {
  return join(pluginDataDir(loc.codexHome, loc.market, loc.plugin), 'mcp-hook-state.json');
}

/** The last full check's state, if it was made against the same fingerprint; else null. */
export function readCachedHookState(loc: PluginLocation, fingerprint: string): HookState | null {
  try {
    const doc = JSON.parse(readFileSync(hookStateCacheFile(loc), 'utf8')) as { fingerprint?: unknown; state?: HookState };
    if (doc.fingerprint !== fingerprint || typeof doc.state !== 'object' || doc.state === null) return null;
    const s = doc.state;
    if ((s.state !== 'on' && s.state !== 'off') || !Array.isArray(s.problems) || !Array.isArray(s.checks)) return null;
    return s;
  } catch {
    return null;
  }
}

/** Keep a full check's result (on/off only) for the next start with the same fingerprint. Best effort. */
export function writeCachedHookState(loc: PluginLocation, fingerprint: string, state: HookState): void {
  if (state.state === 'unknown') return;
  try {
    const file = hookStateCacheFile(loc);
    ensurePrivateDir(join(file, '..'));
    writeFileAtomic(file, `${JSON.stringify({ fingerprint, state })}\n`);
  } catch {
    // a cache: losing it only costs the next start an "unconfirmed" first line
  }
}
