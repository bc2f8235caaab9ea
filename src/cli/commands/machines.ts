import type { CliCommand } from '../command.js';
import { parseArgs } from '../args.js';
import { breakerMachine } from '../../../machines/breaker.machine.js';
import { approvalMachine } from '../../../machines/approval.machine.js';
import { toMermaid } from '../../viz/toMermaid.js';

/** `vaibot machines --mermaid | --json`: both statecharts, as Mermaid diagrams or their definitions. */
const machines: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, [], ['mermaid', 'json']);
  const all = [breakerMachine, approvalMachine];
  if (args.options.has('json')) {
    io.stdout(`${JSON.stringify(Object.fromEntries(all.map((m) => [m.id, m.definition])), null, 2)}\n`);
    return 0;
  }
  if (args.options.has('mermaid') || args.options.size === 0) {
    io.stdout(all.map((m) => toMermaid(m)).join('\n'));
    return 0;
  }
  return 2;
};
export default machines;
