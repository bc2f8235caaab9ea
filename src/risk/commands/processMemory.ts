/**
 * Reading another process's memory: `/proc/PID/mem`, `/proc/kcore`, `/dev/mem`, core dumps
 * (`gcore PID`) and debuggers or tracers attached to a running process (`gdb -p`, `strace -p`).
 * A running process's memory holds the secrets it was given (the agent's API keys, tokens).
 */
import type { Call } from '../call.js';
import type { ShellWord } from '../shellValue.js';
import { display, pathOf } from './support.js';

/** Paths whose content is a process's (or the machine's) memory. */
const MEMORY_PATH = /^\/proc\/[^/]+\/(?:task\/[^/]+\/)?mem$|^\/proc\/kcore$|^\/dev\/(?:k?mem|crash)$/;

/** Cheap test before resolving a word as a path. */
const MAY_NAME_MEMORY = /mem|kcore|crash/;

/**
 * Per program: options that attach to a running process (their value, or their presence, names
 * it), and whether a bare numeric operand is a process id.
 */
interface AttachSpec {
  /** Options (as written, `=value` stripped) that attach to a process. */
  options: RegExp;
  /** Operands that are process ids attach too (`gcore PID`, `gdb PROG PID`). */
  pidOperand: 'any' | 'second' | 'none';
}

const ATTACHERS: Record<string, AttachSpec> = {
  gcore: { options: /^-p$/, pidOperand: 'any' },
  gdb: { options: /^(?:-p|--pid|-pid)$/, pidOperand: 'second' },
  lldb: { options: /^(?:-p|--attach-pid|-n|--attach-name|--wait-for)$/, pidOperand: 'none' },
  strace: { options: /^(?:-p|--attach)$/, pidOperand: 'none' },
  ltrace: { options: /^-p$/, pidOperand: 'none' },
  'pwndbg': { options: /^(?:-p|--pid)$/, pidOperand: 'second' },
  'rr': { options: /^$/, pidOperand: 'none' },
  criu: { options: /^(?:-t|--tree)$/, pidOperand: 'none' },
  procdump: { options: /^-p$/, pidOperand: 'any' },
  'py-spy': { options: /^(?:-p|--pid)$/, pidOperand: 'none' },
  memdump: { options: /^-p$/, pidOperand: 'any' },
};

/** `attach PID` given as a debugger command (`gdb -ex 'attach 123'`). */
const ATTACH_COMMAND = /(?:^|[\s;])(?:attach|at)\s+(?:\d|\uE000)/;

/** True when a word looks like a process id (a number, or a value only known at run time: `$PPID`). */
function isPidLike(w: ShellWord | undefined): boolean {
  return w !== undefined && /^(?:\d+|\uE000)$/.test(w.text);
}

/** True when a path word names process or machine memory. */
function namesMemory(call: Call, text: string): boolean {
  if (!MAY_NAME_MEMORY.test(text)) return false;
  if (MEMORY_PATH.test(text)) return true;
  const ref = pathOf(call, text);
  if (!ref) return false;
  return MEMORY_PATH.test(ref.path) || MEMORY_PATH.test(ref.real) || (ref.sample !== undefined && MEMORY_PATH.test(ref.sample.replace(/\u0001/g, 'x')));
}

/** The path part of an argument: the word itself, or the value of `--opt=PATH` / `if=PATH`. */
function pathPart(text: string): string {
  const eq = text.indexOf('=');
  return eq > 0 && (text.startsWith('-') || /^[a-z]+=/.test(text)) ? text.slice(eq + 1) : text;
}

/** Does this call attach a debugger, tracer or dumper to a running process? */
function attaches(call: Call): boolean {
  const spec = Object.hasOwn(ATTACHERS, call.program) ? ATTACHERS[call.program] : undefined;
  if (!spec) return false;
  const words = call.argWords;
  const operands: ShellWord[] = [];
  for (let k = 0; k < words.length; k++) {
    const t = words[k]!.text;
    if (t.startsWith('-')) {
      const name = t.includes('=') ? t.slice(0, t.indexOf('=')) : t;
      if (spec.options.test(name) || (/^-p\d+$/.test(t) && spec.options.test('-p'))) return true;
      if (/^-(?:ex|x|-eval-command|-command|o|-one-line|s|-source)$/.test(t) && ATTACH_COMMAND.test(words[k + 1]?.text ?? '')) return true;
      continue;
    }
    operands.push(words[k]!);
  }
  if (spec.pidOperand === 'any') return operands.some(isPidLike);
  if (spec.pidOperand === 'second') return isPidLike(operands[1]);
  return false;
}

/**
 * Judge reads of process memory: memory files among the arguments or on stdin are credential
 * reads (`secrets.read-credentials`); attaching a debugger, tracer or core dumper to a running
 * process is `secrets.process-memory`.
 */
export function judgeProcessMemory(call: Call): void {
  const run = call.exec.run;
  for (const w of call.argWords) {
    const text = pathPart(w.text);
    if (namesMemory(call, text)) {
      run.add('secrets.read-credentials', `${call.program} reads ${display(text)}, a process's memory with the secrets it holds`);
      break;
    }
  }
  if (call.stdin.kind === 'file' && call.stdin.path !== null && MEMORY_PATH.test(call.stdin.path))
    run.add('secrets.read-credentials', `${call.program} reads ${display(call.stdin.path)}, a process's memory with the secrets it holds`);
  if (attaches(call)) run.add('secrets.process-memory', `${call.program} attaches to a running process and can read its memory, secrets included`);
}
