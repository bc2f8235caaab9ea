/**
 * PowerShell (`pwsh`, `powershell`): `-Command`, `-EncodedCommand`, `-File`, stdin. Each statement
 * is translated to the shell command it amounts to where one is known (Remove-Item -> rm,
 * Invoke-WebRequest -> curl, iwr | iex -> curl | sh, Start-Process -> the program) and judged as
 * such; other statements are judged as written.
 */
import type { Call, Handler } from '../call.js';
import { type DataSource, EMPTY_INPUT } from '../shellValue.js';
import { runCode, runFile, runSource } from './scripts.js';
import { UNKNOWN_OUTPUT, shellQuote, splitWords } from './support.js';

/** A PowerShell path as a shell word: `~`, `$HOME`, `$env:USERPROFILE` become "$HOME", a drive root `/`. */
function pathWord(p: string): string {
  const t = p.replace(/\\/g, '/').replace(/^[A-Za-z]:(?=\/|$)/, '');
  const home = /^(?:~|\$home|\$env:home|\$env:userprofile|\$\{env:home\})(?=\/|$)/i.exec(t);
  const rest = home ? t.slice(home[0].length) : t === '' ? '/' : t;
  const quoted = rest === '' ? '' : rest.split(/(\*)/).map((x) => (x === '*' ? '*' : x === '' ? '' : shellQuote(x))).join('');
  return (home ? '"$HOME"' : '') + quoted;
}

/** True when `word` is a (case-insensitive, possibly abbreviated) spelling of the parameter `name`, at least `min` letters. */
function isParam(word: string, name: string, min = 2): boolean {
  const w = word.toLowerCase().replace(/:.*$/, '');
  return w.startsWith('-') && w.length - 1 >= min && name.toLowerCase().startsWith(w.slice(1));
}

/** Remove-Item and its aliases. */
const REMOVE = /^(?:remove-item|rm|ri|del|erase|rd|rmdir)$/i;
/** Listing cmdlets whose output piped into Remove-Item names what gets deleted. */
const LIST = /^(?:get-childitem|gci|ls|dir)$/i;
/** Downloaders. */
const FETCH = /^(?:invoke-webrequest|iwr|invoke-restmethod|irm|curl|wget)$/i;

/** Paths a cmdlet names (positional or -Path / -LiteralPath), comma lists split. */
function pathsOf(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isParam(t, 'Path', 1) || isParam(t, 'LiteralPath', 2)) { out.push(...(tokens[++i] ?? '').split(',')); continue; }
    if (/^-(?:filter|include|exclude|depth|credential|stream)$/i.test(t)) { i++; continue; }
    if (t.startsWith('-')) continue;
    out.push(...t.split(','));
  }
  return out.filter((p) => p !== '');
}

/** The shell command one pipeline stage amounts to, given the stage before it. */
function stageToSh(tokens: string[], prev: string[] | undefined): string {
  const cmd = tokens[0] ?? '';
  const flags = tokens.slice(1);
  if (REMOVE.test(cmd)) {
    const recursive = flags.some((f) => isParam(f, 'Recurse', 1));
    let paths = pathsOf(tokens).map(pathWord);
    if (paths.length === 0 && prev && LIST.test(prev[0] ?? '')) paths = (pathsOf(prev).length ? pathsOf(prev) : ['.']).map((p) => `${pathWord(p)}/*`);
    return paths.length ? `rm ${recursive || (prev && prev.some((f) => isParam(f, 'Recurse', 1))) ? '-r ' : ''}-f -- ${paths.join(' ')}` : 'true';
  }
  if (/^(?:invoke-expression|iex)$/i.test(cmd)) return prev && FETCH.test(prev[0] ?? '') ? 'sh' : flags.length ? flags.join(' ') : 'sh';
  if (FETCH.test(cmd)) {
    const url = flags.find((f) => /^https?:/i.test(f)) ?? (flags.find((f) => !f.startsWith('-')) ?? '');
    const out = flags.findIndex((f) => isParam(f, 'OutFile', 1));
    return `curl -sL ${shellQuote(url)}${out >= 0 ? ` -o ${pathWord(flags[out + 1] ?? '')}` : ''}`;
  }
  if (/^(?:start-process|saps|start)$/i.test(cmd)) {
    const prog = flags.find((f) => !f.startsWith('-')) ?? '';
    const a = flags.findIndex((f) => isParam(f, 'ArgumentList', 1));
    return [prog, ...(a >= 0 ? (flags[a + 1] ?? '').split(',') : [])].map(shellQuote).join(' ');
  }
  if (/^(?:set-content|sc|out-file|add-content|ac)$/i.test(cmd)) {
    const p = pathsOf(tokens)[0];
    return p ? `true >> ${pathWord(p)}` : 'true';
  }
  return tokens.map((t) => (t.startsWith('~') || /^\$(?:home|env:)/i.test(t) ? pathWord(t) : shellQuote(t))).join(' ');
}

