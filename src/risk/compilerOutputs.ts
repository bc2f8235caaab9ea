/**
 * Programs compiled earlier in the same command from a source the agent wrote (`gcc a.c && ./a.out`,
 * `rustc m.rs && ./m`): running the output is judged by the source's process and delete calls.
 */
import type { Run, WrittenContent } from './run.js';

/** A compiled program: the source it came from and what the agent wrote there. */
export interface CompiledProgram {
  source: string;
  content: WrittenContent;
}

const OUTPUTS = new WeakMap<Run, Map<string, CompiledProgram>>();

/** Record that `output` was compiled from `source` (whose content the agent wrote). */
export function recordCompilerOutput(run: Run, output: string, program: CompiledProgram): void {
  let m = OUTPUTS.get(run);
  if (!m) OUTPUTS.set(run, (m = new Map()));
  m.set(output, program);
}

/** The compiled program at a path, when it was built earlier in this command from a written source. */
export function compilerOutputOf(run: Run, path: string): CompiledProgram | undefined {
  return OUTPUTS.get(run)?.get(path);
}
