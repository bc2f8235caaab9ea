import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import { addFilePatch, exec, mcp, startFakeModel, toolOutputsOf, writeFakeModelConfig } from '../../src/fakeModel/index.js';
import type { FakeModelServer } from '../../src/fakeModel/index.js';

let server: FakeModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Posts a Responses request and returns the parsed SSE events. */
async function post(s: FakeModelServer, body: unknown): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const res = await fetch(`${s.baseUrl}/responses`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const text = await res.text();
  return text
    .trim()
    .split('\n\n')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine!.replace('event: ', ''), data: JSON.parse(dataLine!.replace('data: ', '')) as Record<string, unknown> };
    });
}

describe('the fake Responses model', () => {
  it('streams created, one output_item.done per item, and completed with usage', async () => {
    server = await startFakeModel([{ calls: [exec('ls', 'c1'), addFilePatch('a.txt', 'hi', 'c2'), mcp('srv', 'tool', { x: 1 }, 'c3')] }]);
    const events = await post(server, { prompt_cache_key: 's1', input: [] });
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.output_item.done',
      'response.output_item.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.every((e) => e.data.type === e.event)).toBe(true);
    expect(events[1]!.data.item).toEqual({ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls"}', call_id: 'c1' });
    expect(events[2]!.data.item).toEqual({
      type: 'custom_tool_call',
      name: 'apply_patch',
      input: '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n',
      call_id: 'c2',
    });
    expect(events[3]!.data.item).toEqual({ type: 'function_call', namespace: 'mcp__srv', name: 'tool', arguments: '{"x":1}', call_id: 'c3' });
    expect((events[4]!.data.response as { usage: unknown }).usage).toMatchObject({ input_tokens: 1, output_tokens: 1, total_tokens: 2 });
  });

  it('ends the turn with a done message after the script, and restarts the script per session', async () => {
    server = await startFakeModel([{ calls: [exec('ls')] }]);
    const first = await post(server, { prompt_cache_key: 'a', input: [] });
    expect((first[1]!.data.item as { call_id: string }).call_id).toBe('call_1_1');
    const second = await post(server, { prompt_cache_key: 'a', input: [] });
    expect(second[1]!.data.item).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] });
    const otherSession = await post(server, { prompt_cache_key: 'b', input: [] });
    expect(otherSession[1]!.data.item).toMatchObject({ type: 'function_call' });
    expect(server.requests.map((r) => [r.session, r.turnIndex])).toEqual([['a', 0], ['a', 1], ['b', 0]]);
  });

  it('emits a scripted message after the calls of the same response', async () => {
    server = await startFakeModel([{ calls: [exec('ls', 'x')], message: 'running ls' }]);
    const events = await post(server, { input: [] });
    expect(events.slice(1, 3).map((e) => (e.data.item as { type: string }).type)).toEqual(['function_call', 'message']);
  });

  it('records the tool outputs Codex sends back, by call id', async () => {
    server = await startFakeModel([]);
    await post(server, {
      prompt_cache_key: 'z',
      input: [
        { type: 'function_call', call_id: 'c1', name: 'exec_command', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'Command blocked by PreToolUse hook: no. Command: ls' },
        { type: 'custom_tool_call_output', call_id: 'c2', output: 'Success.' },
        { type: 'function_call_output', call_id: 'c3', output: [{ type: 'input_text', text: 'part one' }, { type: 'input_text', text: 'part two' }] },
      ],
    });
    const outputs = server.toolOutputs();
    expect([...outputs.keys()]).toEqual(['c1', 'c2', 'c3']);
    expect(outputs.get('c1')).toEqual({ callId: 'c1', type: 'function_call_output', output: 'Command blocked by PreToolUse hook: no. Command: ls' });
    expect(outputs.get('c2')?.type).toBe('custom_tool_call_output');
    expect(outputs.get('c3')?.output).toBe('part one\npart two');
    expect(toolOutputsOf({ input: 'not a list' }).size).toBe(0);
    expect(toolOutputsOf(null).size).toBe(0);
  });

  it('answers other paths with 404 and non-JSON with 400, recording both', async () => {
    server = await startFakeModel([]);
    expect((await fetch(`${server.baseUrl}/models`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/responses`, { method: 'POST', body: '{nope' })).status).toBe(400);
    expect(server.requests.map((r) => r.turnIndex)).toEqual([-1, -1]);
  });

  it('listens on 127.0.0.1 only', async () => {
    server = await startFakeModel([]);
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });
});

describe('writeFakeModelConfig', () => {
  it('writes the settings codex-hooks.md names, as valid TOML', async () => {
    const home = await mkdtemp(join(tmpdir(), 'fakecfg-'));
    try {
      const path = await writeFakeModelConfig(home, 4321);
      const doc = parseToml(await readFile(path, 'utf8')) as Record<string, unknown>;
      expect(doc).toMatchObject({
        model: 'gpt-5.5',
        model_provider: 'fake',
        approval_policy: 'never',
        sandbox_mode: 'danger-full-access',
        model_providers: {
          fake: {
            name: 'fake',
            base_url: 'http://127.0.0.1:4321/v1',
            wire_api: 'responses',
            env_key: 'FAKE_OPENAI_API_KEY',
            request_max_retries: 0,
            stream_max_retries: 0,
          },
        },
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('keeps what Codex wrote and replaces its own blocks on a rewrite', async () => {
    const home = await mkdtemp(join(tmpdir(), 'fakecfg-'));
    try {
      await writeFile(join(home, 'config.toml'), '[plugins."vaibot@m"]\nenabled = true\n');
      await writeFakeModelConfig(home, 1111);
      await writeFakeModelConfig(home, 2222);
      const text = await readFile(join(home, 'config.toml'), 'utf8');
      const doc = parseToml(text) as { model: string; plugins: Record<string, unknown>; model_providers: { fake: { base_url: string } } };
      expect(doc.model).toBe('gpt-5.5'); // top-level, not swallowed by the plugins table
      expect(doc.plugins).toEqual({ 'vaibot@m': { enabled: true } });
      expect(doc.model_providers.fake.base_url).toBe('http://127.0.0.1:2222/v1');
      expect(text.match(/model_providers\.fake/g)).toHaveLength(1);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('rejects an invalid port', async () => {
    await expect(writeFakeModelConfig('/nonexistent', 0)).rejects.toThrow(RangeError);
  });
});
