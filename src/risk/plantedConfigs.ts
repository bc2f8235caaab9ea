/**
 * Commands in more configuration files that tools run by themselves (see PLANTED_CODE in
 * patchRules.ts): Nix and devbox shell hooks, mise and pixi tasks, Procfiles, Tiltfiles, nx targets,
 * meson's run_command, gdb init files, cargo runners, Terraform local-exec and external data
 * sources, Ansible plays on this machine, notebook shell cells, MCP server definitions, R profiles.
 * Each returns the shell command lines the file makes a tool run.
 */
import { shellQuote } from './commands/support.js';

/** A double- or single-quoted string literal's text (backslash escapes resolved in the double-quoted kind). */
const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'`;

function unquoted(m: RegExpMatchArray, at: number): string {
  if (m[at] !== undefined) return m[at]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  return m[at + 1] ?? '';
}

/** The string literals in a bracketed list (`["sh", "-c", "…"]`, `('sh', '-c', '…')`), as one command line. */
function listAsCommand(list: string): string {
  return [...list.matchAll(new RegExp(QUOTED, 'g'))].map((m) => shellQuote(unquoted(m, 1))).join(' ');
}

/** Nix: `shellHook = "…";` or `shellHook = ''…'';` (run by nix-shell / nix develop / direnv's use nix). */
export function nixShellHooks(text: string): string[] {
  return [...text.matchAll(/\bshellHook\s*=\s*(?:''([\s\S]*?)''|"((?:[^"\\]|\\.)*)")/g)].map((m) => m[1] ?? m[2]!.replace(/\\(.)/g, '$1'));
}

/** devbox.json: `init_hook` (a string or a list) and `scripts` entries. */
export function devboxCommands(text: string): string[] {
  try {
    const doc = JSON.parse(text) as { shell?: { init_hook?: unknown; scripts?: Record<string, unknown> } };
    const out: string[] = [];
    const add = (v: unknown) => { if (typeof v === 'string') out.push(v); else if (Array.isArray(v)) for (const x of v) add(x); };
    add(doc.shell?.init_hook);
    for (const v of Object.values(doc.shell?.scripts ?? {})) add(v);
    return out;
  } catch {
    return [...text.matchAll(/"(?:init_hook|[\w:-]+)"\s*:\s*\[?\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  }
}

/** TOML task and hook tables (mise, pixi): `run = "…"`, `cmd = "…"`, hook keys, and plain `name = "…"` entries under a `[tasks]` table. */
export function tomlTaskCommands(text: string): string[] {
  const out: string[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    const head = /^\s*\[+([^\]]+)\]+\s*$/.exec(line);
    if (head) { section = head[1]!.trim(); continue; }
    const kv = new RegExp(String.raw`^\s*([\w.-]+)\s*=\s*(?:${QUOTED}|\[(.*)\]|\{(.*)\})\s*$`).exec(line);
    if (!kv) continue;
    const key = kv[1]!;
    const value = kv[2] !== undefined || kv[3] !== undefined ? unquoted(kv, 2) : null;
    const inTasks = /^(?:tasks|feature\.[^.]+\.tasks)(?:\.|$)/.test(section);
    if (/^(?:run|cmd|enter|leave|cd|postinstall|preinstall|depends_on_cmd)$/.test(key) || (section === 'hooks') || (inTasks && section.split('.').length <= 1)) {
      if (value !== null) out.push(value);
      else if (kv[4] !== undefined) out.push(...[...kv[4].matchAll(new RegExp(QUOTED, 'g'))].map((m) => unquoted(m, 1)));
      else if (kv[5] !== undefined) for (const m of kv[5].matchAll(new RegExp(String.raw`\bcmd\s*=\s*(?:${QUOTED})`, 'g'))) out.push(unquoted(m, 1));
    }
  }
  return out;
}

/** Procfile: `name: command` lines (foreman, honcho, heroku local). */
export function procfileCommands(text: string): string[] {
  return [...text.matchAll(/^[\w-]+\s*:\s*(.+)$/gm)].map((m) => m[1]!.trim());
}

/** Tiltfile (Starlark): `local('…')`, `local_resource(…, cmd='…', serve_cmd='…')`, `run('…')` and list forms. */
export function tiltfileCommands(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`\b(?:local|run)\s*\(\s*(?:${QUOTED})`, 'g'))) out.push(unquoted(m, 1));
  for (const m of text.matchAll(new RegExp(String.raw`\b(?:cmd|serve_cmd|command)\s*=\s*(?:${QUOTED})`, 'g'))) out.push(unquoted(m, 1));
  for (const m of text.matchAll(/\b(?:local|cmd|serve_cmd)\s*[=(]\s*\[([^\]]*)\]/g)) out.push(listAsCommand(m[1]!));
  return out;
}

