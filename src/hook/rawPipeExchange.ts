import { constants as osConstants } from 'node:os';

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
/** libuv's end-of-stream status (the same on every platform). */
const UV_EOF = -4095;

interface PipeHandle {
  connect(req: object, path: string): number;
  readStart(): number;
  writeUtf8String(req: object, s: string): number;
  shutdown(req: object): number;
  close(cb?: () => void): void;
  onread: (ab: ArrayBuffer | undefined) => void;
}
interface Bindings {
  Pipe: new (type: number) => PipeHandle;
  PipeConnectWrap: new () => { oncomplete?: (status: number) => void };
  socketType: number;
  WriteWrap: new () => { handle?: PipeHandle; oncomplete?: (status: number) => void; async?: boolean };
  ShutdownWrap: new () => { handle?: PipeHandle; oncomplete?: (status: number) => void };
  state: Int32Array;
  kRead: number;
  kOffset: number;
}

let bindings: Bindings | null | undefined;
const ignoreRead = (): void => { /* the exchange is over */ };

/**
 * The Node release lines whose pipe handle this was written and tested against. The handle is
 * internal: misused, Node aborts the process, and a hook that dies lets Codex run the call. So any
 * other line takes node:net until it has been tested here.
 */
const TESTED_NODE_MAJORS: readonly string[] = ['20'];

/**
 * libuv's pipe handle, as node:net uses it underneath, or null where this Node does not expose it
 * in the shape relied on. Loading node:net and building a stream Socket costs a hook process about
 * 10 ms of start-up (measured); the handle alone costs well under 1 ms.
 */
function pipeBindings(): Bindings | null {
  if (bindings !== undefined) return bindings;
  bindings = null;
  if (!TESTED_NODE_MAJORS.includes(process.versions.node.split('.')[0] ?? '')) return null;
  try {
    const binding = (process as unknown as { binding?: (name: string) => Record<string, unknown> }).binding;
    if (typeof binding !== 'function') return null;
    const pipe = binding.call(process, 'pipe_wrap');
    const stream = binding.call(process, 'stream_wrap');
    const pc = pipe.constants as Record<string, unknown> | undefined;
    const ok = typeof pipe.Pipe === 'function' && typeof pipe.PipeConnectWrap === 'function' && typeof pc?.SOCKET === 'number'
      && typeof stream.WriteWrap === 'function' && typeof stream.ShutdownWrap === 'function' && stream.streamBaseState instanceof Int32Array
      && typeof stream.kReadBytesOrError === 'number' && typeof stream.kArrayBufferOffset === 'number';
    if (!ok) return null;
    const proto = (pipe.Pipe as { prototype: Record<string, unknown> }).prototype;
    if (!['connect', 'readStart', 'writeUtf8String', 'shutdown', 'close'].every((m) => typeof proto[m] === 'function')) return null;
    bindings = {
      Pipe: pipe.Pipe as Bindings['Pipe'], PipeConnectWrap: pipe.PipeConnectWrap as Bindings['PipeConnectWrap'], socketType: pc?.SOCKET as number,
      WriteWrap: stream.WriteWrap as Bindings['WriteWrap'], ShutdownWrap: stream.ShutdownWrap as Bindings['ShutdownWrap'],
      state: stream.streamBaseState as Int32Array, kRead: stream.kReadBytesOrError as number, kOffset: stream.kArrayBufferOffset as number,
    };
  } catch {
    bindings = null;
  }
  return bindings;
}

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
