import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, hexToString, http, type Hex } from 'viem';
import { tempHome } from '../helpers/tempHome.js';
import { fillLog } from './logFixture.js';
import { startAnvil, ANVIL_KEY_0, ANVIL_CHAIN_ID, type Anvil } from './anvil.js';
import { vaibot } from './cliRun.js';

let anvil: Anvil;
beforeAll(async () => { anvil = await startAnvil(); }, 30_000);
afterAll(async () => { await anvil?.stop(); });

function keyFile(dir: string, mode = 0o600): string {
  const f = join(dir, 'anchor.key');
  writeFileSync(f, `${ANVIL_KEY_0}\n`);
  chmodSync(f, mode);
  return f;
}

describe('anchoring checkpoints on a real local chain (anvil on 127.0.0.1)', () => {
  it('publishes the checkpoint body in a self-send, records it, and verify --chain checks bundle and log against the chain', async () => {
    const home = tempHome();
    const env = { VAIBOT_HOME: home, HOME: home };
    const receipts = fillLog(home, 9);
    const args = ['anchor', '--rpc', anvil.url, '--chain-id', String(ANVIL_CHAIN_ID), '--key-file', keyFile(home)];
    const first = await vaibot(args, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const m = /^anchored checkpoint tree_size=9 root=(\S+) chain_id=31337 block=(\d+) tx=(0x[0-9a-f]{64})\n$/.exec(first.stdout);
    expect(m).not.toBeNull();
    const [, root, block, tx] = m as unknown as [string, string, string, Hex];

    // The chain itself holds the checkpoint body as the data of a self-send.
    const pub = createPublicClient({ transport: http(anvil.url) });
    const t = await pub.getTransaction({ hash: tx });
    expect(t.from.toLowerCase()).toBe(t.to?.toLowerCase());
    const pk = (await vaibot(['log', 'public-key'], env)).stdout.trim();
    expect(hexToString(t.input)).toBe(`${pk.split('+')[0]}\n9\n${root}\n`);
    expect(Number(t.blockNumber)).toBe(Number(block));

    // Idempotent while the log has not grown.
    expect((await vaibot(args, env)).stdout).toMatch(/^already anchored checkpoint tree_size=9 /);

    const out = join(home, 'bundle.json');
    expect((await vaibot(['export', (receipts[4] as { id: string }).id, '--out', out], env)).code).toBe(0);
    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    expect({ ...bundle.anchor, sender: bundle.anchor.sender.toLowerCase() }).toEqual({ chain_id: 31337, tx_hash: tx, block_number: Number(block), sender: t.from.toLowerCase() });
    const ok = await vaibot(['verify', out, '--key', pk, '--chain', anvil.url], env);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(new RegExp(`^ok tree_size=9 leaf_index=4 root=${root.replace(/[+/]/g, '\\$&')} anchored chain_id=31337 block=${block} confirmations=1 at=\\S+\\n$`));
    const log = await vaibot(['verify', '--log', '--chain', anvil.url], env);
    expect(log.stdout).toBe('ok receipts=9 checkpoints=1 latest=9 unsigned_tail=0 anchors=1\n');

    // The anchor of one checkpoint does not vouch for another.
    fillLog(home, 3, 9);
    await vaibot(['log', 'checkpoint'], env);
    const out2 = join(home, 'bundle2.json');
    await vaibot(['export', (receipts[4] as { id: string }).id, '--out', out2], env);
    const b2 = JSON.parse(readFileSync(out2, 'utf8'));
    expect(b2.tree_size).toBe(12);
    expect(b2.anchor).toBeUndefined();
    expect((await vaibot(['verify', out2, '--chain', anvil.url], env)).stderr).toMatch(/^error: the bundle has no anchor member/);
    writeFileSync(out2, JSON.stringify({ ...b2, anchor: bundle.anchor }));
    const grafted = await vaibot(['verify', out2, '--chain', anvil.url], env);
    expect(grafted.code).toBe(1);
    expect(grafted.stderr).toMatch(/^error: transaction 0x[0-9a-f]+ carries different data than this checkpoint's body\n$/);
    // ... and still verifies offline without --chain
    expect((await vaibot(['verify', out2], env)).code).toBe(0);

    // A second anchor for the grown log lands in a later block.
    const second = await vaibot(args, env);
    expect(second.stdout).toMatch(/^anchored checkpoint tree_size=12 .* block=(\d+) /);
  }, 60_000);

  it.each<[string, (a: Record<string, unknown>) => void, RegExp]>([
    ['another block number', (a) => { a.block_number = (a.block_number as number) + 1; }, /is in block \d+, not \d+/],
    ['another sender', (a) => { a.sender = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'; }, /is not a self-send by 0x70997970/],
    ['an unknown transaction', (a) => { a.tx_hash = `0x${'ab'.repeat(32)}`; }, /has no mined transaction/],
    ['another chain id', (a) => { a.chain_id = 1; }, /serves chain 31337, not 1/],
  ])('rejects an anchor with %s', async (_what, mutate, reason) => {
    const home = tempHome();
    const env = { VAIBOT_HOME: home, HOME: home };
    const [r] = fillLog(home, 2);
    expect((await vaibot(['anchor', '--rpc', anvil.url, '--chain-id', '31337', '--key-file', keyFile(home)], env)).code).toBe(0);
    const out = join(home, 'b.json');
    await vaibot(['export', (r as { id: string }).id, '--out', out], env);
    const b = JSON.parse(readFileSync(out, 'utf8'));
    mutate(b.anchor);
    writeFileSync(out, JSON.stringify(b));
    const res = await vaibot(['verify', out, '--chain', anvil.url], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(reason);
  }, 30_000);

  it('refuses a key file others can read, a wrong chain id, and an unreachable node, with bounded waits', async () => {
    const home = tempHome();
    const env = { VAIBOT_HOME: home, HOME: home };
    fillLog(home, 1);
    const loose = await vaibot(['anchor', '--rpc', anvil.url, '--chain-id', '31337', '--key-file', keyFile(home, 0o644)], env);
    expect(loose.stderr).toMatch(/readable by others \(mode 644\); chmod 600 it/);
    const wrongChain = await vaibot(['anchor', '--rpc', anvil.url, '--chain-id', '5', '--key-file', keyFile(home)], env);
    expect(wrongChain.stderr).toMatch(/serves chain 31337, not 5/);
    const t0 = Date.now();
    const down = await vaibot(['anchor', '--rpc', 'http://127.0.0.1:9', '--chain-id', '31337', '--key-file', keyFile(home), '--timeout-ms', '2000'], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the chain at http:\/\/127.0.0.1:9/);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const missing = await vaibot(['anchor'], env);
    expect(missing.stderr).toMatch(/needs --rpc, --chain-id and --key-file/);
  }, 30_000);
});
