import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempHome } from '../helpers/tempHome.js';
import { loadBreaker, recordBreakerEvent } from '../../src/state/breakerStore.js';
import { breakerFile } from '../../src/state/paths.js';
import { DEFAULT_BREAKER_SETTINGS } from '../../machines/breaker.machine.js';
import { isVaibotError } from '../../src/util/vaibotError.js';
import { loadSettings } from '../../src/config/settings.js';

describe('persisted breaker snapshots', () => {
  it('are written as 0600 files in 0700 directories, with no temp files left behind', () => {
    const home = tempHome();
    recordBreakerEvent(home, DEFAULT_BREAKER_SETTINGS, { type: 'call.failed', at: 1_000, transient: true });
    const file = breakerFile(home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readdirSync(dirname(file))).toEqual(['codex.json']);
  });

  it('reports a corrupt file by name with the fix, and never resets a tripped breaker silently', () => {
    const home = tempHome();
    for (let i = 0; i < 3; i++) recordBreakerEvent(home, DEFAULT_BREAKER_SETTINGS, { type: 'call.failed', at: 1_000 + i, transient: true });
    expect(loadBreaker(home)?.value).toBe('open');
    writeFileSync(breakerFile(home), '{"version":1,"snapshot":{"value":"closed","context":{}}}');
    let caught: unknown;
    try { recordBreakerEvent(home, DEFAULT_BREAKER_SETTINGS, { type: 'call.succeeded', at: 2_000 }); } catch (err) { caught = err; }
    expect(isVaibotError(caught, 'state_corrupt')).toBe(true);
    expect((caught as Error).message).toContain(breakerFile(home));
    expect(() => loadBreaker(home)).toThrow(/invalid/);
  });

  it('rejects an unknown format version and bad JSON', () => {
    const home = tempHome();
    mkdirSync(dirname(breakerFile(home)), { recursive: true });
    writeFileSync(breakerFile(home), '{"version":99,"snapshot":{}}');
    expect(() => loadBreaker(home)).toThrow(/format version/);
    writeFileSync(breakerFile(home), 'not json');
    expect(() => loadBreaker(home)).toThrow(/not valid JSON/);
  });
});

describe('settings from the environment', () => {
  it('uses the seed defaults', () => {
    const s = loadSettings({ HOME: '/h' });
    expect(s.mode).toBe('observe');
    expect(s.home).toBe('/h/.vaibot');
    expect(s.breaker).toMatchObject({ failureThreshold: 3, windowMs: 10_000, cooldownMs: 60_000, allowlist: ['Read', 'Grep', 'Glob'], denylist: [] });
  });

  it.each([
    ['VAIBOT_BREAKER_FAILURE_THRESHOLD', 'abc'],
    ['VAIBOT_BREAKER_WINDOW_MS', '-5'],
    ['VAIBOT_BREAKER_COOLDOWN_MS', '1.5'],
    ['VAIBOT_TIMEOUT_MS', '0'],
    ['VAIBOT_FAIL_OPEN', 'maybe'],
    ['VAIBOT_MODE', 'strict'],
    ['VAIBOT_API_URL', 'ftp://x'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadSettings({ HOME: '/h', [name]: value })).toThrow(name);
  });

  it('honours VAIBOT_HOME', () => {
    expect(loadSettings({ HOME: '/h', VAIBOT_HOME: '/elsewhere' }).home).toBe('/elsewhere');
  });
});
