import type { Call } from './call.js';
import { MAX_DEPTH } from './run.js';

/** Largest piece of interpreter code inspected, in characters. */
const MAX_CODE = 200_000;

/**
 * True (and the reason recorded) when a piece of interpreter code is nested too deep or too large
 * to inspect: the caller then judges nothing more of it, and the finding keeps the call from passing.
 */
export function codeOutOfBudget(call: Call, code: string, label: string): boolean {
  const run = call.exec.run;
  if (call.scope.depth >= MAX_DEPTH) {
    run.add('parse.depth-exceeded', `${label}: code nested more than ${MAX_DEPTH} levels deep`);
    return true;
  }
  if (code.length > MAX_CODE) {
    run.add('parse.budget-exceeded', `${label}: code too large to inspect`);
    return true;
  }
  return false;
}
