import { constants as osConstants } from 'node:os';
import { closePipe, pipeBindings, readPipeToEnd, type PipeHandle } from './pipeBindings.js';

/** How one request/response exchange over a unix socket ended. */
export type ExchangeResult =
  /** Nobody listens there (no socket file, refused, not a socket, no permission): nothing was sent. */
  | { kind: 'absent' }
  /** The request went out and something went wrong after; `timedOut`: no answer in time. */
  | { kind: 'failed'; why: string; timedOut: boolean }
  /** The whole answer, up to the peer's end of stream. */
  | { kind: 'received'; data: Buffer };

/** An exchange: connect, send `payload`, half-close, read until the peer ends; bounded by `timeoutMs`. */
export type Exchange = (socketPath: string, payload: string, timeoutMs: number) => Promise<ExchangeResult>;

/** The most a daemon answer may be (a hook's stdout is small; this only bounds a broken peer). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** Connect errors that mean nobody is listening there: the call may be decided in-process. */
export const ABSENT_CODES: readonly string[] = ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES'];

/** Whether a libuv connect status (a negated errno) is one of {@link ABSENT_CODES}. */
function isAbsentStatus(status: number): boolean {
  const errno = osConstants.errno as Record<string, number>;
  return ABSENT_CODES.some((code) => status === -(errno[code] ?? Number.NaN));
}

/**
 * One exchange straight on libuv's pipe handle (no node:net, no streams). Undefined when this Node
 * does not offer the handle in the expected shape: the caller then uses node:net. Never throws.
 */
export function rawPipeExchange(socketPath: string, payload: string, timeoutMs: number): Promise<ExchangeResult> | undefined {
  const b = pipeBindings();
  if (b === null) return undefined;
  return new Promise((resolve) => {
    let settled = false;
    let sent = false;
    let handle: PipeHandle | undefined;
    // the requests are kept referenced here until the exchange ends
    const live: object[] = [];
    const finish = (r: ExchangeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      closePipe(handle);
      live.length = 0;
      resolve(r);
    };
    const failed = (why: string) => finish(sent ? { kind: 'failed', why, timedOut: false } : { kind: 'absent' });
    const connectFailed = (status: number) =>
      finish(isAbsentStatus(status) ? { kind: 'absent' } : { kind: 'failed', why: `the VAIBot daemon connection failed (status ${status})`, timedOut: false });
    const timer = setTimeout(() => finish(sent ? { kind: 'failed', why: `no answer from the VAIBot daemon within ${timeoutMs} ms`, timedOut: true } : { kind: 'absent' }), timeoutMs);
    try {
      const pipe = new b.Pipe(b.socketType);
      handle = pipe;
      const connectReq = new b.PipeConnectWrap();
      live.push(connectReq);
      connectReq.oncomplete = (status: number) => {
        if (settled) return;
        if (status !== 0) return connectFailed(status);
        sent = true;
        const reading = readPipeToEnd(b, pipe, MAX_ANSWER_BYTES, (r) => {
          if (r.kind === 'end') finish({ kind: 'received', data: r.data });
          else if (r.kind === 'too_large') failed('the VAIBot daemon sent too much');
          else failed(`the VAIBot daemon connection failed (status ${r.status})`);
        });
        if (reading !== 0) return failed('cannot read from the VAIBot daemon');
        const write = new b.WriteWrap();
        write.handle = pipe;
        write.async = false;
        write.oncomplete = (s: number) => { if (s !== 0) failed(`the VAIBot daemon connection failed (write status ${s})`); };
        live.push(write);
        const w = pipe.writeUtf8String(write, payload);
        if (w !== 0) return failed(`the VAIBot daemon connection failed (write status ${w})`);
        const shut = new b.ShutdownWrap();
        shut.handle = pipe;
        shut.oncomplete = () => { /* the answer's end of stream ends the exchange */ };
        live.push(shut);
        if (pipe.shutdown(shut) !== 0) failed('cannot finish the request to the VAIBot daemon');
      };
      const err = pipe.connect(connectReq, socketPath);
      if (err !== 0) connectFailed(err);
    } catch (err) {
      // the handle misbehaved: nothing sent means the caller may still decide in-process
      failed(`the VAIBot daemon connection failed (${(err as Error).message})`);
    }
  });
}
