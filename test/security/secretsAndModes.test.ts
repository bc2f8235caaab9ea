import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tempHome } from '../helpers/tempHome.js';
import { bashInput } from '../helpers/hookHarness.js';
import { runHookProcess } from '../helpers/builtHook.js';
import { runCli } from '../../src/cli/runCli.js';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    out.push(p);
    if (st.isDirectory()) out.push(...walk(p));
  }
  return out;
}

// Tokens that must never be written anywhere VAIBot writes, nor printed on any stream.
const SECRETS = {
  apiKey: 'vb_agent_SECRETAPIKEY0123456789abcdefXYZ',
  bearer: 'ghp_' + 'S3cr3tT0kenValue'.repeat(3),
  password: 'hunter2-Sup3rS3cret!',
  aws: 'AKIA' + 'ABCDEFGHIJKLMNOP',
};

describe('secrets never reach logs, receipts or state; every file is private', () => {
  it('after a full flow in embedded and remote mode, no secret appears in any file or output, and modes are 0600/0700', async () => {
    const home = tempHome();
    // a governance server that always fails, so remote mode spools and trips its breaker
    const server = createServer((_req, res) => { res.writeHead(503); res.end('down'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const base = { ...process.env, HOME: home, VAIBOT_HOME: join(home, '.vaibot'), VAIBOT_MODE: 'enforce', VAIBOT_DAEMON_IDLE_MS: '1000' };
    const commands = [
      `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://api.example.com/x`,
      `mysql -u root --password=${SECRETS.password} -e 'select 1'`,
      `AWS_ACCESS_KEY_ID=${SECRETS.aws} aws s3 ls`,
      `echo ${SECRETS.bearer} | base64`,
    ];
    const streams: string[] = [];
    let n = 0;
    for (const env of [base, { ...base, VAIBOT_DAEMON: '0' }, { ...base, VAIBOT_API_URL: `http://127.0.0.1:${port}`, VAIBOT_API_KEY: SECRETS.apiKey, VAIBOT_TIMEOUT_MS: '500', VAIBOT_DEBUG: '1' }]) {
      await runHookProcess('SessionStart', JSON.stringify({ session_id: 's', cwd: home, hook_event_name: 'SessionStart', source: 'startup' }), env).then((r) => streams.push(r.stdout, r.stderr));
      for (const c of commands) {
        const id = `t${n++}`;
        const pre = await runHookProcess('PreToolUse', JSON.stringify(bashInput(c, { tool_use_id: id, cwd: home })), env);
        const post = await runHookProcess('PostToolUse', JSON.stringify({ ...bashInput(c, { tool_use_id: id, cwd: home }), hook_event_name: 'PostToolUse', tool_response: `token=${SECRETS.bearer}\n` }), env);
        streams.push(pre.stdout, pre.stderr, post.stdout, post.stderr);
      }
    }
    server.close();
    const io = { stdout: (t: string) => { streams.push(t); }, stderr: (t: string) => { streams.push(t); }, env: base };
    await runCli(['recent', '--json', '--limit', '100'], io);
    await runCli(['status', '--json'], io);

    const vaibotHome = join(home, '.vaibot');
    const files = walk(vaibotHome);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const st = statSync(f, { throwIfNoEntry: false });
      if (!st) continue; // a socket or WAL file that vanished meanwhile
      if (st.isDirectory()) expect({ f, mode: (st.mode & 0o777).toString(8) }).toEqual({ f, mode: '700' });
      else if (st.isFile() || st.isSocket()) expect({ f, mode: (st.mode & 0o777).toString(8) }).toEqual({ f, mode: '600' });
      if (st.isFile()) {
        const bytes = readFileSync(f).toString('latin1');
        for (const [name, value] of Object.entries(SECRETS)) expect({ f, name, found: bytes.includes(value) }).toEqual({ f, name, found: false });
      }
    }
    // the calls themselves were recorded (so the search above looked at real receipts)
    const db = files.filter((f) => /vaibot\.db(-wal)?$/.test(f)).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(db).toContain('api.example.com');
    const printed = streams.join('\n');
    for (const [name, value] of Object.entries(SECRETS)) expect({ name, found: printed.includes(value) }).toEqual({ name, found: false });
  }, 180_000);
});