/** meson.build: `run_command('sh', '-c', '…')` and `custom_target(…, command: [...])`. */
export function mesonCommands(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\brun_command\s*\(([^)]*)\)/g)) out.push(listAsCommand(m[1]!.replace(/\b\w+\s*:\s*(?:true|false)\b/g, '')));
  for (const m of text.matchAll(/\bcommand\s*:\s*\[([^\]]*)\]/g)) out.push(listAsCommand(m[1]!));
  return out;
}

/** .gdbinit: `shell CMD` and `!CMD` lines (gdb runs its init file on start). */
export function gdbinitCommands(text: string): string[] {
  return [...text.matchAll(/^\s*(?:shell\s+|!)(.+)$/gm)].map((m) => m[1]!.trim());
}

/** .cargo/config.toml: a target's `runner`, `rustc-wrapper`, `rustc`, `linker` (cargo runs them for builds and tests). */
export function cargoConfigCommands(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`^\s*(?:runner|rustc-wrapper|rustc-workspace-wrapper|rustc|linker)\s*=\s*(?:${QUOTED}|\[([^\]]*)\])`, 'gm'))) {
    out.push(m[3] !== undefined ? listAsCommand(m[3]) : unquoted(m, 1));
  }
  return out;
}

/** Terraform: `local-exec` provisioners' `command` (run by apply) and `external` data sources' `program` (run by plan). */
export function terraformCommands(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/provisioner\s+"local-exec"\s*\{[\s\S]*?\bcommand\s*=\s*(?:<<-?(\w+)\n([\s\S]*?)\n\s*\1|"((?:[^"\\]|\\.)*)")/g)) out.push(m[2] ?? m[3]!.replace(/\\(.)/g, '$1'));
  for (const m of text.matchAll(/data\s+"external"\s+"[^"]*"\s*\{[\s\S]*?\bprogram\s*=\s*\[([^\]]*)\]/g)) out.push(listAsCommand(m[1]!));
  return out.map((c) => c.replace(/\$\{[^}]*\}/g, 'x'));
}

