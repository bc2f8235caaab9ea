import { runHook } from './runHook.js';
import { buildHookEnv } from './buildHookEnv.js';

/** One hook call answered in this process: Codex's stdout, the exit code, and stderr lines. */
export interface CoreAnswer {
  stdout: string;
  exitCode: number;
  lines: string[];
}

/**
 * Answer one hook call completely in this process (the daemon does this per request, and the thin
 * hook entry does it itself when no daemon is reachable). Never throws.
 */
export async function answerHookCall(argvEvent: string | undefined, stdin: string, env: NodeJS.ProcessEnv): Promise<CoreAnswer> {
  const lines: string[] = [];
  const breadcrumb = (line: string): void => { lines.push(line); };
  const out = await runHook(argvEvent, async () => stdin, env, (cwd) => buildHookEnv(env, breadcrumb, cwd), breadcrumb);
  return { stdout: out.stdout, exitCode: out.exitCode, lines };
}
