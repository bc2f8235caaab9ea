import type { CliCommand } from '../command.js';
import { parseArgs } from '../args.js';
import { loadSettings } from '../../config/settings.js';
import { recordBreakerEvent } from '../../state/breakerStore.js';
import { cliApprover } from './humanActor.js';

/** `vaibot breaker reset`: a human closes the breaker (recorded as a `breaker.reset` event). */
const breaker: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, []);
  if (args.positional[0] !== 'reset' || args.positional.length !== 1) {
    io.stderr('usage: vaibot breaker reset\n');
    return 2;
  }
  const settings = loadSettings(io.env);
  const { before, after } = recordBreakerEvent(settings.home, settings.breaker, { type: 'breaker.reset', at: Date.now(), by: cliApprover(io.env).id });
  io.stdout(`Breaker ${before?.value ?? 'closed'} -> ${after.value}.\n`);
  return 0;
};
export default breaker;
