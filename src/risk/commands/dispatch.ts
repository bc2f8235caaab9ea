/**
 * Dispatches one expanded command to its handler; commands without a handler get the generic
 * checks (secret files read, protected paths passed along).
 */
import type { Call, Handler } from '../call.js';
import type { DataSource } from '../shellValue.js';
import { FILE_HANDLERS } from './files.js';
import { GIT_HANDLERS } from './git.js';
import { INFRA_HANDLERS } from './infra.js';
import { INTERPRETER_HANDLERS } from './interpreters.js';
import { NET_HANDLERS } from './net.js';
import { runFile } from './scripts.js';
import { SHELL_HANDLERS } from './shells.js';
import { generic, isDataTool, judgeForcedDestroy } from './generic.js';
import { UNKNOWN_OUTPUT, argsProvenance, display, langOfProgram, pathOf, programName, unknownOutput } from './support.js';
import { judgeAttackTools } from './attackTools.js';
import { LOG_ERASURE_HANDLERS } from './logErasure.js';
import { SYSTEM_HANDLERS, carryGuardPids, judgeCredentialPrinters } from './system.js';
import { TEXT_HANDLERS } from './text.js';
import { WRAPPER_HANDLERS } from './wrappers.js';
import { WINDOWS_CMD_HANDLERS } from './windowsCmd.js';
import { STORAGE_HANDLERS } from './storage.js';
import { EMBEDDED_COMMAND_HANDLERS } from './embeddedCommands.js';
import { BROWSER_OPEN_HANDLERS } from './browserOpen.js';
import { PATH_NAME_HANDLERS } from './pathNames.js';
import { judgeHostConfig } from './hostConfig.js';
import { HOST_REACH_HANDLERS } from './hostReach.js';
import { judgePackageSource } from './packageSources.js';
import { judgeInstallDestination } from './installDestinations.js';
import { judgeSessionEnvironment } from './sessionEnvironment.js';
import { ENDLESS_OUTPUT, judgeDiskFill, passesEndless } from './diskFill.js';
import { scanUnknownProgramCode } from '../foreignCode.js';
import { judgeCommandEnv } from './commandEnv.js';
import { judgeDbTasks } from './dbTasks.js';
import { judgeNetworkReach } from './networkReach.js';

const HANDLERS = new Map<string, Handler>([
  ...Object.entries(TEXT_HANDLERS),
  ...Object.entries(FILE_HANDLERS),
  ...Object.entries(GIT_HANDLERS),
  ...Object.entries(NET_HANDLERS),
  ...Object.entries(INFRA_HANDLERS),
  ...Object.entries(SYSTEM_HANDLERS),
  ...Object.entries(LOG_ERASURE_HANDLERS),
  ...Object.entries(INTERPRETER_HANDLERS),
  ...Object.entries(HOST_REACH_HANDLERS),
  ...Object.entries(WRAPPER_HANDLERS),
  ...Object.entries(WINDOWS_CMD_HANDLERS),
  ...Object.entries(SHELL_HANDLERS),
  ...Object.entries(STORAGE_HANDLERS),
  ...Object.entries(BROWSER_OPEN_HANDLERS),
  ...Object.entries(PATH_NAME_HANDLERS),
  // last: these add checks for commands embedded in options, then run the handler they replace
  ...Object.entries(EMBEDDED_COMMAND_HANDLERS),
]);

/** Resolve the handler for a program name (with version suffixes: python3.12, mkfs.ext4). */
export function handlerFor(program: string): Handler | undefined {
  const direct = HANDLERS.get(program);
  if (direct) return direct;
  const lang = langOfProgram(program);
  if (lang && lang !== 'sh' && lang !== 'awk') return HANDLERS.get(lang === 'python' ? 'python' : lang === 'node' ? 'node' : lang);
  if (/^mkfs(?:\..+)?$|^mke2fs$|^mkswap$|^mk(?:ntfs|dosfs|exfatfs|exfat|udffs|reiserfs|jfs|xfs|f2fs|hfs|nilfs2|btrfs)$|^newfs(?:_\w+)?$/.test(program)) return HANDLERS.get('mkfs');
  if (/^pip\d*(?:\.\d+)?$/.test(program)) return HANDLERS.get('pip');
  return undefined;
}

/** Dispatch one expanded command. */
export function runArgv(call: Call): DataSource {
  const run = call.exec.run;
  if (!run.step()) return UNKNOWN_OUTPUT;
  const w0 = call.words[0];
  if (!w0) return UNKNOWN_OUTPUT;
  if (w0.dynamic) {
    if (w0.from.download) run.add('exec.download-then-exec', `runs a command downloaded from the network (${display(w0.text)})`);
    else if (w0.from.decoded) run.add('exec.decode-then-exec', `runs a command decoded at run time (${display(w0.text)})`);
    else run.add('exec.dynamic-command', `the command name ${display(w0.text)} is only known at run time`);
    generic(call);
    return unknownOutput(argsProvenance(call));
  }
  run.command(call.program, call.args.map(display));
  // A path to an executable: a file the agent wrote is judged by its content; a link to or copy
  // of a known program is that program.
  let program = call.program;
  if (call.name.includes('/')) {
    const ref = pathOf(call, call.name);
    if (ref && (run.contentOf(ref.path) || run.contentOf(ref.real) || run.fetchedTreeOf(ref.path))) {
      return runFile(call, null, call.name, call.name, { positional: call.argWords });
    }
    if (ref) {
      run.touch(ref.real, 'exec');
      const copied = run.programCopies.get(ref.path) ?? run.programCopies.get(ref.real);
      const target = copied ?? programName(ref.real);
      if (target !== program && handlerFor(target)) {
        program = target;
        run.command(program, call.args.map(display));
      }
    }
  }
  judgeCommandEnv(call);
  // the call as the program it turned out to be (a path to a copy of `rm` is `rm`)
  const resolved = program !== call.program ? { ...call, program } : call;
  judgeDbTasks(resolved);
  judgeNetworkReach(resolved);
  judgeHostConfig(resolved);
  judgePackageSource(resolved);
  judgeInstallDestination(resolved);
  judgeSessionEnvironment(resolved);
  judgeDiskFill(resolved);
  judgeCredentialPrinters(resolved);
  judgeAttackTools(resolved);
  const h = handlerFor(program);
  if (!h) judgeForcedDestroy(resolved);
  if (!h && !isDataTool(program)) scanUnknownProgramCode(resolved);
  const out = carryGuardPids(resolved, h ? h(resolved) : generic(call));
  // a filter fed an endless stream never ends either (`cat /dev/zero | gzip > f`)
  if (passesEndless(resolved)) return ENDLESS_OUTPUT;
  // `kubectl completion bash`, `gh completion -s zsh`: the program's own completion script
  const completion = /^(?:completion|completions)$/.test(resolved.args[0] ?? '') && resolved.args.slice(1).every((x) => /^(?:bash|zsh|fish|-s|--shell|-s=\w+|--shell=\w+)$/.test(x));
  return out.kind === 'unknown' && !out.producer ? { ...out, producer: completion ? `${program} completion` : program } : out;
}

