/**
 * Running data as code: a shell or interpreter reading its script from stdin, a process
 * substitution, a string (`-c`), or a file (possibly one the agent wrote: cross-call taint).
 */
import type { Call } from '../call.js';
import { type CompiledProgram, compilerOutputOf } from '../compilerOutputs.js';
import { scanCode } from '../interpreterCode.js';
import { judgeRead } from '../pathRules.js';
import { scanCompiledSource } from '../workspaceRunners.js';
import type { Scope } from '../scope.js';
import { nestedScope } from '../scope.js';
import { type DataSource, type ShellWord, EMPTY_INPUT, UNKNOWN } from '../shellValue.js';
import { type ScriptLang, UNKNOWN_OUTPUT, display, languageOf, pathOf } from './support.js';

/** Findings for code whose origin alone is damning; returns true when the code must not be trusted at all. */
function judgeOrigin(call: Call, from: { download: boolean; decoded: boolean }, label: string): void {
  const run = call.exec.run;
  if (from.download) run.add('exec.download-then-exec', `${label} runs code downloaded from the network`);
  if (from.decoded) run.add('exec.decode-then-exec', `${label} runs code decoded or de-obfuscated at run time`);
}

/** Run a code string in a language (shell: parsed and walked; others: scanned). */
export function runCode(call: Call, lang: ScriptLang, text: string, label: string, opts: { positional?: ShellWord[] | null; scriptName?: string; stdin?: DataSource; share?: boolean } = {}): DataSource {
  const run = call.exec.run;
  if (text.split(UNKNOWN).join('').trim() === '' && text.includes(UNKNOWN)) {
    run.add('exec.dynamic-code', `${label} runs code computed at run time`);
    return UNKNOWN_OUTPUT;
  }
  if (lang === 'sh') {
    const scopeOpts: { positional?: ShellWord[] | null; scriptName?: string; share?: boolean } = {};
    if (opts.positional !== undefined) scopeOpts.positional = opts.positional;
    if (opts.scriptName !== undefined) scopeOpts.scriptName = opts.scriptName;
    if (opts.share) scopeOpts.share = true;
    const scope: Scope = nestedScope(call.scope, scopeOpts);
    return call.exec.script(text, scope, opts.stdin ?? EMPTY_INPUT, label);
  }
  scanCode(call, lang, text, label);
  return UNKNOWN_OUTPUT;
}

/** A shell or interpreter executes what `source` yields (stdin, a heredoc, a process substitution). */
export function runSource(call: Call, lang: ScriptLang, source: DataSource, label: string, opts: { positional?: ShellWord[] | null; interactiveOk?: boolean } = {}): DataSource {
  const run = call.exec.run;
  switch (source.kind) {
    case 'terminal':
      if (!opts.interactiveOk)
        run.add('exec.interactive', `${label} starts an interactive session: input sent with write_stdin is not governed`);
      return UNKNOWN_OUTPUT;
    case 'text':
      judgeOrigin(call, source.from, label);
      return runCode(call, lang, source.text, label, { positional: opts.positional ?? null });
    case 'file':
      judgeOrigin(call, source.from, label);
      return runFile(call, lang, source.path, label);
    case 'unknown':
      judgeOrigin(call, source.from, label);
      // a program's own completion script (`source <(kubectl completion bash)`) is that program's doing
      if (!source.from.download && !source.from.decoded && !source.producer?.endsWith(' completion'))
        run.add('exec.stdin-script-unknown', `${label} runs commands from input that cannot be inspected before it runs`);
      return UNKNOWN_OUTPUT;
  }
}

/** Run a program compiled earlier in the command from a written source: judged by the source's calls. */
function runCompiled(call: Call, program: CompiledProgram, label: string): DataSource {
  const run = call.exec.run;
  if (program.content.kind === 'unknown') {
    judgeOrigin(call, program.content.from, label);
    if (!program.content.from.download) run.add('exec.session-modified-file', `${label}: its source was changed in a way that cannot be inspected`);
    return UNKNOWN_OUTPUT;
  }
  judgeOrigin(call, program.content.from, label);
  run.add('exec.session-written-file', `${label}: the source was written by the agent and is judged by its calls`);
  scanCompiledSource(call, program.content.text, label);
  return UNKNOWN_OUTPUT;
}

/**
 * Execute a file: when the agent wrote it earlier (this command or this session), judge it by its
 * content; a downloaded file is download-then-exec.
 */
export function runFile(call: Call, lang: ScriptLang | null, path: string | null, label: string, opts: { positional?: ShellWord[]; share?: boolean } = {}): DataSource {
  const run = call.exec.run;
  if (path === null) {
    run.add('exec.dynamic-command', `${label} runs a script whose path is only known at run time`);
    return UNKNOWN_OUTPUT;
  }
  const ref = pathOf(call, path);
  if (ref === null) {
    run.add('exec.dynamic-command', `${label} runs a script whose path is only known at run time`);
    return UNKNOWN_OUTPUT;
  }
  run.touch(ref.real, 'exec');
  // running or sourcing a file reads it: a credentials file's lines come back in error messages
  judgeRead(run, ref, { verb: label, ignoreDotenv: true });
  const compiled = compilerOutputOf(run, ref.path) ?? compilerOutputOf(run, ref.real);
  if (compiled) return runCompiled(call, compiled, `${label} (${display(path)}, compiled from ${display(compiled.source)})`);
  const content = run.contentOf(ref.path) ?? (ref.real !== ref.path ? run.contentOf(ref.real) : undefined);
  if (!content) {
    const fetched = run.fetchedTreeOf(ref.path);
    if (fetched) run.add('exec.cloned-code', `${label} runs ${display(path)}, from ${display(fetched.dir)} (${fetched.how} in this command)`);
    return UNKNOWN_OUTPUT;
  }
  if (content.kind === 'unknown') {
    judgeOrigin(call, content.from, `${label} (${display(path)})`);
    return UNKNOWN_OUTPUT;
  }
  judgeOrigin(call, content.from, `${label} (${display(path)})`);
  run.add('exec.session-written-file', `${label} runs ${display(path)}, written earlier by the agent: judged by its content`);
  const l = lang ?? languageOf(ref.path, content.text);
  const codeOpts: { positional?: ShellWord[] | null; scriptName?: string; share?: boolean } = { scriptName: path };
  if (opts.positional) codeOpts.positional = opts.positional;
  if (opts.share) codeOpts.share = true;
  return runCode(call, l, content.text, `${label} ${display(path)}`, codeOpts);
}
