import { describe, expect, it } from 'vitest';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { tempHome } from '../helpers/tempHome.js';
import { bashInput } from '../helpers/hookHarness.js';
import { preToolUseEffect } from '../helpers/codexOutput.js';
import { runHookProcess, pool } from '../helpers/builtHook.js';
import { loadApproval, listApprovalHashes } from '../../src/state/approvalStore.js';
import { loadBreaker } from '../../src/state/breakerStore.js';
import { approvalsDir, databaseFile } from '../../src/state/paths.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';

const require = createRequire(import.meta.url);
const KILLS = Number(process.env.VAIBOT_RELIABILITY_KILLS ?? 500);

function integrity(file: string): string {
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try { return db.pragma('integrity_check', { simple: true }) as string; } finally { db.close(); }
}

describe('hook processes killed mid-write', () => {
  it(`leaves every state file and the database valid after ${KILLS} kill -9s`, async () => {
    const home = tempHome();
    // in-process hooks: the process that is killed is the one writing
    const env = { ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce', VAIBOT_DAEMON: '0' };
    const remoteEnv = { ...env, VAIBOT_API_URL: 'http://127.0.0.1:9', VAIBOT_API_KEY: 'vb_agent_test_key_for_crash_tests_only', VAIBOT_TIMEOUT_MS: '200' };
    const jobs = Array.from({ length: KILLS }, (_, i) => i);
    await pool(jobs, 4, async (i) => {
      const input = JSON.stringify(bashInput(`curl https://example.com/${i % 40}`, { tool_use_id: `c${i}` }));
      // every fifth run is left to finish, so the state the others interrupt really exists
      await runHookProcess('PreToolUse', input, i % 3 === 0 ? remoteEnv : env, i % 5 === 4 ? {} : { killAfterMs: 5 + ((i * 137) % 2500) });
    });
    // every file we own parses and validates
    for (const hash of listApprovalHashes(home)) expect(() => loadApproval(home, hash)).not.toThrow();
    expect(() => loadBreaker(home)).not.toThrow();
    expect(listApprovalHashes(home).length).toBeGreaterThan(0); // some runs got as far as writing
    // a kill between writing a temp file and renaming it leaves that temp file behind: it is never
    // read as state (only <hash>.json is), so every state file is still either old or new, never torn
    const names = readdirSync(approvalsDir(home));
    expect(names.filter((f) => !f.endsWith('.tmp') && !f.endsWith('.lock') && !/^\.?[0-9a-f]{64}\.json/.test(f))).toEqual([]);
    for (const f of names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n))) expect(() => JSON.parse(readFileSync(join(approvalsDir(home), f), 'utf8'))).not.toThrow();
    if (existsSync(databaseFile(home))) expect(integrity(databaseFile(home))).toBe('ok');
    // and the hook still works afterwards (stale locks are taken over)
    const after = await runHookProcess('PreToolUse', JSON.stringify(bashInput('ls')), env);
    expect(preToolUseEffect(after.stdout, after.code ?? -1)).toEqual({ kind: 'allow' });
  }, 600_000);
});

describe('32 concurrent hook processes', () => {
  it('lose no receipt and no approval', async () => {
    const home = tempHome();
    const env = { ...process.env, VAIBOT_HOME: home, HOME: home, VAIBOT_MODE: 'enforce' };
    const results = await Promise.all(Array.from({ length: 32 }, (_, i) =>
      runHookProcess('PreToolUse', JSON.stringify(bashInput(`curl https://example.com/item/${i}`, { tool_use_id: `p${i}` })), env, { timeoutMs: 120_000 })));
    for (const r of results) {
      expect(preToolUseEffect(r.stdout, r.code ?? -1).kind).toBe('deny');
      // the deny is the approval hold, never a failure to decide (which records nothing)
      expect(r.stdout, r.stderr).not.toContain('could not check');
    }
    const store = openSqliteStore(databaseFile(home), { readonly: true });
    try { expect(store.count()).toBe(32); } finally { store.close(); }
    const hashes = listApprovalHashes(home);
    expect(hashes).toHaveLength(32);
    for (const h of hashes) expect(loadApproval(home, h)?.value).toBe('blocked_until_approved');
  }, 180_000);
});