/** Ansible plays aimed at this machine (`hosts: localhost`, `connection: local`): their shell, command and raw tasks. */
export function ansibleLocalCommands(text: string): string[] {
  if (!/^\s*-?\s*hosts\s*:\s*["']?(?:localhost|127\.0\.0\.1)\b|^\s*-?\s*connection\s*:\s*local\b/m.test(text)) return [];
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*-?\s*(?:ansible\.builtin\.)?(?:shell|command|raw)\s*:\s*(?!\s*$)(?:\|[-+]?\s*\n((?:\s{2,}.*\n?)+)|(.+))$/gm)) {
    const v = (m[1] ?? m[2] ?? '').trim();
    if (v !== '' && !/^(?:cmd|chdir|creates|removes)\s*:/.test(v)) out.push(v.replace(/^(["'])(.*)\1$/s, '$2').replace(/\{\{[^}]*\}\}/g, 'x'));
  }
  for (const m of text.matchAll(/^\s*cmd\s*:\s*(.+)$/gm)) out.push(m[1]!.trim().replace(/^(["'])(.*)\1$/s, '$2').replace(/\{\{[^}]*\}\}/g, 'x'));
  return out;
}

/** A notebook's cells: `!cmd` lines and `%%bash`/`%%sh`/`%%script` cells are shell; `%system`, `%sx` too. */
export function notebookShellLines(text: string): string[] {
  let sources: string[];
  try {
    const nb = JSON.parse(text) as { cells?: Array<{ source?: string | string[] }> };
    sources = (nb.cells ?? []).map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source ?? ''));
  } catch {
    sources = [[...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => { try { return JSON.parse(`"${m[1]}"`) as string; } catch { return m[1]!; } }).join('')];
  }
  const out: string[] = [];
  for (const src of sources) {
    const cell = /^%%(?:bash|sh|script\s+(?:ba)?sh)\b[^\n]*\n([\s\S]*)$/.exec(src.trimStart());
    if (cell) { out.push(cell[1]!); continue; }
    for (const m of src.matchAll(/^\s*(?:!|%(?:system|sx)\s+)(.+)$/gm)) out.push(m[1]!);
  }
  return out;
}

/** MCP server definitions (`.mcp.json`, `.cursor/mcp.json`, `.vscode/mcp.json`): each server's command and arguments, started by the next agent session. */
export function mcpServerCommands(text: string): string[] {
  try {
    const doc = JSON.parse(text) as { mcpServers?: Record<string, unknown>; servers?: Record<string, unknown> };
    const servers = { ...(doc.mcpServers ?? {}), ...(doc.servers ?? {}) } as Record<string, { command?: unknown; args?: unknown }>;
    return Object.values(servers).filter((s) => typeof s?.command === 'string')
      .map((s) => [s.command as string, ...(Array.isArray(s.args) ? s.args.filter((x): x is string => typeof x === 'string') : [])].map(shellQuote).join(' '));
  } catch {
    return [...text.matchAll(/"command"\s*:\s*"((?:[^"\\]|\\.)*)"(?:\s*,\s*"args"\s*:\s*\[([^\]]*)\])?/g)].map((m) => [shellQuote(m[1]!.replace(/\\(.)/g, '$1')), m[2] ? listAsCommand(m[2]) : ''].join(' ').trim());
  }
}

/** R profile (`.Rprofile`, `Rprofile.site`): `system("…")`, `system2("cmd", c(…))`, `shell("…")`, run by every R session started there. */
export function rProfileCommands(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`\b(?:system|shell)\s*\(\s*(?:${QUOTED})`, 'g'))) out.push(unquoted(m, 1));
  for (const m of text.matchAll(new RegExp(String.raw`\bsystem2\s*\(\s*(?:${QUOTED})\s*(?:,\s*(?:args\s*=\s*)?c\(([^)]*)\))?`, 'g'))) out.push([shellQuote(unquoted(m, 1)), m[3] ? listAsCommand(m[3]) : ''].join(' ').trim());
  return out;
}

/** Every string in a parsed JSON value (object values and array items; keys are not included). */
function jsonValueStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonValueStrings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) jsonValueStrings(x, out);
}

/**
 * Commands that git hook tools run on their own at each commit, from their configuration: the
 * values of lint-staged and nano-staged (glob -> command or list of commands) and of
 * simple-git-hooks (hook -> command), in their own files (`.lintstagedrc`, `.lintstagedrc.json`,
 * `.lintstagedrc.yaml`, `.simple-git-hooks.json`, …) as JSON or as YAML.
 */
export function commitHookCommands(text: string): string[] {
  const out: string[] = [];
  try {
    jsonValueStrings(JSON.parse(text), out);
    return out;
  } catch { /* YAML, or a fragment of a patch */ }
  for (const line of text.split('\n')) {
    // `"*.ts": "eslint --fix"`, `*.ts: eslint --fix`, `  - prettier --write` (a key alone opens a list)
    const m = /^\s*(?:-\s+)?(?:(?:"[^"]*"|'[^']*'|[^\s:"'][^:]*?)\s*:\s+)?(.+?)\s*,?\s*$/.exec(line);
    const v = m?.[1];
    if (!v || /^[{}[\]]$|:$/.test(v) || v.startsWith('#')) continue;
    out.push(v.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}

/** The commit-hook settings of a parsed package.json: its `lint-staged`, `nano-staged`, `simple-git-hooks` and `husky.hooks` keys (see {@link commitHookCommands}). */
export function packageCommitHookCommands(pkg: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of ['lint-staged', 'nano-staged', 'simple-git-hooks']) jsonValueStrings(pkg[key], out);
  const husky = pkg.husky;
  if (husky !== null && typeof husky === 'object') jsonValueStrings((husky as Record<string, unknown>).hooks, out);
  return out;
}
