/**
 * Syntax, checked against bash itself (`bash -n`): whatever bash rejects is never silently allowed,
 * and whatever bash accepts the classifier parses without an error at the top level.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../corpus/corpus.js';
import { runCase } from '../corpus/runCase.js';
import { riskRank } from '../../src/risk/riskLevel.js';
import type { RiskAssessment } from '../../src/risk/assessment.js';

const hasBash = spawnSync('bash', ['-c', 'true']).status === 0;
const cases = Object.values(CORPUS).flat().filter((c) => c.command !== undefined && c.command.trim() !== '');

describe.skipIf(!hasBash)('syntax, checked with bash -n', () => {
  const results: { command: string; bashOk: boolean; assessment: RiskAssessment }[] = [];
  beforeAll(() => {
    for (const c of cases) {
      const r = spawnSync('bash', ['-n', '-c', c.command!], { encoding: 'utf8' });
      results.push({ command: c.command!, bashOk: r.status === 0, assessment: runCase(c).assessment });
    }
  }, 120_000);

  it('every corpus command bash rejects is at least high risk', () => {
    const rejected = results.filter((r) => !r.bashOk);
    expect(rejected.length, 'the corpus contains broken syntax').toBeGreaterThan(2);
    for (const r of rejected)
      expect(riskRank(r.assessment.level), `${JSON.stringify(r.command)} is rejected by bash -n but classified ${r.assessment.level}`).toBeGreaterThanOrEqual(riskRank('high'));
  });

  it('no command bash accepts is reported unparseable at the top level', () => {
    const disagreements = results
      .filter((r) => r.bashOk && r.assessment.findings.some((f) => f.ruleId === 'parse.unparseable' && f.reason.startsWith('the command')))
      .map((r) => r.command);
    expect(disagreements).toEqual([]);
  });
});
