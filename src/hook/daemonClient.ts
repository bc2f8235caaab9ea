import { isDaemonResponse, type DaemonRequest, type DaemonResponse } from './daemonProtocol.js';
import { ABSENT_CODES, rawPipeExchange, type Exchange, type ExchangeResult } from './rawPipeExchange.js';

/** Why the daemon could not answer: `absent` = nobody listens (run in-process); `failed` = it broke mid-call. */
export type DaemonOutcome =
  | { kind: 'answered'; response: DaemonResponse }
  | { kind: 'absent' }
  /** `timedOut`: the daemon took the call and did not answer in time (it may still be working on it). */
  | { kind: 'failed'; why: string; timedOut: boolean };

/** The same exchange through node:net: where the raw pipe handle is not available. */
export async function netExchange(socketPath: string, payload: string, timeoutMs: number): Promise<ExchangeResult> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    let settled = false;
    let sent = false;
    const chunks: Buffer[] = [];
    const done = (o: ExchangeResult) => { if (!settled) { settled = true; clearTimeout(timer); sock.destroy(); resolve(o); } };
    const sock = connect(socketPath);
    const timer = setTimeout(() => done(sent ? { kind: 'failed', why: `no answer from the VAIBot daemon within ${timeoutMs} ms`, timedOut: true } : { kind: 'absent' }), timeoutMs);
    sock.on('connect', () => {
      sent = true;
      sock.end(payload);
    });
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (!sent && ABSENT_CODES.includes(err.code ?? '')) done({ kind: 'absent' });
      else done({ kind: 'failed', why: `the VAIBot daemon connection failed (${err.code ?? err.message})`, timedOut: false });
    });
    sock.on('end', () => done({ kind: 'received', data: Buffer.concat(chunks) }));
    sock.on('close', () => done(sent ? { kind: 'failed', why: 'the VAIBot daemon closed the connection without an answer', timedOut: false } : { kind: 'absent' }));
  });
}

/**
 * Send one hook call to the daemon and wait (bounded) for its answer. A missing or refused socket
 * is `absent`; anything after the request was sent that is not a valid answer is `failed`.
 * `exchange` is for tests; by default libuv's pipe handle is used directly, node:net where not.
 */
export async function askDaemon(socketPath: string, request: DaemonRequest, timeoutMs: number, exchange?: Exchange): Promise<DaemonOutcome> {
  const payload = `${JSON.stringify(request)}\n`;
  const r = await (exchange ? exchange(socketPath, payload, timeoutMs) : rawPipeExchange(socketPath, payload, timeoutMs) ?? netExchange(socketPath, payload, timeoutMs));
  if (r.kind !== 'received') return r;
  try {
    const parsed: unknown = JSON.parse(r.data.toString('utf8'));
    return isDaemonResponse(parsed) ? { kind: 'answered', response: parsed } : { kind: 'failed', why: 'the VAIBot daemon sent an invalid answer', timedOut: false };
  } catch {
    return { kind: 'failed', why: 'the VAIBot daemon closed the connection without an answer', timedOut: false };
  }
}
