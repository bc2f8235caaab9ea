/**
 * What an MCP tool is, from the words of its server and tool names: does it run shell commands,
 * run code (in which language), drive a notebook, delete, move, copy or write files?
 */
import type { ScriptLang } from './commands/support.js';

/** What an MCP tool's names say about it. */
export interface McpToolKind {
  /** The lower-cased words of the server and tool names (`desktop-commander/interactWithProcess` -> desktop, commander, interact, with, process). */
  words: ReadonlySet<string>;
  /** It drives a shell, terminal or process: free-text inputs are commands. */
  shell: boolean;
  /** It runs or evaluates something (run, exec, eval, ...). */
  exec: boolean;
  /** It talks to a running process or REPL, whose language is unknown. */
  repl: boolean;
  /** It drives a Jupyter-style notebook or kernel. */
  notebook: boolean;
  /** The language its names say it runs (`run_python`, `node-sandbox`), if any. */
  lang: ScriptLang | null;
  /** It deletes what its path arguments name. */
  deletes: boolean;
  /** It moves or renames: sources disappear, destinations are written. */
  moves: boolean;
  /** It copies: sources are read, destinations written. */
  copies: boolean;
  /** It writes or changes what its path arguments name. */
  writes: boolean;
  /** The command-line tool whose commands it runs (`kubernetes/kubectl` -> kubectl, `aws/use_aws` -> aws), if its names say so. */
  cli: string | null;
  /** The tool's own name (not only its server's) names that CLI: a bare command string is that CLI's arguments. */
  cliInTool: boolean;
}

/** Words of server and tool names that stand for a command-line tool. */
const CLI_WORDS: Readonly<Record<string, string>> = {
  kubectl: 'kubectl', kubernetes: 'kubectl', k8s: 'kubectl', helm: 'helm', terraform: 'terraform', tofu: 'terraform', opentofu: 'terraform',
  aws: 'aws', gcloud: 'gcloud', gcp: 'gcloud', az: 'az', azure: 'az', docker: 'docker', podman: 'podman', git: 'git', gh: 'gh', pulumi: 'pulumi',
};

/** The CLI the words name, if any. */
function cliOf(words: readonly string[]): string | null {
  for (const w of words) if (Object.hasOwn(CLI_WORDS, w)) return CLI_WORDS[w]!;
  return null;
}

const SHELL_WORDS = new Set(['shell', 'terminal', 'console', 'bash', 'zsh', 'sh', 'cmd', 'command', 'commands', 'exec', 'execute', 'tmux', 'pty', 'tty', 'ssh', 'stdin', 'subprocess', 'powershell', 'pwsh']);
/** `process` drives one only with a verb that starts or talks to it (`start_process`, not `process_text`). */
const PROCESS_VERBS = new Set(['start', 'spawn', 'run', 'interact', 'send', 'write', 'stdin', 'input']);
const EXEC_WORDS = new Set(['run', 'runs', 'exec', 'execute', 'eval', 'evaluate', 'interpret', 'invoke', 'interact', 'send', 'repl', 'start', 'spawn']);
const REPL_WORDS = new Set(['repl', 'interact', 'process', 'session', 'stdin', 'send', 'input']);
const NOTEBOOK_WORDS = new Set(['jupyter', 'notebook', 'ipython', 'ipynb', 'kernel', 'cell', 'colab', 'nb']);
const LANG_WORDS: Readonly<Record<string, ScriptLang>> = {
  python: 'python', python3: 'python', py: 'python', ipython: 'python', pyodide: 'python', pypy: 'python',
  javascript: 'node', js: 'node', node: 'node', nodejs: 'node', typescript: 'node', ts: 'node', deno: 'node', bun: 'node',
  ruby: 'ruby', rb: 'ruby', perl: 'perl', php: 'php', lua: 'lua', awk: 'awk', gawk: 'awk',
  bash: 'sh', sh: 'sh', shell: 'sh', zsh: 'sh', ksh: 'sh', dash: 'sh',
};
const DELETE_NAME = /(?:delete|remove|unlink|destroy|purge|truncate|wipe|erase|terminate|prune|rmdir|rmtree)/i;
const DELETE_WORDS = new Set(['rm', 'del', 'drop', 'trash']);
const MOVE_NAME = /(?<!re)move|rename|relocate/i;
const MOVE_WORDS = new Set(['mv', 'move', 'rename']);
const COPY_WORDS = new Set(['copy', 'cp', 'duplicate']);
const WRITE_NAME = /(?:write|edit|create|update|save|upload|append|patch|replace|insert|mkdir|chmod|chown|modify|overwrite|copy|move|rename)/i;
const WRITE_WORDS = new Set(['put', 'set', 'mv', 'cp', 'touch', 'link', 'symlink', 'ln']);

/**
 * Split an identifier into lower-cased words: snake_case, kebab-case, camelCase, dotted and
 * slashed names (`interactWithProcess` -> interact, with, process; `run_python3` -> run, python3).
 */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** The language a name or label stands for (`python3`, `Python 3.12`, `nodejs`, `bash`), if any. */
export function langOfName(name: string): ScriptLang | null {
  for (const w of wordsOf(name)) {
    const key = Object.hasOwn(LANG_WORDS, w) ? w : w.replace(/\d+$/, '');
    const lang = Object.hasOwn(LANG_WORDS, key) ? LANG_WORDS[key] : undefined;
    if (lang) return lang;
  }
  return null;
}

/** Classify an MCP tool by the words of its server and tool names. */
export function mcpToolKind(server: string, tool: string): McpToolKind {
  const toolWords = wordsOf(tool);
  const words = new Set([...wordsOf(server), ...toolWords]);
  const has = (set: ReadonlySet<string>) => [...words].some((w) => set.has(w));
  const toolHas = (set: ReadonlySet<string>) => toolWords.some((w) => set.has(w));
  const deletes = DELETE_NAME.test(tool) || toolHas(DELETE_WORDS);
  const moves = !deletes && (MOVE_NAME.test(tool) || toolHas(MOVE_WORDS));
  return {
    words,
    shell: has(SHELL_WORDS) || ((words.has('process') || words.has('processes')) && has(PROCESS_VERBS)),
    exec: has(EXEC_WORDS),
    repl: has(REPL_WORDS),
    notebook: has(NOTEBOOK_WORDS),
    lang: langOfName(tool) ?? langOfName(server),
    deletes,
    moves,
    copies: !deletes && !moves && toolHas(COPY_WORDS),
    writes: WRITE_NAME.test(tool) || toolHas(WRITE_WORDS),
    cli: cliOf(toolWords) ?? cliOf(wordsOf(server)),
    cliInTool: cliOf(toolWords) !== null,
  };
}
