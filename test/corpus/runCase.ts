import type { Intent } from '../../src/intent/intent.js';
import type { RiskAssessment } from '../../src/risk/assessment.js';
import { classify } from '../../src/risk/classify.js';
import { DEFAULT_POLICY } from '../../src/policy/defaultPolicy.js';
import { evaluate } from '../../src/policy/evaluate.js';
import type { PolicyDecision } from '../../src/policy/policyDecision.js';
import { CORPUS_CWD, CORPUS_HOME, type CorpusCase } from './corpusCase.js';

/** The intent a corpus case describes. */
export function intentOf(c: CorpusCase): Intent {
  const cwd = c.cwd ?? (c.home !== undefined ? `${c.home}/project` : CORPUS_CWD);
  if (c.command !== undefined) return { tool: 'Bash', cwd, body: { kind: 'shell', command: c.command } };
  if (c.patch) return { tool: 'apply_patch', cwd, body: { kind: 'patch', patch: '*** Begin Patch\n*** End Patch\n', targets: c.patch } };
  if (c.mcp) return { tool: `mcp__${c.mcp.server}__${c.mcp.name}`, cwd, body: { kind: 'mcp', server: c.mcp.server, name: c.mcp.name, arguments: c.mcp.arguments } };
  return { tool: c.unknownTool ?? 'unknown', cwd, body: { kind: 'unknown', input: {} } };
}

/** Classify and evaluate a corpus case under the default policy, with a pure path resolver. */
export function runCase(c: CorpusCase): { assessment: RiskAssessment; decision: PolicyDecision } {
  const intent = intentOf(c);
  const home = c.home ?? CORPUS_HOME;
  const assessment = classify(intent, {
    home,
    vaibotHome: `${home}/.vaibot`,
    codexHome: `${home}/.codex`,
    resolvePath: (p) => p,
    ...(c.sessionWrites ? { sessionWrites: new Map(Object.entries(c.sessionWrites)) } : {}),
  });
  return { assessment, decision: evaluate(intent, assessment, DEFAULT_POLICY) };
}
