/**
 * The shell commands a task runner's configuration lists: justfile recipes, Taskfile `cmds`, tox
 * `commands`, pre-commit `entry`, deno.json `tasks`, composer.json `scripts`. A runner that reads
 * a configuration the agent wrote runs these; they are judged as shell (workspaceRunners.ts).
 */

/** A YAML or INI scalar without its quotes. */
function unquote(v: string): string {
  const t = v.trim();
  return /^(["']).*\1$/s.test(t) ? t.slice(1, -1) : t;
}

/** justfile: the indented lines of recipes (`@` and `-` prefixes dropped). */
function justRecipes(text: string): string[] {
  return text.split('\n').filter((l) => /^[ \t]+\S/.test(l) && !/^\s*#/.test(l)).map((l) => l.trim().replace(/^[@-]+/, ''));
}

/** Taskfile: `cmds` items and `cmd:` values. */
function taskfileCommands(text: string): string[] {
  const out: string[] = [];
  let inCmds = false;
  let indent = 0;
  for (const line of text.split('\n')) {
    const key = /^(\s*)(?:-\s+)?cmds\s*:\s*$/.exec(line);
    if (key) { inCmds = true; indent = key[1]!.length; continue; }
    const cmd = /^\s*(?:-\s+)?cmd\s*:\s*(.+)$/.exec(line);
    if (cmd) { out.push(unquote(cmd[1]!)); continue; }
    if (inCmds) {
      const item = /^(\s*)-\s+(.+)$/.exec(line);
      if (item && item[1]!.length >= indent && !/^\w+\s*:/.test(item[2]!)) out.push(unquote(item[2]!));
      else if (line.trim() !== '' && (/^(\s*)/.exec(line)![1]!.length <= indent)) inCmds = false;
    }
  }
  return out;
}

/** tox.ini: `commands =` with its continuation lines. */
function toxCommands(text: string): string[] {
  const out: string[] = [];
  let on = false;
  for (const line of text.split('\n')) {
    const m = /^\s*commands(?:_pre|_post)?\s*=\s*(.*)$/.exec(line);
    if (m) { on = true; if (m[1]!.trim()) out.push(m[1]!.trim()); continue; }
    if (on && /^[ \t]+\S/.test(line)) out.push(line.trim());
    else on = false;
  }
  return out.map((c) => c.replace(/\{(?:homedir)\}/g, '~').replace(/\{[^}]*\}/g, 'x'));
}

/** .pre-commit-config.yaml: local hooks' `entry:` values. */
function preCommitEntries(text: string): string[] {
  return [...text.matchAll(/^\s*(?:-\s+)?entry\s*:\s*(.+)$/gm)].map((m) => unquote(m[1]!));
}

/** deno.json `tasks`, composer.json `scripts` (string or list of strings). */
function jsonScripts(text: string, key: 'tasks' | 'scripts'): string[] {
  let v: unknown;
  try { v = JSON.parse(text); } catch { return []; }
  const table = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  if (!table || typeof table !== 'object') return [];
  const out: string[] = [];
  for (const s of Object.values(table as Record<string, unknown>)) {
    if (typeof s === 'string') out.push(s);
    else if (Array.isArray(s)) {
      for (const x of s) if (typeof x === 'string') out.push(x);
    } else if (s && typeof s === 'object' && typeof (s as { command?: unknown }).command === 'string') out.push((s as { command: string }).command);
  }
  // composer's `@other-script` and `Class::method` entries are not shell
  return out.filter((c) => !/^@|^[\w\\]+::\w+$/.test(c));
}

/** The commands listed by a runner configuration, by its file name; empty when none are known. */
export function listedCommands(path: string, text: string): string[] {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/^(?:justfile|\.justfile)$/i.test(base)) return justRecipes(text);
  if (/^taskfile(?:\.dist)?\.ya?ml$/i.test(base)) return taskfileCommands(text);
  if (base === 'tox.ini') return toxCommands(text);
  if (/^\.pre-commit-config\.ya?ml$/.test(base)) return preCommitEntries(text);
  if (/^deno\.jsonc?$/.test(base)) return jsonScripts(text, 'tasks');
  if (base === 'composer.json') return jsonScripts(text, 'scripts');
  return [];
}
