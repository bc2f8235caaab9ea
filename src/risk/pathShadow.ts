/**
 * PATH shadowing: an executable written into a directory on the user's PATH that comes before the
 * system's (`~/.local/bin/codex`, `~/bin/git`) runs instead of the real program from then on.
 */
import { posix } from 'node:path';
import type { Call } from './call.js';
import { runCode } from './commands/scripts.js';
import { languageOf } from './commands/support.js';

/** Directories under home that installers put first on PATH. */
const HOME_BIN_DIRS = /^(?:bin|\.local\/bin|\.cargo\/bin|go\/bin|\.go\/bin|\.npm-global\/bin|\.npm\/bin|\.bun\/bin|\.deno\/bin|\.volta\/bin|\.yarn\/bin|\.config\/yarn\/global\/node_modules\/\.bin|\.pyenv\/(?:shims|bin)|\.rbenv\/(?:shims|bin)|\.nodenv\/shims|\.asdf\/shims|\.local\/share\/(?:pnpm|mise\/shims)|Library\/pnpm|\.poetry\/bin|\.nix-profile\/bin|\.linuxbrew\/bin|\.rd\/bin|\.dotnet\/tools|\.krew\/bin|\.codex\/bin)$/;
/** System directories searched before /usr/bin. */
const SYSTEM_BIN_DIRS = /^\/(?:usr\/local\/s?bin|opt\/homebrew\/s?bin|home\/linuxbrew\/\.linuxbrew\/bin)$/;
/** Programs VAIBOT's hook, Codex or the agent's own tooling run through: shadowing them subverts governance. */
const GUARDED = /^(?:codex|vaibot|node|nodejs|npm|npx|pnpm|yarn|bun|deno|git|sh|bash|zsh|dash|ksh|fish|env|sudo|doas|su|python[\d.]*|pip[\d.]*|uv|ssh|curl|wget|gpg|which|command|ls|cat|rm|cp|mv|chmod|make|cargo|go|docker|kubectl)$/;

/** The command a path would shadow when it lies directly in a PATH directory, else null. */
export function shadowedCommand(path: string, home: string): string | null {
  const dir = posix.dirname(path);
  const name = posix.basename(path);
  if (name.startsWith('.') || name === '') return null;
  if (SYSTEM_BIN_DIRS.test(dir)) return name;
  if (!dir.startsWith(home + '/')) return null;
  return HOME_BIN_DIRS.test(dir.slice(home.length + 1)) ? name : null;
}

/**
 * Judge making `path` an executable on PATH: a guarded name (codex, vaibot, node, git, a shell, …)
 * is self-protection, any other name needs approval; the content, when known, is judged as the
 * code that will run in the program's place.
 */
export function judgePathShadow(call: Call, path: string, content: string | undefined, verb: string): void {
  const run = call.exec.run;
  const name = shadowedCommand(path, run.zones.home);
  if (name === null) return;
  if (GUARDED.test(name)) run.add('self.write-protected', `${verb} puts ${path} on PATH, shadowing ${name}: VAIBOT's hook, Codex and the agent would run it instead of the real ${name}`);
  else run.add('persist.path-shadow', `${verb} puts ${path} on PATH, where it runs in place of any ${name} found later on PATH`);
  if (content !== undefined && content.trim() !== '') runCode(call, languageOf(path, content), content, `${verb} ${path} (run as ${name})`);
}
