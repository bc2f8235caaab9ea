import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { agentAncestor, ancestors, isAgentProcess } from '../../src/cli/agentAncestor.js';
import { tempHome } from '../helpers/tempHome.js';

const CLI = join(__dirname, '..', '..', 'plugin', 'dist', 'cli.mjs');
const HASH = `sha256:${'ab'.repeat(32)}`;

describe('agentAncestor: is this process running under Codex?', () => {
  it('knows Codex by its launcher, its native binary and an interpreter running its script', () => {
    expect(isAgentProcess({ comm: 'codex', cmdline: 'codex exec go' })).toBe(true);
    expect(isAgentProcess({ comm: 'codex-x86_64-un', cmdline: '/opt/codex/codex-x86_64-unknown-linux-musl exec' })).toBe(true);
    expect(isAgentProcess({ comm: 'node', cmdline: 'node /usr/lib/node_modules/@openai/codex/bin/codex.js exec go' })).toBe(true);
    expect(isAgentProcess({ comm: 'MainThread', cmdline: '/usr/bin/codex' })).toBe(true);
  });

  it('does not take other programs for Codex', () => {
    expect(isAgentProcess({ comm: 'bash', cmdline: 'bash -lc ls' })).toBe(false);
    expect(isAgentProcess({ comm: 'node', cmdline: 'node /work/codexify.js' })).toBe(false);
    expect(isAgentProcess({ comm: 'vim', cmdline: 'vim codex.js' })).toBe(false);
    expect(isAgentProcess({ comm: 'codexstats', cmdline: 'codexstats' })).toBe(false);
  });

  it('walks the real process tree: the test runner has parents and none of them is Codex', () => {
    const chain = ancestors();
    expect(chain.length).toBeGreaterThan(0);
    expect(chain[0]?.pid).toBe(process.ppid);
    expect(agentAncestor()).toBeNull();
  });
});

describe('human-only verbs refuse to run inside a Codex session', () => {
  if (!existsSync(CLI)) throw new Error('plugin/dist/cli.mjs is missing: run `npm run build` first');
  const underCodex = (script: string, env: NodeJS.ProcessEnv) => {
    const dir = tempHome('vaibot-agent-');
    const codex = join(dir, 'codex');
    symlinkSync('/bin/sh', codex); // a process started through this link is named codex
    return spawnSync(codex, ['-c', script], { env, encoding: 'utf8', timeout: 30_000 });
  };

  it.each(['approve', 'deny', 'install', 'uninstall', 'breaker reset'])('vaibot %s from a command Codex runs is refused', (verb) => {
    const home = tempHome();
    const env = { ...process.env, HOME: home, VAIBOT_HOME: home, CODEX_HOME: join(home, '.codex') };
    const args = verb === 'approve' || verb === 'deny' ? `${verb} ${HASH}` : verb;
    const r = underCodex(`"${process.execPath}" "${CLI}" ${args}; echo "exit=$?"`, env);
    expect(r.stderr).toMatch(new RegExp(`vaibot ${verb.split(' ')[0]}: refused: this runs inside a Codex session \\(process \\d+, codex\\)`));
    expect(r.stdout).toContain('exit=1');
  });

  it('the same approval from a shell that is not Codex goes through to the approval store', () => {
    const home = tempHome();
    const env = { ...process.env, HOME: home, VAIBOT_HOME: home };
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" approve ${HASH}`], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).not.toMatch(/refused/);
    expect(r.stderr).toMatch(/no approval request|not approved|Not approved/i);
  });

  it('reading commands are not affected', () => {
    const home = tempHome();
    const env = { ...process.env, HOME: home, VAIBOT_HOME: home };
    const r = underCodex(`"${process.execPath}" "${CLI}" pending --json`, env);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/refused/);
  });
});
