import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand, CliIO } from '../command.js';
import { parseArgs } from '../args.js';
import { addMarketplace, addPlugin, findMarketplaceRoot, readMarketplace, runCodex, trustPluginHooks } from '../../codexctl/index.js';
import { FAKE_MODEL_API_KEY_ENV, exec, startFakeModel, writeFakeModelConfig } from '../../fakeModel/index.js';
import { intentOf } from '../../intent/intentOf.js';
import { contentHash } from '../../intent/contentHash.js';
import { VaibotError } from '../../util/vaibotError.js';
import { runCli } from '../runCli.js';

function step(io: CliIO, text: string): void {
  io.stdout(`\n== ${text}\n`);
}

/**
 * `vaibot demo [--keep]`: a real Codex session (the installed CLI) against a scripted local model in a
 * temporary HOME / CODEX_HOME / VAIBOT_HOME, enforce mode, no API key, no network. A harmless command
 * runs, a dangerous one is denied, a high-risk one is blocked, approved with the CLI, and runs on
 * retry; then the receipts are printed.
 */
const demo: CliCommand = async (argv, io) => {
  const args = parseArgs(argv, [], ['keep']);
  const root = findMarketplaceRoot(dirname(fileURLToPath(import.meta.url)));
  if (!root) throw new VaibotError('not_found', 'vaibot demo runs from a checkout of this repository (no .agents/plugins/marketplace.json above the CLI)');
  const market = await readMarketplace(root);
  const plugin = market.plugins[0]?.name ?? 'vaibot';
  const pluginId = `${plugin}@${market.name}`;

  const base = mkdtempSync(join(tmpdir(), 'vaibot-demo-'));
  const home = join(base, 'home');
  const codexHome = join(home, '.codex');
  const vaibotHome = join(home, '.vaibot');
  const workspace = join(base, 'workspace');
  for (const d of [home, codexHome, workspace, join(home, '.ssh')]) mkdirSync(d, { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.ssh', 'id_demo'), 'not a real key\n', { mode: 0o600 });
  writeFileSync(join(workspace, 'README.md'), '# demo workspace\n');

  const model = await startFakeModel([]);
  const env: NodeJS.ProcessEnv = {
    ...io.env, HOME: home, CODEX_HOME: codexHome, VAIBOT_HOME: vaibotHome, VAIBOT_MODE: 'enforce', [FAKE_MODEL_API_KEY_ENV]: 'demo',
  };
  delete env.VAIBOT_API_URL;
  const opts = { codexHome, home, env, timeoutMs: 60_000 };
  try {
    step(io, `Installing the plugin from ${root} into a temporary CODEX_HOME (${codexHome})`);
    await writeFakeModelConfig(codexHome, model.port);
    await addMarketplace(root, opts);
    const added = await addPlugin(pluginId, opts);
    io.stdout(`installed ${pluginId}${'installedPath' in added ? ` at ${String((added as { installedPath?: unknown }).installedPath)}` : ''}\n`);
    const trust = await trustPluginHooks(pluginId, { ...opts, cwds: [workspace] });
    io.stdout(`trusted ${trust.hooks.length} hooks through codex app-server (as /hooks does)\n`);

    const harmless = 'ls -la';
    const dangerous = 'rm -r ~/.ssh';
    // writing in home outside the workspace: held for a human (the home here is the demo's own)
    const risky = 'echo "written outside the workspace" | tee ~/agent-notes.txt';
    const riskyHash = contentHash(intentOf('Bash', { command: risky }, workspace));

    const runExec = async (label: string, calls: string[]) => {
      model.setScript([{ calls: calls.map((c, i) => exec(c, `${label}_${i}`)) }, { message: 'done' }]);
      const r = await runCodex(['exec', '--skip-git-repo-check', '--json', 'go'], { ...opts, cwd: workspace, timeoutMs: 120_000 });
      const outputs = model.toolOutputs();
      calls.forEach((c, i) => {
        const out = outputs.get(`${label}_${i}`)?.output ?? '(no output reported)';
        io.stdout(`\n$ ${c}\n${out.split('\n').slice(0, 12).map((l) => `  | ${l}`).join('\n')}\n`);
      });
      if (r.exitCode !== 0) io.stderr(`codex exec exited ${r.exitCode}: ${r.stderr.slice(-2000)}\n`);
      return outputs;
    };

    step(io, 'Session 1: a harmless command, a dangerous one, and a high-risk one (enforce mode)');
    await runExec('first', [harmless, dangerous, risky]);
    io.stdout(`\n~/.ssh still exists: ${existsSync(join(home, '.ssh', 'id_demo'))}\n`);

    step(io, 'Pending approvals (what the human sees)');
    await runCli(['pending'], { ...io, env });

    step(io, `A human approves the blocked action: vaibot approve ${riskyHash}`);
    await runCli(['approve', riskyHash], { ...io, env });

    step(io, 'Session 2: the agent retries the same action');
    await runExec('retry', [risky]);
    io.stdout(`\n~/agent-notes.txt exists now: ${existsSync(join(home, 'agent-notes.txt'))}\n`);

    step(io, 'Receipts (newest first)');
    await runCli(['recent', '--limit', '12'], { ...io, env });
    io.stdout(`\nEverything lived in ${base}${args.options.has('keep') ? ' (kept: --keep)' : ' (removed now; --keep to keep it)'}.\n`);
    return 0;
  } finally {
    await model.close();
    if (!args.options.has('keep')) rmSync(base, { recursive: true, force: true });
  }
};
export default demo;
