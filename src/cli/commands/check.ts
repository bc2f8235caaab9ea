import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliCommand } from '../command.js';
import { opt, parseArgs } from '../args.js';
import { intentOf } from '../../intent/intentOf.js';
import { classify } from '../../risk/classify.js';
import { evaluate } from '../../policy/evaluate.js';
import { invalidPolicyDecision } from '../../policy/invalidPolicyDecision.js';
import { loadPolicy, findProjectPolicy, userPolicyFile } from '../../policy/loadPolicy.js';
import type { PolicyDecision } from '../../policy/policyDecision.js';
import { codexHome, userHome, vaibotHome } from '../../state/paths.js';

const USAGE =
  "usage: vaibot check --tool Bash --command '…' [--cwd DIR] [--json]\n" +
  '       vaibot check --tool apply_patch (--patch TEXT | --patch-file FILE) [--cwd DIR] [--json]\n' +
  "       vaibot check --tool mcp__<server>__<tool> --input '<json arguments>' [--cwd DIR] [--json]\n";

/**
 * `vaibot check`: classify a tool call and evaluate it against the effective policy, without
 * running anything. Prints risk, decision, reason, rule ids and findings (`--json` for machines).
 * Exit code 0 whatever the decision; 2 on a usage error.
 */
const check: CliCommand = async (argv, io) => {
  let args;
  try {
    args = parseArgs(argv, ['tool', 'command', 'cwd', 'patch', 'patch-file', 'input'], ['json', 'help']);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const tool = opt(args, 'tool') ?? 'Bash';
  const cwd = resolve(opt(args, 'cwd') ?? process.cwd());
  let input: unknown;
  if (tool === 'apply_patch') {
    const file = opt(args, 'patch-file');
    const text = file !== undefined ? readFileSync(resolve(cwd, file), 'utf8') : opt(args, 'patch');
    if (text === undefined) {
      io.stderr(`--patch or --patch-file is required for apply_patch\n${USAGE}`);
      return 2;
    }
    input = { command: text };
  } else if (tool.startsWith('mcp__') || opt(args, 'input') !== undefined) {
    const raw = opt(args, 'input') ?? '{}';
    try {
      input = JSON.parse(raw);
    } catch (e) {
      io.stderr(`--input is not valid JSON: ${(e as Error).message}\n`);
      return 2;
    }
  } else {
    const command = opt(args, 'command') ?? (args.positional.length > 0 ? args.positional.join(' ') : undefined);
    if (command === undefined) {
      io.stderr(`--command is required\n${USAGE}`);
      return 2;
    }
    input = { command };
  }
  const env = io.env;
  const home = userHome(env);
  const vHome = vaibotHome(env);
  const cHome = codexHome(env);
  const intent = intentOf(tool, input, cwd);
  const policyFiles = [userPolicyFile(vHome), findProjectPolicy(cwd, home, userPolicyFile(vHome))].filter((f): f is string => f !== undefined);
  const assessment = classify(intent, { home, vaibotHome: vHome, codexHome: cHome, protectedPaths: policyFiles });
  const loaded = await loadPolicy({ vaibotHome: vHome, cwd, home });
  const decision: PolicyDecision = loaded.ok ? evaluate(intent, assessment, loaded.policy) : invalidPolicyDecision(loaded, assessment.level);
  if (args.options.has('json')) {
    io.stdout(
      `${JSON.stringify(
        {
          tool: intent.tool,
          cwd: intent.cwd,
          risk: assessment.level,
          decision: decision.action,
          reason: decision.reason,
          ruleIds: decision.ruleIds,
          findings: assessment.findings,
          commands: assessment.commands ?? [],
          paths: assessment.paths ?? [],
          policy: loaded.ok ? { files: loaded.policy.files, warnings: loaded.warnings } : { invalid: { file: loaded.file, line: loaded.line, message: loaded.message } },
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const lines = [
    `risk:     ${assessment.level}`,
    `decision: ${decision.action}`,
    `reason:   ${decision.reason}`,
    `rules:    ${decision.ruleIds.length ? decision.ruleIds.join(', ') : '(none)'}`,
  ];
  if (assessment.findings.length > 0) {
    lines.push('findings:');
    for (const f of assessment.findings) lines.push(`  [${f.level}] ${f.ruleId} (${f.category}): ${f.reason}`);
  }
  if (loaded.ok) for (const w of loaded.warnings) lines.push(`warning:  ${w}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
};

export default check;
