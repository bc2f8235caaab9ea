import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/risk/rules.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'policy.md'), 'utf8');

/** The rule rows of docs/policy.md, by id: the category heading they sit under and their level. */
function documented(): Map<string, { category: string; level: string }> {
  const out = new Map<string, { category: string; level: string }>();
  let category = '';
  for (const line of doc.split('\n')) {
    const h = /^#### (\S+)/.exec(line);
    if (h) category = h[1]!;
    const row = /^\| `([a-z0-9.-]+)` \| (\w+) \|/.exec(line);
    if (row && category) out.set(row[1]!, { category, level: row[2]! });
  }
  return out;
}

describe('docs/policy.md lists every rule the classifier can report', () => {
  it('with its category and level, and no rule that does not exist', () => {
    const rows = documented();
    const missing = Object.entries(RULES).filter(([id, r]) => rows.get(id)?.category !== r.category || rows.get(id)?.level !== r.level).map(([id]) => id);
    expect(missing).toEqual([]);
    expect([...rows.keys()].filter((id) => !(id in RULES))).toEqual([]);
  });
});
