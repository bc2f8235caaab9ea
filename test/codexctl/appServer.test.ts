import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppServerClient,
  addMarketplace,
  addPlugin,
  isCodexCtlError,
  listHooks,
  readHooksFeature,
  trustPluginHooks,
  withAppServer,
} from '../../src/codexctl/index.js';
import { createStandinRepo } from '../e2e/harness/standinPlugin.js';

let dir: string;
let codexHome: string;
let installedPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'appserver-'));
  codexHome = join(dir, 'codex');
  await mkdir(codexHome);
  await createStandinRepo(join(dir, 'repo'));
  await addMarketplace(join(dir, 'repo'), { codexHome });
  installedPath = (await addPlugin('vaibot@standin', { codexHome })).installedPath;
  // Fake servers for the failure paths.
  await writeFile(join(dir, 'silent.mjs'), 'process.stdin.resume(); setTimeout(() => {}, 60_000);\n');
  await writeFile(join(dir, 'dies.mjs'), 'process.stderr.write("boom\\n"); process.exit(3);\n');
  await writeFile(
    join(dir, 'asks.mjs'),
    [
      "import { createInterface } from 'node:readline';",
      "createInterface({ input: process.stdin }).on('line', (line) => {",
      '  const m = JSON.parse(line);',
      "  if (m.method === 'initialize') { process.stdout.write(JSON.stringify({ id: 99, method: 'item/approve', params: {} }) + '\\n'); process.stdout.write('not json\\n'); process.stdout.write(JSON.stringify({ id: m.id, result: { ok: true } }) + '\\n'); }",
      // the client answers id 99 before it sends its own request: remember the answer, reply to the request
      "  else if (m.id === 99) { globalThis.answered = m.error?.code; }",
      "  else if (m.method === 'anything') { process.stdout.write(JSON.stringify({ id: m.id, result: { answeredServerRequest: globalThis.answered } }) + '\\n'); }",
      '});',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fake = (script: string) => ({ codexHome, env: { ...process.env, VAIBOT_CODEX_BIN: join(dir, script) }, timeoutMs: 1_000 });

describe('the app-server client (real codex app-server)', () => {
  it('completes the initialize handshake', async () => {
    const client = await AppServerClient.start({ codexHome, cwd: dir });
    try {
      // An unknown method is a JSON-RPC error, with the server's code.
      const error = await client.request('nope/nothing', {}).catch((e: unknown) => e);
      expect(isCodexCtlError(error, 'rpc_error')).toBe(true);
      expect((error as { rpc: { code: number } }).rpc.code).toBe(-32600);
    } finally {
      await client.close();
    }
  });

  it('lists the plugin hook as untrusted, then trusts it as the /hooks screen does', async () => {
    const before = await listHooks({ codexHome, cwd: dir });
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      key: 'vaibot@standin:hooks/hooks.json:pre_tool_use:0:0',
      event: 'preToolUse',
      source: 'plugin',
      pluginId: 'vaibot@standin',
      trustStatus: 'untrusted',
      command: `node "${installedPath}/dist/hook.mjs" PreToolUse`,
      timeoutSec: 30,
    });
    expect(before[0]!.currentHash).toMatch(/^sha256:[0-9a-f]{64}\/sha256:[0-9a-f]{64}$/);

    const trust = await trustPluginHooks('vaibot@standin', { codexHome, cwd: dir });
    expect(trust.newlyTrusted).toEqual([before[0]!.key]);
    expect(trust.hooks.map((h) => h.trustStatus)).toEqual(['trusted']);
    // Codex splits the hash into the two fields it stores.
    const [definition, content] = before[0]!.currentHash.split('/');
    expect((await readHooksFeature(codexHome)).hookState[before[0]!.key]).toEqual({ trusted_hash: definition, trusted_content_hash: content });
  });

  it('a changed installed file turns the trusted hook modified', async () => {
    await appendFile(join(installedPath, 'dist', 'hook.mjs'), '\n// touched\n');
    const [hook] = await listHooks({ codexHome, cwd: dir });
    expect(hook!.trustStatus).toBe('modified');
    await trustPluginHooks('vaibot@standin', { codexHome, cwd: dir });
    expect((await listHooks({ codexHome, cwd: dir }))[0]!.trustStatus).toBe('trusted');
  });

  it('trusting a plugin Codex lists no hooks for is no_hooks', async () => {
    const error = await trustPluginHooks('absent@standin', { codexHome, cwd: dir }).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'no_hooks')).toBe(true);
  });
});

describe('the app-server client: bounded failures', () => {
  it('a server that never answers is rpc_timeout, and is killed', async () => {
    const started = Date.now();
    const error = await AppServerClient.start(fake('silent.mjs')).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'rpc_timeout')).toBe(true);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('a server that exits is rpc_closed, with its stderr', async () => {
    const error = await AppServerClient.start(fake('dies.mjs')).catch((e: unknown) => e);
    expect(isCodexCtlError(error, 'rpc_closed')).toBe(true);
    expect((error as { stderr: string }).stderr).toContain('boom');
  });

  it('answers server-initiated requests with "method not found" and skips non-JSON lines', async () => {
    const answer = await withAppServer({ ...fake('asks.mjs'), timeoutMs: 10_000 }, (client) => client.request('anything', {}));
    expect(answer).toEqual({ answeredServerRequest: -32601 });
  });
});
