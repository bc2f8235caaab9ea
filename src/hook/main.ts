import { writeSync } from 'node:fs';
import { readHookStdin } from './readStdin.js';
import { renderOutput } from '../codex/hookOutput.js';
import { answerEventFor, failureMode, failureOutput } from './failClosed.js';
import { VaibotError } from '../util/vaibotError.js';
import { vaibotHome } from '../state/paths.js';
import { VERSION } from '../util/version.js';
import { BUILD_ID } from '../util/buildId.js';
import { DAEMON_PROTOCOL, daemonSocketPath, forwardedEnv } from './daemonProtocol.js';
import { askDaemon } from './daemonClient.js';


// The hook process Codex starts for every event: exactly one Codex-valid answer on stdout,
// everything else on stderr. It stays thin: the engine runs in a warm daemon (started on first use,
// exiting when idle); when none answers, this process answers the call itself.
const argvEvent = process.argv[2];
let answered = false;

/**
 * Write all of `text` to fd 1 or 2 synchronously: no stream is set up (that costs start-up time), and
 * nothing is left in a buffer when the process exits. False when the descriptor would block (a
 * non-blocking pipe that is full), so the caller falls back to the stream.
 */
function writeAllSync(fd: 1 | 2, text: string): boolean {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  try {
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    const rest = buf.subarray(off);
    if (fd === 2) process.stderr.write(rest);
    else pendingStdout = rest;
    return false;
  }
}
let pendingStdout: Buffer | null = null;

const breadcrumb = (line: string): void => {
  try { writeAllSync(2, `${line}\n`); } catch { /* stderr is gone: breadcrumbs are best effort */ }
};

function answer(stdout: string, code: number): void {
  if (answered) return;
  answered = true;
  if (stdout === '' || writeAllSync(1, stdout)) process.exit(code);
  process.stdout.write(pendingStdout ?? stdout, () => process.exit(code));
}

function fail(err: unknown): void {
  const event = answerEventFor(argvEvent);
  answer(renderOutput(event, failureOutput(event, failureMode(process.env), false, err, breadcrumb)).stdout, 0);
}

// The internal deadline stays inside hooks.json's timeout, so Codex never sees a hook time out
// (a timed-out hook is a silent allow).
const startedAt = Date.now();
/** What deciding in-process may take at worst (the engine's lock and database waits), ms. */
const IN_PROCESS_BUDGET_MS = 10_000;
const rawDeadline = Number(process.env.VAIBOT_HOOK_DEADLINE_MS);
const deadlineMs = Number.isFinite(rawDeadline) && rawDeadline >= 100 ? rawDeadline : 20_000;
setTimeout(() => fail(new VaibotError('deadline_exceeded', `no decision within ${deadlineMs} ms`)), deadlineMs).unref();
process.on('uncaughtException', fail);

async function inProcess(stdin: string): Promise<void> {
  const { answerHookCall } = await import('./hookCore.js');
  const ans = await answerHookCall(argvEvent, stdin, process.env);
  for (const l of ans.lines) breadcrumb(l);
  answer(ans.stdout, ans.exitCode);
}

async function startDaemon(socketPath: string): Promise<void> {
  // loaded only here: these modules cost start-up time on every other call
  const [{ spawn }, { dirname, join, resolve }] = await Promise.all([import('node:child_process'), import('node:path')]);
  // this file is a CommonJS bundle (the ESM loader costs start-up time), so no import.meta; its
  // __filename is resolved through symlinks (argv[1] is not)
  const self = typeof __filename === 'string' ? __filename : resolve(process.argv[1] ?? '.');
  const daemon = join(dirname(self), 'hookd.mjs');
  try {
    const child = spawn(process.execPath, [daemon, socketPath], { detached: true, stdio: 'ignore', env: process.env });
    child.on('error', () => { /* stays in-process next time too */ });
    child.unref();
  } catch { /* in-process it is */ }
}

async function main(): Promise<void> {
  // never a blocking read, so the deadline still fires if stdin is never closed
  const stdin = await readHookStdin();
  const bundled = BUILD_ID !== 'dev';
  const useDaemon = bundled && (process.env.VAIBOT_DAEMON ?? '1') !== '0';
  const socketPath = useDaemon ? daemonSocketPath(vaibotHome(process.env), `${VERSION}:${BUILD_ID}`) : undefined;
  if (socketPath === undefined) return inProcess(stdin);
  const outcome = await askDaemon(socketPath, { v: DAEMON_PROTOCOL, event: argvEvent, stdin, env: forwardedEnv(process.env) }, Math.max(100, deadlineMs - 1_000));
  if (outcome.kind === 'answered') {
    for (const l of outcome.response.lines) breadcrumb(l);
    return answer(outcome.response.stdout, outcome.response.exitCode);
  }
  if (outcome.kind === 'failed') {
    // A daemon that broke mid-call (killed, exiting, replaced) must not cost the user a spurious
    // deny: this process decides the call itself. If the daemon got as far as recording it, the
    // log holds both decisions, which is the truth. Only with time to spare, though: after a
    // timeout (a daemon stuck on a lock would leave this process stuck on it too), or late in the
    // budget, deciding here could outlast Codex's own timeout, which lets the call run.
    const left = deadlineMs - (Date.now() - startedAt);
    if (outcome.timedOut) {
      // this call is denied either way; the next one should not wait on the same stuck daemon
      const { evictHungDaemon } = await import('./daemonOwnership.js');
      if (evictHungDaemon(socketPath)) breadcrumb('VAIBot: the hook daemon did not answer in time; stopped it (the next call starts a fresh one)');
      throw new VaibotError('deadline_exceeded', outcome.why);
    }
    if (left < IN_PROCESS_BUDGET_MS) throw new VaibotError('deadline_exceeded', outcome.why);
    breadcrumb(`VAIBot: ${outcome.why}; deciding in-process`);
    return inProcess(stdin);
  }
  await startDaemon(socketPath);
  await inProcess(stdin);
}

main().catch(fail);
