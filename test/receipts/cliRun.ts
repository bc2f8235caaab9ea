import { runCli } from '../../src/cli/runCli.js';

/** Run `vaibot <args>` in-process; returns exit code and both streams. */
export async function vaibot(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env });
  return { code, stdout, stderr };
}
