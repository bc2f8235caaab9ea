import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tempHome } from '../helpers/tempHome.js';
import { callHook, bashInput } from '../helpers/hookHarness.js';
import { preToolUseEffect } from '../helpers/codexOutput.js';
import { runHookProcess, pool } from '../helpers/builtHook.js';

const enforce = (home: string) => ({ VAIBOT_HOME: home, VAIBOT_MODE: 'enforce', HOME: home });

/** Inputs that are not a valid PreToolUse payload, in many shapes. */
const invalidInput: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({
    session_id: fc.anything(), cwd: fc.anything(), hook_event_name: fc.anything(), tool_name: fc.anything(), tool_input: fc.anything(),
  }).map((o) => JSON.stringify(o)).filter((s) => {
    try {
      const o = JSON.parse(s);
      return !(typeof o.session_id === 'string' && typeof o.cwd === 'string' && o.cwd !== '' && o.hook_event_name === 'PreToolUse' && typeof o.tool_name === 'string' && o.tool_name !== '');
    } catch { return true; }
  }),
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('the hook under hostile stdin', () => {
  it('answers every invalid input with a valid deny in enforce mode (in-process, fast-check)', async () => {
    const home = tempHome();
    await fc.assert(
      fc.asyncProperty(invalidInput, async (stdin) => {
        const r = await callHook('PreToolUse', stdin, enforce(home));
        expect(preToolUseEffect(r.stdout, r.exitCode).kind).toBe('deny');
      }),
      { numRuns: 300 },
    );
  });

  it('answers every well-formed call with a valid allow or deny, whatever the command', async () => {
    const home = tempHome();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom('Bash', 'apply_patch', 'mcp__x__y', 'Weird'), async (command, tool) => {
        const r = await callHook('PreToolUse', { ...bashInput(command), tool_name: tool, tool_input: tool === 'mcp__x__y' ? { q: command } : { command } }, enforce(home));
        expect(preToolUseEffect(r.stdout, r.exitCode).kind).not.toBe('invalid');
      }),
      { numRuns: 300 },
    );
  });

  it('never crashes the real hook process and always prints a valid deny: random bytes, invalid UTF-8, empty, 10 MB, 20 MB', async () => {
    const home = tempHome();
    const samples: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0xc3, 0x28]),
      Buffer.from(`{"session_id":"s","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls \u0000 \ud800"}`),
      Buffer.from(JSON.stringify({ ...bashInput('x'), tool_input: { command: 'a'.repeat(10 * 1024 * 1024) } })).subarray(0, 10 * 1024 * 1024),
      Buffer.alloc(20 * 1024 * 1024, 0x61),
      ...fc.sample(fc.uint8Array({ minLength: 1, maxLength: 4096 }), 15).map((a) => Buffer.from(a)),
    ];
    await pool(samples, 4, async (stdin) => {
      const r = await runHookProcess('PreToolUse', stdin, { ...process.env, ...enforce(home) });
      expect(r.signal).toBeNull();
      expect(preToolUseEffect(r.stdout, r.code ?? -1).kind).toBe('deny');
      expect(r.stdout).not.toMatch(/at .*\.m?js:\d+/);
    });
  }, 240_000);
});
