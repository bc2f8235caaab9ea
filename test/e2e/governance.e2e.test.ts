import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodexHarness, exec, patch, repoRoot, type CodexHarness } from './harness/index.js';
import { intentOf } from '../../src/intent/intentOf.js';
import { contentHash } from '../../src/intent/contentHash.js';
import { approveIntent } from '../../src/governance/humanApprovals.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { databaseFile } from '../../src/state/paths.js';
import type { Receipt } from '../../src/receipts/receipt.js';

// The real plugin (built bundle), installed through the marketplace into a temporary CODEX_HOME,
// driven by real `codex exec` sessions against a scripted local model. Judged by what the model was told.
const built = existsSync(join(repoRoot, 'plugin', 'dist', 'hook.cjs'));
const BLOCKED = /^Command blocked by PreToolUse hook: /;

function receipts(vaibotHome: string): Receipt[] {
  const store = openSqliteStore(databaseFile(vaibotHome), { readonly: true });
  try { return store.list({ limit: 10_000 }).map((r) => r.receipt).reverse(); } finally { store.close(); }
}

describe.skipIf(!built)('governance through the real Codex CLI', () => {
  describe('enforce mode', () => {
    let h: CodexHarness;
    beforeAll(async () => { h = await createCodexHarness({ root: repoRoot, env: { VAIBOT_MODE: 'enforce' } }); });
    afterAll(async () => { await h?.close(); });

    it('runs a harmless command, blocks dangerous ones (side effect absent), and records a receipt for every call', async () => {
      const victim = join(h.dirs.home, 'victim');
      mkdirSync(victim, { recursive: true });
      writeFileSync(join(victim, 'keep.txt'), 'precious');
      const run = await h.exec([{ calls: [
        exec('echo harmless-ran', 'ok'),
        exec('find ~ -name victim -exec rm -rf {} +', 'find'),
        exec("r''m -r ~/.ssh", 'splice'),
        exec('echo cm0gLXJmIH4vLnNzaA== | base64 -d | sh', 'decode'),
      ] }]);
      expect(run.output('ok')).toContain('harmless-ran');
      for (const id of ['find', 'splice', 'decode']) expect(run.output(id)).toMatch(BLOCKED);
      expect(existsSync(join(victim, 'keep.txt'))).toBe(true);
      const rs = receipts(h.dirs.vaibotHome);
      // Codex may run the calls of one response concurrently: match receipts by command, not order
      const decisions = rs.filter((r) => r.kind === 'decision' && r.event === 'PreToolUse');
      const byCommand = new Map(decisions.map((r) => [(r.intent as { command: string }).command, r]));
      expect(decisions).toHaveLength(4);
      expect(byCommand.get('echo harmless-ran')?.decision).toBe('allow');
      for (const c of ['find ~ -name victim -exec rm -rf {} +', "r''m -r ~/.ssh", 'echo cm0gLXJmIH4vLnNzaA== | base64 -d | sh']) expect(byCommand.get(c)?.decision).toBe('deny');
      const outcome = rs.find((r) => r.kind === 'outcome');
      expect(outcome?.follows).toBe(byCommand.get('echo harmless-ran')?.id);
      // Codex 0.169 hands PostToolUse only the command's output for exec_command (no exit code)
      expect(outcome?.outcome?.output_sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it('blocks a high-risk command until a human approves it, then the retry runs', async () => {
      // writing in home outside the workspace needs approval
      const cmd = 'echo held-then-approved | tee ~/e2e-held.txt';
      const hash = contentHash(intentOf('Bash', { command: cmd }, h.dirs.workspace));
      const first = await h.exec([{ calls: [exec(cmd, 'net1')] }]);
      expect(first.output('net1')).toMatch(BLOCKED);
      expect(first.output('net1')).toContain(`vaibot approve ${hash}`);
      expect(existsSync(join(h.dirs.home, 'e2e-held.txt'))).toBe(false);
      approveIntent(h.dirs.vaibotHome, hash, { id: 'e2e-human', via: 'cli' });
      const retry = await h.exec([{ calls: [exec(cmd, 'net2')] }]);
      expect(retry.output('net2')).toContain('held-then-approved');
      expect(retry.output('net2')).not.toMatch(BLOCKED);
      expect(existsSync(join(h.dirs.home, 'e2e-held.txt'))).toBe(true);
      const bases = receipts(h.dirs.vaibotHome).filter((r) => r.content_hash === hash && r.kind === 'decision').map((r) => r.basis);
      expect(bases).toEqual(['awaiting_approval', 'previously_approved']);
    });

    it('blocks apply_patch to a protected path', async () => {
      const target = join(h.dirs.vaibotHome, 'policy.yaml');
      const run = await h.exec([{ calls: [patch(`*** Begin Patch\n*** Add File: ${target}\n+default: allow\n*** End Patch\n`, 'p1')] }]);
      expect(run.output('p1')).toMatch(/blocked by PreToolUse hook/);
      expect(existsSync(target)).toBe(false);
    });

    it('blocks the agent from approving its own action', async () => {
      const run = await h.exec([{ calls: [exec(`vaibot approve sha256:${'a'.repeat(64)}`, 'self')] }]);
      expect(run.output('self')).toMatch(BLOCKED);
    });
  });

  describe('observe mode', () => {
    let h: CodexHarness;
    beforeAll(async () => { h = await createCodexHarness({ root: repoRoot, env: { VAIBOT_MODE: 'observe' } }); });
    afterAll(async () => { await h?.close(); });

    it('runs the command and records the shadow verdict', async () => {
      const cmd = 'echo observed | tee ~/e2e-observed.txt';
      const run = await h.exec([{ calls: [exec(cmd, 'obs')] }]);
      expect(run.output('obs')).toContain('observed');
      expect(existsSync(join(h.dirs.home, 'e2e-observed.txt'))).toBe(true);
      const [decision] = receipts(h.dirs.vaibotHome).filter((r) => r.kind === 'decision');
      expect(decision).toMatchObject({ mode: 'observe', decision: 'allow', shadow_decision: 'approval_required' });
    });

    it('lets the command through, but the CLI itself refuses to approve from inside the Codex session', async () => {
      const cli = join(repoRoot, 'plugin', 'dist', 'cli.mjs');
      const run = await h.exec([{ calls: [exec(`"${process.execPath}" "${cli}" approve sha256:${'c'.repeat(64)}; echo "exit=$?"`, 'selfcli')] }]);
      expect(run.output('selfcli')).toMatch(/vaibot approve: refused: this runs inside a Codex session \(process \d+, codex/);
      expect(run.output('selfcli')).toContain('exit=1');
    });
  });
});
