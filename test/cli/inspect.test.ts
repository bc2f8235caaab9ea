import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runCli } from '../../src/cli/runCli.js';
import { tempHome } from '../helpers/tempHome.js';
import { recordBreakerEvent } from '../../src/state/breakerStore.js';
import { DEFAULT_BREAKER_SETTINGS } from '../../machines/breaker.machine.js';

describe('vaibot inspect', () => {
  it('serves the Stately inspector bridge on loopback and streams the live breaker, then each transition', async () => {
    const home = tempHome();
    recordBreakerEvent(home, DEFAULT_BREAKER_SETTINGS, { type: 'call.failed', at: Date.now(), transient: true });
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => {}, env: { VAIBOT_HOME: home, HOME: home } };
    const running = runCli(['inspect', '--port', '0', '--seconds', '4', '--interval-ms', '100'], io);
    const deadline = Date.now() + 5_000;
    while (!/open (http:\/\/127\.0\.0\.1:\d+\/)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const page = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
    expect(page).toBeDefined();
    const html = await (await fetch(page!)).text();
    expect(html).toContain('stately.ai/inspect');
    const messages: Array<{ type: string; snapshot?: { value?: unknown }; event?: { type?: string } }> = [];
    const ws = new WebSocket(page!.replace('http', 'ws').replace(/\/$/, ''));
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    await new Promise((r) => setTimeout(r, 400));
    for (let i = 1; i <= 2; i++) recordBreakerEvent(home, DEFAULT_BREAKER_SETTINGS, { type: 'call.failed', at: Date.now() + i, transient: true });
    const until = Date.now() + 3_000;
    while (!messages.some((m) => m.type === '@xstate.snapshot' && m.snapshot?.value === 'open') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    ws.close();
    expect(await running).toBe(0);
    expect(messages.some((m) => m.type === '@xstate.actor')).toBe(true);
    expect(messages.some((m) => m.type === '@xstate.snapshot' && m.snapshot?.value === 'open')).toBe(true);
    expect(out).toContain('breaker:codex: call.failed -> open');
  }, 20_000);
});
