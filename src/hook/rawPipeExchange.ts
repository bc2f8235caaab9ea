import { constants as osConstants } from 'node:os';
import { ignoreRead, pipeBindings, UV_EOF, type PipeHandle } from './pipeBindings.js';

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

/** Connect statuses that mean nobody is listening (negated errno, as libuv reports them). */
function isAbsentStatus(status: number): boolean {
  const e = osConstants.errno;
  return status === -e.ENOENT || status === -e.ECONNREFUSED || status === -e.ENOTSOCK || status === -e.EACCES;
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
    let size = 0;
    const chunks: Buffer[] = [];
    let handle: PipeHandle;
    // the requests are kept referenced here until the exchange ends
    const live: object[] = [];
    const finish = (r: ExchangeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // (onread must stay a function: Node asserts it, and an assertion aborts the process)
      try { handle.onread = ignoreRead; handle.close(); } catch { /* already closed */ }
      live.length = 0;
      resolve(r);
    };
    const failed = (why: string) => finish(sent ? { kind: 'failed', why, timedOut: false } : { kind: 'absent' });
    const timer = setTimeout(() => finish(sent ? { kind: 'failed', why: `no answer from the VAIBot daemon within ${timeoutMs} ms`, timedOut: true } : { kind: 'absent' }), timeoutMs);
    try {
      handle = new b.Pipe(b.socketType);
      const connectReq = new b.PipeConnectWrap();
      live.push(connectReq);
      connectReq.oncomplete = (status: number) => {
        if (settled) return;
        if (status !== 0) {
          finish(isAbsentStatus(status) ? { kind: 'absent' } : { kind: 'failed', why: `the VAIBot daemon connection failed (status ${status})`, timedOut: false });
          return;
        }
        sent = true;
        handle.onread = (ab) => {
          if (settled) return;
          const n = b.state[b.kRead] as number;
          if (n > 0 && ab !== undefined) {
            size += n;
            if (size > MAX_ANSWER_BYTES) return finish({ kind: 'failed', why: 'the VAIBot daemon sent too much', timedOut: false });
            chunks.push(Buffer.from(Buffer.from(ab, b.state[b.kOffset] as number, n)));
          } else if (n === UV_EOF) {
            finish({ kind: 'received', data: Buffer.concat(chunks) });
          } else if (n < 0) {
            finish({ kind: 'failed', why: `the VAIBot daemon connection failed (status ${n})`, timedOut: false });
          }
        };
        if (handle.readStart() !== 0) return failed('cannot read from the VAIBot daemon');
        const write = new b.WriteWrap();
        write.handle = handle;
        write.async = false;
        write.oncomplete = (s: number) => { if (s !== 0) failed(`the VAIBot daemon connection failed (write status ${s})`); };
        live.push(write);
        const w = handle.writeUtf8String(write, payload);
        if (w !== 0) return failed(`the VAIBot daemon connection failed (write status ${w})`);
        const shut = new b.ShutdownWrap();
        shut.handle = handle;
        shut.oncomplete = () => { /* the answer's end of stream ends the exchange */ };
        live.push(shut);
        if (handle.shutdown(shut) !== 0) failed('cannot finish the request to the VAIBot daemon');
      };
      const err = handle.connect(connectReq, socketPath);
      if (err !== 0) finish(isAbsentStatus(err) ? { kind: 'absent' } : { kind: 'failed', why: `the VAIBot daemon connection failed (status ${err})`, timedOut: false });
    } catch (err) {
      // the handle misbehaved: nothing sent means the caller may still decide in-process
      failed(`the VAIBot daemon connection failed (${(err as Error).message})`);
    }
  });
}
