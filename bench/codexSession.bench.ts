// A real `codex exec` (the pinned CLI) running 20 scripted shell commands against a local scripted
// model: with the plugin installed (enforce mode, hooks trusted) ÷ without it, interleaved.
// Run through bench/run.mjs (bundled with esbuild). Writes bench/codex-session-results.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addMarketplace, addPlugin, readMarketplace, runCodex, trustPluginHooks } from '../src/codexctl/index.js';
import { FAKE_MODEL_API_KEY_ENV, exec, startFakeModel, writeFakeModelConfig } from '../src/fakeModel/index.js';

const root = resolve(process.argv[2] ?? '.');
const rounds = process.argv.includes('--quick') ? 1 : 5;
const commands = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? `ls -la` : i % 4 === 1 ? `git --version` : i % 4 === 2 ? `echo step-${i}` : `cat README.md`));

async function setup(withPlugin: boolean) {
  const base = mkdtempSync(join(tmpdir(), `vaibot-bench-codex-${withPlugin ? 'on' : 'off'}-`));
  const home = join(base, 'home');
  const codexHome = join(home, '.codex');
  const workspace = join(base, 'ws');
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# bench\n');
  const model = await startFakeModel([{ calls: commands.map((c, i) => exec(c, `c${i}`)) }, { message: 'done' }]);
  await writeFakeModelConfig(codexHome, model.port);
  const env = { ...process.env, HOME: home, CODEX_HOME: codexHome, VAIBOT_HOME: join(home, '.vaibot'), VAIBOT_MODE: 'enforce', [FAKE_MODEL_API_KEY_ENV]: 'bench' };
  const opts = { codexHome, home, env, timeoutMs: 60_000 };
  if (withPlugin) {
    const market = await readMarketplace(root);
    const id = `${market.plugins[0]?.name ?? 'vaibot'}@${market.name}`;
    await addMarketplace(root, opts);
    await addPlugin(id, opts);
    await trustPluginHooks(id, { ...opts, cwds: [workspace] });
  }
  return {
    async run(): Promise<number> {
      const t0 = performance.now();
      const r = await runCodex(['exec', '--skip-git-repo-check', '--json', 'go'], { ...opts, cwd: workspace, timeoutMs: 180_000 });
      const ms = performance.now() - t0;
      if (r.exitCode !== 0) throw new Error(`codex exec failed: ${r.stderr.slice(-500)}`);
      const outs = model.toolOutputs();
      for (let i = 0; i < commands.length; i++) {
        const o = outs.get(`c${i}`)?.output ?? '';
        if (/blocked by PreToolUse hook/.test(o)) throw new Error(`benchmark command ${commands[i]} was blocked: ${o}`);
      }
      return ms;
    },
    async close() { await model.close(); rmSync(base, { recursive: true, force: true }); },
  };
}

const off = await setup(false);
const on = await setup(true);
const samples = { without: [] as number[], with: [] as number[] };
await off.run(); await on.run(); // warm (the daemon starts on the first governed call)
for (let i = 0; i < rounds; i++) {
  samples.without.push(await off.run());
  samples.with.push(await on.run());
}
await off.close(); await on.close();
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
const result = { commands: commands.length, rounds, median_ms_without: med(samples.without), median_ms_with: med(samples.with), ratio: med(samples.with) / med(samples.without), samples };
writeFileSync(join(root, 'bench', 'codex-session-results.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`codex exec, ${commands.length} commands: without ${result.median_ms_without.toFixed(0)} ms, with plugin ${result.median_ms_with.toFixed(0)} ms (${result.ratio.toFixed(2)}x)`);
