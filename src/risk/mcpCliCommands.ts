/**
 * MCP tools that wrap a command-line tool (a Kubernetes server's `kubectl`, the AWS server's
 * `use_aws`, a Terraform server's `apply`): the command line their arguments amount to, so it is
 * judged as that CLI's command would be. Shapes read:
 * - an argument vector without a program (`{"args": ["delete", "namespace", "prod"]}`);
 * - a bare command string in a tool named after the CLI (`kubectl {"command": "delete ns prod"}`);
 * - AWS's service/operation form (`{"service_name": "ec2", "operation_name": "terminate-instances",
 *   "parameters": {"InstanceIds": [...]}}`);
 * - a tool named after a subcommand, with boolean flags (`terraform/apply {"destroy": true,
 *   "auto_approve": true}` -> `terraform apply -destroy -auto-approve`).
 */
import { shellJoin } from './mcpCommands.js';
import { type McpToolKind, wordsOf } from './mcpToolKind.js';

/** What {@link mcpCliCommand} found: the command line, and the argument keys it used up. */
export interface McpCliCommand {
  text: string;
  keys: string[];
}

const ARGS_KEY = /^(?:args|argv|arguments)$/i;
const COMMAND_KEY = /^(?:command|cmd|command_?line|cli_?command)$/i;
/** Subcommands a tool may be named after (`terraform_apply`, `helm-uninstall`). */
const SUBCOMMAND_VERBS = new Set(['apply', 'destroy', 'plan', 'import', 'delete', 'uninstall', 'install', 'upgrade', 'rollback', 'push', 'reset', 'scale', 'drain', 'cordon', 'rm', 'prune', 'exec', 'run']);
/** Words of a tool name that say nothing of the subcommand. */
const FILLER = new Set(['run', 'execute', 'exec', 'invoke', 'call', 'use', 'tool', 'command', 'cli', 'mcp']);

const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);

/** `InstanceIds` -> `instance-ids`, `auto_approve` -> `auto-approve`. */
function kebab(name: string): string {
  return wordsOf(name).join('-');
}

/** AWS's `parameters` object as CLI options (`--instance-ids i-1 i-2`). */
function awsOptions(params: unknown): string[] {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' || typeof v === 'number') out.push(`--${kebab(k)}`, String(v));
    else if (v === true) out.push(`--${kebab(k)}`);
    else if (strings(v)) out.push(`--${kebab(k)}`, ...strings(v)!);
    else if (v && typeof v === 'object') out.push(`--${kebab(k)}`, JSON.stringify(v));
  }
  return out;
}

/** The command line an MCP call on a CLI-wrapping tool amounts to, or null. See the file's comment. */
export function mcpCliCommand(tool: string, kind: McpToolKind, args: Readonly<Record<string, unknown>>): McpCliCommand | null {
  const cli = kind.cli;
  if (cli === null) return null;
  const entries = Object.entries(args);
  const vector = entries.find(([k, v]) => ARGS_KEY.test(k) && strings(v) !== null);
  // a program given beside the vector is read as `{command, args}` elsewhere
  const program = entries.some(([k, v]) => /^(?:program|executable|binary|bin)$/i.test(k) && typeof v === 'string');
  if (vector && !program) {
    const list = strings(vector[1])!;
    const words = list[0] === cli ? list : [cli, ...list];
    const command = entries.find(([k, v]) => COMMAND_KEY.test(k) && typeof v === 'string');
    // `{"command": "delete", "args": ["ns", "prod"]}`: the verb, then its arguments
    if (command && !/\s/.test((command[1] as string).trim())) return { text: shellJoin([cli, (command[1] as string).trim(), ...list.filter((x) => x !== cli)]), keys: [vector[0], command[0]] };
    return { text: shellJoin(words), keys: [vector[0]] };
  }
  const command = entries.find(([k, v]) => COMMAND_KEY.test(k) && typeof v === 'string');
  if (command && kind.cliInTool) {
    const text = (command[1] as string).trim();
    const first = text.split(/\s+/)[0] ?? '';
    return { text: first === cli || first.endsWith(`/${cli}`) ? text : `${cli} ${text}`, keys: [command[0]] };
  }
  if (cli === 'aws') {
    const service = entries.find(([k, v]) => /^service(?:_?name)?$/i.test(k) && typeof v === 'string');
    const operation = entries.find(([k, v]) => /^(?:operation|operation_?name|action|api)$/i.test(k) && typeof v === 'string');
    if (service && operation) {
      const params = entries.find(([k]) => /^(?:parameters|params|input|arguments)$/i.test(k));
      return { text: shellJoin(['aws', (service[1] as string).toLowerCase(), kebab(operation[1] as string), ...awsOptions(params?.[1])]), keys: [service[0], operation[0], ...(params ? [params[0]] : [])] };
    }
  }
  const verb = wordsOf(tool).filter((w) => w !== cli && !FILLER.has(w) && !Object.hasOwn({ kubernetes: 1, k8s: 1, tofu: 1, opentofu: 1 }, w))[0];
  if (verb !== undefined && SUBCOMMAND_VERBS.has(verb)) {
    const dash = cli === 'terraform' ? '-' : '--';
    const flags = entries.filter(([, v]) => v === true).map(([k]) => `${dash}${kebab(k)}`);
    return { text: shellJoin([cli, verb, ...flags]), keys: [] };
  }
  return null;
}
