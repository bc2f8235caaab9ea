import { connect } from 'node:net';
import { isDaemonResponse, type DaemonRequest, type DaemonResponse } from './daemonProtocol.js';

/** Why the daemon could not answer: `absent` = nobody listens (run in-process); `failed` = it broke mid-call. */
export type DaemonOutcome =
  | { kind: 'answered'; response: DaemonResponse }
  | { kind: 'absent' }
  /** `timedOut`: the daemon took the call and did not answer in time (it may still be working on it). */
  | { kind: 'failed'; why: string; timedOut: boolean };

/**
 * Send one hook call to the daemon and wait (bounded) for its answer. A missing or refused socket
 * is `absent`; anything after the request was sent that is not a valid answer is `failed`.
 */
export function askDaemon(socketPath: string, request: DaemonRequest, timeoutMs: number): Promise<DaemonOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let sent = false;
    const chunks: Buffer[] = [];
    const done = (o: DaemonOutcome) => { if (!settled) { settled = true; clearTimeout(timer); sock.destroy(); resolve(o); } };
    const sock = connect(socketPath);
    const timer = setTimeout(() => done(sent ? { kind: 'failed', why: `no answer from the VAIBot daemon within ${timeoutMs} ms`, timedOut: true } : { kind: 'absent' }), timeoutMs);
    sock.on('connect', () => {
      sent = true;
      sock.end(`${JSON.stringify(request)}\n`);
    });
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (!sent && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ENOTSOCK' || err.code === 'EACCES')) done({ kind: 'absent' });
      else done({ kind: 'failed', why: `the VAIBot daemon connection failed (${err.code ?? err.message})`, timedOut: false });
    });
    sock.on('close', () => {
      if (settled) return;
      if (!sent) return done({ kind: 'absent' });
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        done(isDaemonResponse(parsed) ? { kind: 'answered', response: parsed } : { kind: 'failed', why: 'the VAIBot daemon sent an invalid answer', timedOut: false });
      } catch {
        done({ kind: 'failed', why: 'the VAIBot daemon closed the connection without an answer', timedOut: false });
      }
    });
  });
}
