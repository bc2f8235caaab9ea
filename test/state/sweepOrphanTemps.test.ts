import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempHome } from '../helpers/tempHome.js';
import { sweepHomeTemps } from '../../src/state/sweepOrphanTemps.js';

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

function temp(dir: string, name: string, pid: number, ageMs: number): string {
  const f = join(dir, `.${name}.${pid}.0a1b2c3d.tmp`);
  writeFileSync(f, 'partial');
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(f, t, t);
  return f;
}

describe('sweeping temp files left by interrupted atomic writes', () => {
  it('removes old temps of dead writers in the home and its directories, and nothing else', () => {
    const home = tempHome();
    const approvals = join(home, 'approvals');
    mkdirSync(approvals, { recursive: true });
    const dead = deadPid();
    const orphanA = temp(approvals, 'abc.json', dead, 3_600_000);
    const orphanB = temp(home, 'breaker.json', dead, 3_600_000);
    const young = temp(approvals, 'def.json', dead, 1_000); // may still be renamed by a slow writer
    const live = temp(approvals, 'ghi.json', process.ppid, 3_600_000); // its writer is alive
    const state = join(approvals, 'abc.json');
    writeFileSync(state, '{}');
    const lookalike = join(approvals, '.notes.tmp');
    writeFileSync(lookalike, 'x');
    expect(sweepHomeTemps(home)).toBe(2);
    expect([orphanA, orphanB].map(existsSync)).toEqual([false, false]);
    expect([young, live, state, lookalike].map(existsSync)).toEqual([true, true, true, true]);
  });

  it('is quiet about a home that does not exist yet', () => {
    expect(sweepHomeTemps(join(tempHome(), 'missing'))).toBe(0);
  });
});
