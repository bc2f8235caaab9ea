import { describe, expect, it } from 'vitest';
import { CORPUS } from './corpus.js';
import { runCase } from './runCase.js';

const label = (c: { command?: string; patch?: unknown; mcp?: unknown; unknownTool?: string }) =>
  c.command !== undefined ? c.command : JSON.stringify(c.patch ?? c.mcp ?? c.unknownTool);

describe('corpus: every labelled case gets its expected decision under the default policy', () => {
  const total = Object.values(CORPUS).reduce((n, g) => n + g.length, 0);
  it('has at least 300 cases', () => {
    expect(total).toBeGreaterThanOrEqual(300);
  });
  it('classifying a case again (its parse tree now shared from the cache) gives the same assessment and decision', () => {
    for (const cases of Object.values(CORPUS)) {
      for (const c of cases) {
        const first = runCase(c);
        expect(runCase(c), label(c)).toEqual(first);
      }
    }
  });
  for (const [group, cases] of Object.entries(CORPUS)) {
    describe(group, () => {
      cases.forEach((c, i) => {
        it(`#${i} ${label(c).slice(0, 100).replace(/\n/g, '\\n')}`, () => {
          const { assessment, decision } = runCase(c);
          const detail = `${group}#${i} ${JSON.stringify(label(c))}\n  expected ${c.expect}, got ${decision.action} (risk ${assessment.level})\n  findings: ${assessment.findings.map((f) => `${f.ruleId} [${f.level}] ${f.reason}`).join('\n            ') || '(none)'}`;
          expect(decision.action, detail).toBe(c.expect);
          if (c.rule) expect(assessment.findings.map((f) => f.ruleId), detail).toContain(c.rule);
        });
      });
    });
  }
});
