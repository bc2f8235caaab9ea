/**
 * The shell commands a task runner's configuration lists: justfile recipes, Taskfile `cmds`, tox
 * `commands`, pre-commit `entry`, deno.json `tasks`, composer.json `scripts`, Pipfile and
 * pyproject.toml script tables (pipenv, poe, pdm, hatch, rye), CMake `COMMAND`s, husky 4 `hooks`. A runner that reads
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
    // `cmds: [a, "b c"]`: a flow list on one line
    const flow = /^\s*(?:-\s+)?cmds\s*:\s*\[(.*)\]\s*$/.exec(line);
    if (flow) { for (const m of flow[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|([^,]+)/g)) { const v = (m[1] ?? m[2] ?? m[3] ?? '').trim(); if (v) out.push(v); } continue; }
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
  // tox substitutions: `{homedir}`, `{env:NAME}` (and `{env:NAME:default}`) are the shell's; the rest are paths in the project
  return out.map((c) => c.replace(/\{(?:homedir)\}/g, '~').replace(/\{env:(\w+)(?::[^}]*)?\}/g, '$$$1').replace(/\{[^}]*\}/g, 'x'));
}

/** .pre-commit-config.yaml: local hooks' `entry:` values. */
function preCommitEntries(text: string): string[] {
  return [...text.matchAll(/^\s*(?:-\s+)?entry\s*:\s*(.+)$/gm)].map((m) => unquote(m[1]!));
}

/** deno.json `tasks`, composer.json `scripts` (string or list of strings). */
function jsonScripts(text: string, key: 'tasks' | 'scripts' | 'hooks'): string[] {
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

/** A TOML basic or literal string, unquoted (escapes in basic strings read as JSON would). */
function tomlString(v: string): string | null {
  const t = v.trim();
  if (/^'[^']*'$/.test(t)) return t.slice(1, -1);
  if (/^"(?:[^"\\]|\\.)*"$/.test(t)) {
    try { return JSON.parse(t) as string; } catch { return t.slice(1, -1); }
  }
  return null;
}

/**
 * Script tables of Python project tools, read line by line: Pipfile `[scripts]` (pipenv run),
 * pyproject.toml `[tool.poe.tasks]`, `[tool.pdm.scripts]`, `[tool.hatch.envs.*.scripts]`, and
 * their per-task tables' `cmd`/`shell`/`script` keys. Values are strings or inline
 * `{ cmd = "…" }` / `{ shell = "…" }` tables or lists of strings.
 */
function tomlScripts(text: string): string[] {
  const out: string[] = [];
  let table: 'tasks' | 'task' | null = null;
  for (const line of text.split('\n')) {
    const head = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (head) {
      const name = head[1]!.trim();
      table = /^(?:scripts|tool\.poe\.tasks|tool\.pdm\.scripts|tool\.hatch\.envs\.[^.]+\.scripts|tool\.rye\.scripts)$/.test(name) ? 'tasks'
        : /^(?:tool\.poe\.tasks|tool\.pdm\.scripts|tool\.rye\.scripts)\.[^.]+$/.test(name) ? 'task' : null;
      continue;
    }
    if (!table) continue;
    const kv = /^\s*("[^"]*"|[\w.-]+)\s*=\s*(.+?)\s*$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.replace(/^"|"$/g, '');
    const value = kv[2]!;
    if (table === 'task' && !/^(?:cmd|shell|script|call)$/.test(key)) continue;
    const str = tomlString(value);
    if (str !== null) { out.push(str); continue; }
    // { cmd = "…" } / { shell = "…" } / ["a", "b"] (a sequence of commands or one argv)
    for (const m of value.matchAll(/(?:\b(?:cmd|shell|script)\s*=\s*)?("(?:[^"\\]|\\.)*"|'[^']*')/g)) {
      const v = tomlString(m[1]!);
      if (v !== null && (table === 'tasks' || /=/.test(m[0]!))) out.push(v);
    }
  }
  return out;
}

/** CMake: the arguments after each `COMMAND` of execute_process / add_custom_command / add_custom_target, up to the next keyword. */
function cmakeCommands(text: string): string[] {
  const out: string[] = [];
  const KEYWORD = /^(?:COMMAND|WORKING_DIRECTORY|OUTPUT|OUTPUTS|DEPENDS|BYPRODUCTS|COMMENT|VERBATIM|RESULT_VARIABLE|RESULTS_VARIABLE|OUTPUT_VARIABLE|ERROR_VARIABLE|INPUT_FILE|OUTPUT_FILE|ERROR_FILE|OUTPUT_QUIET|ERROR_QUIET|TIMEOUT|ALL|USES_TERMINAL|COMMAND_ECHO|MAIN_DEPENDENCY|IMPLICIT_DEPENDS|SOURCES|JOB_POOL|ECHO_OUTPUT_VARIABLE|ECHO_ERROR_VARIABLE|COMMAND_ERROR_IS_FATAL|ENCODING|PRE_BUILD|PRE_LINK|POST_BUILD|TARGET|APPEND|DEPFILE)$/;
  for (const call of text.matchAll(/\b(?:execute_process|add_custom_command|add_custom_target)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/gi)) {
    const words = [...call[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? { text: m[1].replace(/\\(.)/g, '$1'), quoted: true } : { text: m[2]!, quoted: false }));
    for (let i = 0; i < words.length; i++) {
      if (words[i]!.quoted || words[i]!.text !== 'COMMAND') continue;
      const argv: string[] = [];
      for (i++; i < words.length && (words[i]!.quoted || !KEYWORD.test(words[i]!.text)); i++) argv.push(words[i]!.text);
      i--;
      // ${CMAKE_COMMAND} -E rm -rf X is cmake's own portable rm
      // ${CMAKE_COMMAND} -E rm -rf X is cmake's own portable rm; $ENV{HOME} is home, other variables unknown words
      if (argv[0] === '${CMAKE_COMMAND}' && argv[1] === '-E' && /^(?:rm|remove|remove_directory)$/.test(argv[2] ?? '')) argv.splice(0, 3, ...(argv[2] === 'rm' ? ['rm'] : ['rm', '-rf']));
      const line = argv
        .map((a) => a.replace(/^\$(?:ENV\{HOME\}|\{ENV\{HOME\}\})/, '~').replace(/\$(?:ENV)?\{[^}]*\}\}?/g, 'x'))
        .map((a) => (/^[\w@%+=:,./~-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
      if (line) out.push(line);
    }
  }
  return out;
}

/** .cargo/config.toml: each target's `runner`, a string or a list of program and arguments. */
function cargoRunners(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*runner\s*=\s*(.+?)\s*$/gm)) {
    const one = tomlString(m[1]!);
    if (one !== null) out.push(one);
    else out.push([...m[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((x) => x[1] ?? x[2] ?? '').join(' '));
  }
  return out.filter((c) => c.trim() !== '');
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
  if (base === 'Pipfile' || base === 'pyproject.toml') return tomlScripts(text);
  if (base === 'CMakeLists.txt' || base.endsWith('.cmake')) return cmakeCommands(text);
  if (/^\.huskyrc(?:\.json)?$/.test(base)) return jsonScripts(text, 'hooks');
  // cargo runs a target's `runner` with the built program (cargo run, test, bench)
  if (/(?:^|\/)\.cargo\/config(?:\.toml)?$/.test(path)) return cargoRunners(text);
  return [];
}
