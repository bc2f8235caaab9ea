import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../helpers/tempHome.js';
import { fillLog } from './logFixture.js';
import { vaibot } from './cliRun.js';
import { SPEC_BUNDLE, SPEC_OLD_CHECKPOINT } from './fixtures.js';

describe('vaibot log / export / verify', () => {
  it('verify BUNDLE: exit 0 with one summary line, or exit 1 with one error line', async () => {
    const home = tempHome();
    const file = join(home, 'spec.json');
    writeFileSync(file, SPEC_BUNDLE);
    const ok = await vaibot(['verify', file], {});
    expect(ok).toEqual({ code: 0, stdout: 'ok tree_size=3 leaf_index=1 root=KjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=\n', stderr: '' });
    writeFileSync(file, SPEC_BUNDLE.replace('"tree_size": 3', '"tree_size": 4'));
    const bad = await vaibot(['verify', file], {});
    expect(bad).toEqual({ code: 1, stdout: '', stderr: "error: tree_size 4 differs from the checkpoint's tree size 3\n" });
    const missing = await vaibot(['verify', join(home, 'nope.json')], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot read .*nope.json/);
    expect((await vaibot(['verify'], {})).code).toBe(2);
    expect((await vaibot(['verify', file, '--bogus'], {})).code).toBe(2);
  });

  it('verify --key accepts the key or a file holding it', async () => {
    const home = tempHome();
    const file = join(home, 'spec.json');
    writeFileSync(file, SPEC_BUNDLE);
    const keyFile = join(home, 'log.vkey');
    writeFileSync(keyFile, 'example.com/receipts-log+36525c4b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4\n');
    expect((await vaibot(['verify', file, '--key', keyFile], {})).code).toBe(0);
  });

  it('log public-key, log checkpoint, log status, export to stdout, and the whole-log check', async () => {
    const home = tempHome();
    const env = { VAIBOT_HOME: home, HOME: home };
    const [r0] = fillLog(home, 6);
    const pk = await vaibot(['log', 'public-key'], env);
    expect(pk.stdout).toMatch(/^vaibot-codex\/\S+\+[0-9a-f]{8}\+\S+\n$/);
    expect((await vaibot(['log', 'public-key'], env)).stdout).toBe(pk.stdout); // stable
    const cp = await vaibot(['log', 'checkpoint'], env);
    expect(cp.stdout).toMatch(/^signed checkpoint tree_size=6 root=\S{43}=\n$/);
    expect((await vaibot(['log', 'checkpoint'], env)).stdout).toMatch(/^unchanged checkpoint tree_size=6 /);
    const json = JSON.parse((await vaibot(['log', 'checkpoint', '--json'], env)).stdout);
    expect(json.checkpoint).toMatch(/^vaibot-codex\/\S+\n6\n\S+\n\n\u2014 vaibot-codex\/\S+ \S+\n$/);
    fillLog(home, 2, 6);
    expect((await vaibot(['log', 'status'], env)).stdout).toBe(`receipts 8, tree 6, newest checkpoint 6 at ${json.issued_at} (2 waiting)\n`);
    const ex = await vaibot(['export', (r0 as { id: string }).id], env);
    expect(ex.code).toBe(0);
    expect(ex.stderr).toMatch(/^exported receipt \S+ \(leaf 0 of 6\)\n$/);
    expect(JSON.parse(ex.stdout).leaf_index).toBe(0);
    expect((await vaibot(['verify', '--log'], env)).stdout).toBe('ok receipts=8 checkpoints=1 latest=6 unsigned_tail=2\n');
    expect((await vaibot(['export', 'nothing-like-this'], env)).stderr).toBe('error: no receipt has the id or content hash "nothing-like-this"\n');
  });

  it('log consistency writes two checkpoints and a proof that verify --consistency accepts, and rejects a forged one', async () => {
    const home = tempHome();
    const env = { VAIBOT_HOME: home, HOME: home };
    fillLog(home, 5);
    await vaibot(['log', 'checkpoint'], env);
    fillLog(home, 8, 5);
    await vaibot(['log', 'checkpoint'], env);
    const dir = join(home, 'c');
    const w = await vaibot(['log', 'consistency', '--from', '5', '--out', dir], env);
    expect(w.stdout).toMatch(/^consistency 5 -> 13: \d+ hashes written to /);
    const vkey = (await vaibot(['log', 'public-key'], env)).stdout.trim();
    const args = ['verify', '--consistency', join(dir, 'old.checkpoint'), join(dir, 'new.checkpoint'), join(dir, 'proof.json'), '--key', vkey];
    expect((await vaibot(args, env)).stdout).toMatch(/^ok consistent old_size=5 new_size=13 root=\S+\n$/);
    const proof = JSON.parse(readFileSync(join(dir, 'proof.json'), 'utf8')) as string[];
    writeFileSync(join(dir, 'proof.json'), JSON.stringify([...proof].reverse()));
    const forged = await vaibot(args, env);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/^error: consistency proof does not lead to the (old|new) root/);
    // the spec's own pair: size 2 -> 3
    writeFileSync(join(dir, 'old.checkpoint'), SPEC_OLD_CHECKPOINT);
    writeFileSync(join(dir, 'new.checkpoint'), JSON.parse(SPEC_BUNDLE).checkpoint);
    writeFileSync(join(dir, 'proof.json'), '["6cAK0tireazvDfiWxvY5FhtW8jwznz3tOWn6lPqhwns="]');
    expect((await vaibot([...args.slice(0, -1), 'example.com/receipts-log+36525c4b+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4'], env)).stdout)
      .toBe('ok consistent old_size=2 new_size=3 root=KjeMlWCRjb6qTlfpZWXWICgJsoUHdTXFfVShbkCDfy0=\n');
  });

  it('verify --log and log status on a fresh home create nothing', async () => {
    const home = join(tempHome(), 'fresh');
    const env = { VAIBOT_HOME: home, HOME: home };
    expect((await vaibot(['verify', '--log'], env)).stdout).toBe('ok receipts=0 checkpoints=0 (no receipts database yet)\n');
    expect((await vaibot(['log', 'status'], env)).stdout).toBe('No receipts yet.\n');
    expect(existsSync(home)).toBe(false);
  });
});
