import { describe, expect, it } from 'vitest';
import { breakerGate } from '../../src/governance/breakerGate.js';
import { stepPersistedBreaker, type PersistedBreaker } from '../../src/state/breakerStore.js';
import type { BreakerSettings } from '../../machines/breaker.machine.js';

const settings: BreakerSettings = { failureThreshold: 3, windowMs: 10_000, cooldownMs: 60_000, maxCooldownMs: 600_000, trialTimeoutMs: 15_000 };
const gateSettings = { allowlist: ['Read', 'Grep', 'Glob'], denylist: ['Read'], failureThreshold: 3, windowMs: 10_000 };

function tripped(at: number): PersistedBreaker {
  let b: PersistedBreaker | null = null;
  for (let i = 0; i < 3; i++) b = stepPersistedBreaker(settings, b, { type: 'call.failed', at: at + i, transient: true });
  return b!;
}

describe('breaker gate', () => {
  it('lets calls through to the server while closed', () => {
    const b = stepPersistedBreaker(settings, null, { type: 'call.requested', at: 1, id: 'a' });
    expect(breakerGate(b, 'a', 'Bash', 'enforce', gateSettings, 1)).toEqual({ kind: 'call' });
  });

  it('while open: the denylist wins over the allowlist, allowlisted tools pass, others are denied with next steps', () => {
    const b = stepPersistedBreaker(settings, tripped(1_000), { type: 'call.requested', at: 5_000, id: 'x' });
    expect(b.value).toBe('open');
    expect(breakerGate(b, 'x', 'Read', 'enforce', gateSettings, 5_000).kind).toBe('deny');
    expect(breakerGate(b, 'x', 'Grep', 'enforce', gateSettings, 5_000).kind).toBe('pass');
    const bash = breakerGate(b, 'x', 'Bash', 'enforce', gateSettings, 5_000);
    expect(bash.kind).toBe('deny');
    if (bash.kind === 'deny') expect(bash.reason).toMatch(/VAIBOT_BREAKER_ALLOWLIST.*VAIBOT_BREAKER_FAILURE_THRESHOLD/s);
  });

  it('never blocks in observe mode, only leaves a breadcrumb', () => {
    const b = tripped(1_000);
    expect(breakerGate(b, 'x', 'Bash', 'observe', gateSettings, 2_000).kind).toBe('pass');
  });

  it('gives the half-open trial to exactly one caller', () => {
    const open = tripped(1_000);
    const first = stepPersistedBreaker(settings, open, { type: 'call.requested', at: 70_000, id: 'first' });
    const second = stepPersistedBreaker(settings, first, { type: 'call.requested', at: 70_001, id: 'second' });
    expect(first.value).toBe('half_open');
    expect(breakerGate(first, 'first', 'Bash', 'enforce', gateSettings, 70_000)).toEqual({ kind: 'call' });
    expect(breakerGate(second, 'second', 'Bash', 'enforce', gateSettings, 70_001).kind).toBe('deny');
  });

  it('counts a timeout as a failure when it fires, so the seed defaults (10 s timeout = 10 s window) still trip', () => {
    // three calls started 10 s apart each time out 10 s later: failures land at t+10s, t+10.1s, t+10.2s
    let b: PersistedBreaker | null = null;
    for (const at of [10_000, 10_100, 10_200]) b = stepPersistedBreaker(settings, b, { type: 'call.failed', at, transient: true });
    expect(b?.value).toBe('open');
  });

  it('recovers from a future-dated snapshot within one cooldown', () => {
    const future = tripped(4_000_000_000_000);
    const now = 1_700_000_000_000;
    const seen = stepPersistedBreaker(settings, future, { type: 'call.requested', at: now, id: 'a' });
    const later = stepPersistedBreaker(settings, seen, { type: 'call.requested', at: now + settings.cooldownMs, id: 'b' });
    expect(later.value).toBe('half_open');
  });

  it('backs off the cooldown after a failed trial, up to the ceiling', () => {
    let b = tripped(0);
    let at = 0;
    const cooldowns: number[] = [];
    for (let i = 0; i < 6; i++) {
      at = (b.context.openedAt ?? 0) + b.context.cooldownMs;
      b = stepPersistedBreaker(settings, b, { type: 'call.requested', at, id: `t${i}` });
      b = stepPersistedBreaker(settings, b, { type: 'call.failed', at, transient: true });
      cooldowns.push(b.context.cooldownMs);
    }
    expect(cooldowns).toEqual([120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
    b = stepPersistedBreaker(settings, b, { type: 'call.requested', at: at + 600_000, id: 'ok' });
    b = stepPersistedBreaker(settings, b, { type: 'call.succeeded', at: at + 600_000 });
    expect(b.value).toBe('closed');
    expect(b.context.cooldownMs).toBe(60_000);
  });

  it('does not trip on 4xx answers, and a 4xx closes a half-open trial', () => {
    let b: PersistedBreaker | null = null;
    for (let i = 0; i < 10; i++) b = stepPersistedBreaker(settings, b, { type: 'call.failed', at: i, transient: false });
    expect(b?.value).toBe('closed');
    let h = stepPersistedBreaker(settings, tripped(0), { type: 'call.requested', at: 60_010, id: 't' });
    h = stepPersistedBreaker(settings, h, { type: 'call.failed', at: 60_011, transient: false });
    expect(h.value).toBe('closed');
  });
});
