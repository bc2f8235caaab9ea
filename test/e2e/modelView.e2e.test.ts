import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodexHarness, exec, repoRoot, type CodexHarness } from './harness/index.js';

// What the model sees, through the real Codex CLI: the session briefing, interactive shells blocked,
// and secrets printed by an allowed command withheld from the model's input.
const built = existsSync(join(repoRoot, 'plugin', 'dist', 'hook.cjs'));
const KEY_BODY = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW';

describe.skipIf(!built)('what the model sees (real Codex CLI, enforce mode)', () => {
  let h: CodexHarness;
  beforeAll(async () => { h = await createCodexHarness({ root: repoRoot, env: { VAIBOT_MODE: 'enforce' } }); });
  afterAll(async () => { await h?.close(); });

  it('blocks starting an interactive shell or REPL, whose stdin Codex never hooks', async () => {
    const run = await h.exec([{ calls: [exec('bash', 'sh'), exec('python3', 'py')] }]);
    for (const id of ['sh', 'py']) {
      expect(run.output(id)).toMatch(/^Command blocked by PreToolUse hook: /);
      expect(run.output(id)).toMatch(/interactive/i);
    }
  });

  it('lets a command that prints a private key run, but never shows the key to the model', async () => {
    const key = ['-----BEGIN OPENSSH PRIVATE ', 'KEY-----\n', KEY_BODY, '\n-----END OPENSSH PRIVATE ', 'KEY-----\n'].join('');
    writeFileSync(join(h.dirs.workspace, 'notes.txt'), key);
    const run = await h.exec([{ calls: [exec('cat notes.txt', 'cat')] }]);
    const everythingTheModelGot = run.requests.map((r) => JSON.stringify(r.body)).join('\n');
    expect(everythingTheModelGot).not.toContain(KEY_BODY);
    expect(run.output('cat')).toContain('withheld');
  });

  it('briefs the model at session start', async () => {
    const run = await h.exec([{ message: 'ok' }]);
    const firstRequest = JSON.stringify(run.requests[0]?.body ?? null);
    expect(firstRequest).toContain('VAIBot governs every tool call in this session');
  });
});