/** Disk-destroying cmdlets. */
const DISK = /^(?:format-volume|clear-disk|initialize-disk|remove-partition|remove-physicaldisk|remove-virtualdisk|format-disk)$/i;

/** Translate PowerShell code to the shell commands it amounts to (one line per statement). */
function translate(call: Call, code: string): string {
  const lines: string[] = [];
  for (const statement of code.split(/[;\n]|&&|\|\|/)) {
    let prev: string[] | undefined;
    const stages: string[] = [];
    for (const stage of statement.split(/\|(?![|])/)) {
      // a backslash is a path separator in PowerShell, not an escape (the backtick is)
      const tokens = splitWords(stage.trim().replace(/^&\s*/, '').replace(/\\/g, '/'));
      if (tokens.length === 0) continue;
      if (DISK.test(tokens[0]!)) call.exec.run.add('fs.format-disk', `${call.program} ${tokens[0]} destroys a disk, partition or volume`);
      stages.push(stageToSh(tokens, prev));
      prev = tokens;
    }
    if (stages.length) lines.push(stages.join(' | '));
  }
  return lines.join('\n');
}

/** Judge PowerShell code. */
function judgePs(call: Call, code: string, label: string, decoded = false): DataSource {
  if (decoded) call.exec.run.add('exec.decode-then-exec', `${label} runs a base64-encoded command`);
  return runCode(call, 'sh', translate(call, code), label);
}

/** `pwsh` / `powershell`. */
export const powershell: Handler = (call) => {
  const w = call.argWords;
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if (isParam(t, 'Command', 1)) return judgePs(call, w.slice(i + 1).map((x) => x.text).join(' '), `${call.program} -Command`);
    if (isParam(t, 'EncodedCommand', 1) || /^-ec$/i.test(t)) {
      const text = Buffer.from(w[i + 1]?.text ?? '', 'base64').toString('utf16le');
      return judgePs(call, text, `${call.program} -EncodedCommand`, true);
    }
    if (isParam(t, 'File', 1)) return runFile(call, null, w[i + 1]?.text ?? null, `${call.program} -File`);
    if (/^-(?:executionpolicy|ep|ex|workingdirectory|wd|inputformat|outputformat|of|windowstyle|configurationname|custompipename|settingsfile|version|v)$/i.test(t)) { i++; continue; }
    if (t.startsWith('-')) continue;
    return call.program === 'powershell' ? judgePs(call, w.slice(i).map((x) => x.text).join(' '), call.program) : runFile(call, null, t, call.program);
  }
  if (call.stdin.kind !== 'terminal') return runSource(call, 'sh', call.stdin.kind === 'text' ? { ...call.stdin, text: translate(call, call.stdin.text) } : call.stdin, `${call.program} reading stdin`);
  call.exec.run.add('exec.interactive', `${call.program} starts an interactive shell: commands sent to it with write_stdin are not governed`);
  return call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : EMPTY_INPUT;
};
