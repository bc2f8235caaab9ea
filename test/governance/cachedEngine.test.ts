import { describe, expect, it } from 'vitest';
import { cachedEngine } from '../../src/governance/cachedEngine.js';
import type { DecisionEngine } from '../../src/governance/decisionEngine.js';
import type { Intent } from '../../src/intent/intent.js';

function counting(): { engine: DecisionEngine; calls: () => number } {
  let n = 0;
  const engine = ((intent: Intent) => {
    n++;
    const cmd = intent.body.kind === 'shell' ? intent.body.command : '';
    return { action: cmd.startsWith('rm') ? 'deny' : 'allow', reason: `call ${n}`, ruleIds: [], basis: 'policy', risk: { level: 'none', reason: '', findings: [] } };
  }) as DecisionEngine;
  engine.secretsInOutput = 'allow';
  return { engine, calls: () => n };
}

const shell = (command: string, cwd = '/w'): Intent => ({ tool: 'Bash', cwd, body: { kind: 'shell', command } });

describe('the verdict cache', () => {
  it('reuses a verdict for the same intent within its lifetime, and asks again after it', () => {
    let t = 0;
    const c = counting();
    const e = cachedEngine(c.engine, { max: 10, ttlMs: 1000, now: () => t });
    expect(e(shell('ls'), new Map()).reason).toBe('call 1');
    expect(e(shell('ls'), new Map()).reason).toBe('call 1');
    t = 999;
    expect(e(shell('ls'), new Map()).reason).toBe('call 1');
    t = 1000;
    expect(e(shell('ls'), new Map()).reason).toBe('call 2');
    expect(c.calls()).toBe(2);
    expect(e.secretsInOutput).toBe('allow');
  });

  it('keys on the whole intent (command, cwd, tool) and never caches calls with session writes', () => {
    const c = counting();
    const e = cachedEngine(c.engine, { max: 10, ttlMs: 60_000, now: () => 0 });
    e(shell('ls'), new Map());
    expect(e(shell('rm -rf x'), new Map()).action).toBe('deny');
    e(shell('ls', '/other'), new Map());
    e({ ...shell('ls'), tool: 'exec_command' }, new Map());
    expect(c.calls()).toBe(4);
    const writes = new Map([['/w/run.sh', 'rm -rf ~']]);
    e(shell('ls'), writes);
    e(shell('ls'), writes);
    expect(c.calls()).toBe(6);
  });

  it('holds at most max verdicts, dropping the least recently used', () => {
    const c = counting();
    const e = cachedEngine(c.engine, { max: 2, ttlMs: 60_000, now: () => 0 });
    e(shell('a'), new Map());
    e(shell('b'), new Map());
    e(shell('a'), new Map()); // a is now the most recent
    e(shell('c'), new Map()); // drops b
    expect(c.calls()).toBe(3);
    e(shell('a'), new Map());
    expect(c.calls()).toBe(3);
    e(shell('b'), new Map());
    expect(c.calls()).toBe(4);
  });
});
