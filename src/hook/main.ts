import { runHook } from './runHook.js';
import { readStdin } from './readStdin.js';
import { buildHookEnv } from './buildHookEnv.js';
import { renderOutput } from '../codex/hookOutput.js';
import { failureOutput, failureMode, answerEventFor } from './runHook.js';
import { VaibotError } from '../util/vaibotError.js';

// The hook process: exactly one Codex-valid answer on stdout, everything else on stderr.
const argvEvent = process.argv[2];
const breadcrumb = (line: string): void => { process.stderr.write(`${line}\n`); };
let answered = false;

function answer(stdout: string, code: number): void {
  if (answered) return;
  answered = true;
  if (stdout === '') process.exit(code);
  process.stdout.write(stdout, () => process.exit(code));
}

// The internal deadline stays inside hooks.json's timeout, so Codex never sees a hook time out
// (a timed-out hook is a silent allow).
const rawDeadline = Number(process.env.VAIBOT_HOOK_DEADLINE_MS);
const deadlineMs = Number.isFinite(rawDeadline) && rawDeadline >= 100 ? rawDeadline : 20_000;
setTimeout(() => {
  const event = answerEventFor(argvEvent);
  const out = failureOutput(event, failureMode(process.env), false, new VaibotError('deadline_exceeded', `no decision within ${deadlineMs} ms`), breadcrumb);
  answer(renderOutput(event, out).stdout, 0);
}, deadlineMs).unref();

process.on('uncaughtException', (err) => {
  const event = answerEventFor(argvEvent);
  answer(renderOutput(event, failureOutput(event, failureMode(process.env), false, err, breadcrumb)).stdout, 0);
});

void runHook(argvEvent, () => readStdin(), process.env, (cwd) => buildHookEnv(process.env, breadcrumb, cwd), breadcrumb).then((out) => {
  answer(out.stdout, out.exitCode);
});
