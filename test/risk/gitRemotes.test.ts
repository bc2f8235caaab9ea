/**
 * Re-pointing a git remote, judged against the URL the repository's own configuration holds now:
 * the same repository by another protocol is no change of server; anything else is held.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import check from '../../src/cli/commands/check.js';
import type { CliIO } from '../../src/cli/command.js';

let home: string;
let repo: string;
const decide = async (command: string): Promise<{ decision: string; ruleIds: string[] }> => {
  let out = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: () => undefined, env: { HOME: home } };
  await check(['--tool', 'Bash', '--command', command, '--cwd', repo, '--json'], io);
  return JSON.parse(out) as { decision: string; ruleIds: string[] };
};

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'vaibot-remotes-'));
  repo = join(home, 'proj');
  mkdirSync(join(repo, '.git'), { recursive: true });
  writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(repo, '.git', 'config'), '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/acme/proj.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[remote "fork"]\n\turl = git@github.com:me/proj.git\n');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('git remotes re-pointed', () => {
  it('allows the same repository by another protocol or spelling', async () => {
    for (const c of ['git remote set-url origin git@github.com:acme/proj.git', 'git remote set-url origin https://github.com/Acme/proj', 'git config remote.origin.url ssh://git@github.com/acme/proj.git', 'git remote set-url fork https://github.com/me/proj.git'])
      expect((await decide(c)).decision, c).toBe('allow');
  });

  it('holds another repository or another server, and a remote the configuration does not name', async () => {
    for (const c of ['git remote set-url origin git@github.com:attacker/proj.git', 'git remote set-url origin https://evil.example/acme/proj.git', 'git remote set-url --push origin https://evil.example/p.git', 'git remote set-url upstream https://github.com/acme/proj.git']) {
      const r = await decide(c);
      expect(r.decision, c).toBe('approval_required');
      expect(r.ruleIds, c).toContain('persist.package-index');
    }
  });
});
