import type { CliCommand } from '../command.js';
import { parseArgs } from '../args.js';
import { loadPolicy } from '../../policy/loadPolicy.js';
import type { Policy } from '../../policy/policy.js';
import { RISK_LEVELS } from '../../risk/riskLevel.js';
import { RULES } from '../../risk/rules.js';
import { userHome, vaibotHome } from '../../state/paths.js';

function render(policy: Policy, warnings: string[]): string {
  const out: string[] = [];
  out.push(policy.files.length ? `# effective policy from ${policy.files.join(' + ')}` : '# effective policy: built-in defaults (no policy file)');
  out.push('version: 1', 'escalation:');
  for (const l of RISK_LEVELS) out.push(`  ${l}: ${policy.escalation[l]}`);
  if (policy.rules.length === 0) out.push('rules: []');
  else {
    out.push('rules:');
    for (const r of policy.rules) {
      out.push(`  - id: ${r.id}    # ${r.source}${r.file ? ` (${r.file})` : ''}`);
      if (r.description) out.push(`    description: ${JSON.stringify(r.description)}`);
      out.push(`    action: ${r.action}`);
      if (r.upTo) out.push(`    upTo: ${r.upTo}`);
      out.push('    match:');
      for (const [k, v] of Object.entries(r.match)) if (v !== undefined) out.push(`      ${k}: ${JSON.stringify(v)}`);
    }
  }
  for (const w of warnings) out.push(`# warning: ${w}`);
  return out.join('\n') + '\n';
}

/**
 * `vaibot policy [--cwd DIR] [--json] [--rules]`: print the effective policy (user policy plus the
 * project policy for DIR, default the current directory). `--rules` lists the classifier's rule ids.
 * Exit code 1 when a policy file is invalid (its file, line and error are printed).
 */
const policy: CliCommand = async (argv, io) => {
  let args;
  try {
    args = parseArgs(argv, ['cwd'], ['json', 'rules']);
  } catch (e) {
    io.stderr(`${(e as Error).message}\nusage: vaibot policy [--cwd DIR] [--json] [--rules]\n`);
    return 2;
  }
  if (args.options.has('rules')) {
    if (args.options.has('json')) io.stdout(`${JSON.stringify(RULES, null, 2)}\n`);
    else for (const [id, r] of Object.entries(RULES)) io.stdout(`${id.padEnd(34)} ${r.level.padEnd(9)} ${r.category.padEnd(15)} ${r.summary}\n`);
    return 0;
  }
  const cwdOpt = args.options.get('cwd');
  const cwd = typeof cwdOpt === 'string' ? cwdOpt : process.cwd();
  const loaded = await loadPolicy({ vaibotHome: vaibotHome(io.env), cwd, home: userHome(io.env) });
  if (!loaded.ok) {
    const where = loaded.line !== null ? `${loaded.file}:${loaded.line}` : loaded.file;
    if (args.options.has('json')) io.stdout(`${JSON.stringify({ ok: false, file: loaded.file, line: loaded.line, message: loaded.message }, null, 2)}\n`);
    io.stderr(`invalid policy ${where}: ${loaded.message}\nIn enforce mode every tool call is denied until this is fixed.\n`);
    return 1;
  }
  if (args.options.has('json')) io.stdout(`${JSON.stringify({ ok: true, ...loaded.policy, warnings: loaded.warnings }, null, 2)}\n`);
  else io.stdout(render(loaded.policy, loaded.warnings));
  return 0;
};

export default policy;
