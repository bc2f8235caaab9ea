import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCodexCtlError, readHooksFeature } from '../../src/codexctl/index.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hooksfeature-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});
const config = (text: string) => writeFile(join(home, 'config.toml'), text);

describe('reading hooks and plugin state from config.toml', () => {
  it('no config.toml: hooks at their default (on), plugin not configured', async () => {
    const state = await readHooksFeature(home, 'vaibot@m');
    expect(state).toMatchObject({ configExists: false, hooksFeature: undefined, hooksDisabled: false, plugin: { id: 'vaibot@m', configured: false, enabled: false } });
  });

  it.each([
    ['[features]\nhooks = false\n', true],
    ['features.hooks = false\n', true],
    ['features = { hooks = false }\n', true],
    ['[features]\ncodex_hooks = false\n', true],
    ['[features]\nhooks = true\n', false],
    ['[features]\nother = false\n', false],
  ])('%j -> hooks disabled: %s', async (text, disabled) => {
    await config(text);
    expect((await readHooksFeature(home)).hooksDisabled).toBe(disabled);
  });

  it('reads each plugin entry, a missing enabled flag counting as enabled (as Codex does)', async () => {
    await config('[plugins."vaibot@m"]\nenabled = false\n\n[plugins."other@m"]\n\n[plugins."third@m"]\nenabled = true\n');
    const state = await readHooksFeature(home, 'vaibot@m');
    expect(state.plugins).toEqual({ 'vaibot@m': { enabled: false }, 'other@m': { enabled: true }, 'third@m': { enabled: true } });
    expect(state.plugin).toEqual({ id: 'vaibot@m', configured: true, enabled: false });
  });

  it('reads hook trust entries with their dotted, quoted keys', async () => {
    await config('[hooks.state."vaibot@m:hooks/hooks.json:pre_tool_use:0:0"]\ntrusted_hash = "sha256:a"\ntrusted_content_hash = "sha256:b"\n');
    expect((await readHooksFeature(home)).hookState).toEqual({
      'vaibot@m:hooks/hooks.json:pre_tool_use:0:0': { trusted_hash: 'sha256:a', trusted_content_hash: 'sha256:b' },
    });
  });

  it('invalid TOML is config_invalid', async () => {
    await config('[features\nhooks = ');
    const error = await readHooksFeature(home).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'config_invalid')).toBe(true);
  });
});
