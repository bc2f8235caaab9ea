import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_DOC } from '../../src/config/settings.js';

describe('documentation of settings', () => {
  it('the README names every VAIBOT_* variable the code documents', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const missing = SETTINGS_DOC.map((d) => d.name).filter((n) => !readme.includes(n));
    expect(missing).toEqual([]);
  });
});
