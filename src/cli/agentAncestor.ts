import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One process of the chain above this one. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The executable's short name (Linux `comm`, at most 15 characters). */
  comm: string;
  /** The command line, arguments joined by spaces ('' when unreadable). */
  cmdline: string;
}

/** How far up the process tree to look (a real chain is a handful of levels). */
const MAX_DEPTH = 64;

/** Codex's executables: its npm launcher (`codex`, `codex.js`) and its native binary (`codex-<target>`). */
const AGENT_EXECUTABLE = /^(?:codex|codex-[a-z0-9_-]+|codex\.js)$/i;

/** Whether a process is a coding agent, by its executable name or the script its interpreter runs. */
export function isAgentProcess(p: Pick<ProcessInfo, 'comm' | 'cmdline'>): boolean {
  if (AGENT_EXECUTABLE.test(p.comm)) return true;
  const argv = p.cmdline.split(' ').filter((a) => a !== '');
  const base = (s: string | undefined): string => (s ?? '').split('/').pop() ?? '';
  if (AGENT_EXECUTABLE.test(base(argv[0]))) return true;
  // `node …/@openai/codex/bin/codex.js`: an interpreter running the agent's launcher
  return /^(?:node|nodejs|bun|deno)$/.test(base(argv[0])) && AGENT_EXECUTABLE.test(base(argv.slice(1).find((a) => !a.startsWith('-'))));
}

/** Linux: a process from /proc; null when it is gone or unreadable. */
function procInfo(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split at the last ')'
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(open + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    let cmdline = '';
    try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim(); } catch { /* kernel thread or gone */ }
    return Number.isInteger(ppid) ? { pid, ppid, comm, cmdline } : null;
  } catch {
    return null;
  }
}

/** Elsewhere (macOS, BSD): one `ps` listing of every process. */
function psTable(): Map<number, ProcessInfo> | null {
  try {
    const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,command='], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const table = new Map<number, ProcessInfo>();
    for (const line of out.split('\n')) {
      const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      const cmdline = (m[3] as string).trim();
      table.set(Number(m[1]), { pid: Number(m[1]), ppid: Number(m[2]), comm: (cmdline.split(' ')[0] ?? '').split('/').pop() ?? '', cmdline });
    }
    return table;
  } catch {
    return null;
  }
}

/**
 * The processes above `pid` (its parent first), up to the first one that cannot be read, pid 1,
 * or {@link MAX_DEPTH} levels. Empty when the platform offers no way to read them.
 */
export function ancestors(pid: number = process.pid): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  const table = process.platform === 'linux' ? null : psTable();
  const info = (p: number): ProcessInfo | null => (table ? table.get(p) ?? null : procInfo(p));
  let cur = info(pid);
  for (let depth = 0; cur && cur.ppid > 1 && depth < MAX_DEPTH; depth++) {
    const parent = info(cur.ppid);
    if (!parent) break;
    out.push(parent);
    cur = parent;
  }
  return out;
}

/**
 * The coding agent this process runs under, or null: a command the agent runs is its descendant,
 * so a human act (approving, installing, resetting the breaker) started from inside an agent's
 * session is the agent acting. A process that detached itself from the agent (reparented to init)
 * is not caught here: the hook's classifier is the first line against that.
 */
export function agentAncestor(pid: number = process.pid): ProcessInfo | null {
  return ancestors(pid).find(isAgentProcess) ?? null;
}
