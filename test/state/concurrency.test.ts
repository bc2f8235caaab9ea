import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempHome } from '../helpers/tempHome.js';
import { bundleFixture } from '../helpers/bundleFixture.js';
import { loadBreaker } from '../../src/state/breakerStore.js';

function runNode(script: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('worker timed out')); }, 60_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve(code ?? -1); });
  });
}

describe('breaker file under concurrent hook processes', () => {
  it('loses no update when 32 processes record failures at once', async () => {
    const home = tempHome();
    const worker = bundleFixture(join(__dirname, '../fixtures/breakerWorker.ts'));
    const perProcess = 10;
    const codes = await Promise.all(Array.from({ length: 32 }, () => runNode(worker, [home, String(perProcess)])));
    expect(codes.every((c) => c === 0)).toBe(true);
    const breaker = loadBreaker(home);
    expect(breaker?.value).toBe('closed');
    expect(breaker?.context.failures).toHaveLength(32 * perProcess);
  }, 120_000);
});
