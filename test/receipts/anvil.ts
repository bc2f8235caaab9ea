import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Anvil's first pre-funded development account (public test key, never used anywhere else). */
export const ANVIL_KEY_0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const ANVIL_CHAIN_ID = 31337;

/** The anvil binary shipped by the npm package @foundry-rs/anvil-<platform> (installed, never downloaded at run time). */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`);
  return join(dirname(pkg), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

/** A running anvil on 127.0.0.1 (random port). */
export interface Anvil {
  url: string;
  stop(): Promise<void>;
}

/** Start anvil on a loopback port; resolves when it listens, rejects after `timeoutMs`. */
export function startAnvil(timeoutMs = 20_000): Promise<Anvil> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(ANVIL_CHAIN_ID)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const stop = (): Promise<void> => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) { done(); return; }
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(kill); done(); });
      child.kill('SIGTERM');
    });
    const timer = setTimeout(() => { void stop(); reject(new Error(`anvil did not start within ${timeoutMs} ms: ${out.slice(-500)}`)); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`anvil exited with ${code}: ${out.slice(-500)}`)); });
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ url: `http://${m[1]}`, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => { out += c.toString(); });
  });
}
