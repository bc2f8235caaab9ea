/**
 * Shell escapes of database clients: `sqlite3` dot-commands (`.shell`, `.system`, `.once |cmd`,
 * `.import '|cmd'`), `psql` meta-commands (`\! cmd`, `\o |cmd`, `COPY … PROGRAM 'cmd'`), the
 * `mysql`/`mariadb` client (`system cmd`, `\! cmd`, `pager cmd`). Each command is judged like
 * `sh -c` would run it.
 */
import type { Call } from '../call.js';
import { runCode } from './scripts.js';

/** Commands a client's input makes it run, by client family. */
function escapes(program: string, text: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (/^(?:sqlite3|duckdb)$/.test(program)) {
      if ((m = /^\.(?:shell|system)\s+(.+)$/s.exec(line))) out.push(m[1]!);
      else if ((m = /^\.(?:once|output|out|import|read)\s+(?:-\S+\s+)*(['"]?)\|(.+?)\1(?:\s+\S+)?$/s.exec(line))) out.push(m[2]!);
    }
    if (program === 'psql') {
      for (const mm of line.matchAll(/\\!\s*(.+)$|\\[ogw]\s*\|\s*(.+)$|\\gexec\b/g)) if (mm[1] ?? mm[2]) out.push((mm[1] ?? mm[2])!);
    }
    if (/^(?:mysql|mariadb)$/.test(program)) {
      for (const stmt of line.split(';')) {
        if ((m = /^\s*(?:system|\\!|pager|\\P)\s+(.+)$/is.exec(stmt))) out.push(m[1]!);
      }
    }
  }
  if (/^(?:psql|sqlite3|duckdb)$/.test(program)) {
    for (const m of text.matchAll(/\b(?:from|to)\s+program\s+'((?:[^']|'')*)'/gi)) out.push(m[1]!.replace(/''/g, "'"));
  }
  return out.map((c) => c.trim()).filter((c) => c !== '');
}

/** Judge the shell commands a database client's input (inline, file or stdin) makes it run. */
export function runClientEscapes(call: Call, text: string, what: string): void {
  for (const cmd of escapes(call.program, text)) runCode(call, 'sh', cmd, `${what} shell escape`);
}
