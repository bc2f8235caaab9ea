/** libuv's end-of-stream status (the same on every platform). */
export const UV_EOF = -4095;

/** libuv pipe handle methods used here (Node-internal). */
export interface PipeHandle {
  open(fd: number): number;
  connect(req: object, path: string): number;
  readStart(): number;
  writeUtf8String(req: object, s: string): number;
  shutdown(req: object): number;
  close(cb?: () => void): void;
  onread: (ab: ArrayBuffer | undefined) => void;
}
/** The Node-internal classes and state a raw pipe needs. */
export interface Bindings {
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
const ignoreRead = (): void => { /* reading is over */ };

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
export function pipeBindings(): Bindings | null {
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
    if (!['open', 'connect', 'readStart', 'writeUtf8String', 'shutdown', 'close'].every((m) => typeof proto[m] === 'function')) return null;
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


/** How reading a pipe to its end came out. */
export type PipeReadEnd = { kind: 'end'; data: Buffer } | { kind: 'too_large' } | { kind: 'error'; status: number };

/**
 * Read `handle` until its end of stream, at most `max` bytes, and call `done` once with the outcome.
 * Returns readStart's status: non-zero means reading did not start (and `done` is never called).
 */
export function readPipeToEnd(b: Bindings, handle: PipeHandle, max: number, done: (r: PipeReadEnd) => void): number {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  const end = (r: PipeReadEnd) => { over = true; done(r); };
  handle.onread = (ab) => {
    if (over) return;
    const n = b.state[b.kRead] as number;
    if (n > 0 && ab !== undefined) {
      size += n;
      if (size > max) return end({ kind: 'too_large' });
      // copied: the bytes are read out of Node's buffer at once
      chunks.push(Buffer.from(Buffer.from(ab, b.state[b.kOffset] as number, n)));
    } else if (n === UV_EOF) {
      end({ kind: 'end', data: Buffer.concat(chunks, size) });
    } else if (n < 0) {
      end({ kind: 'error', status: n });
    }
  };
  return handle.readStart();
}

/**
 * Stop reading and close `handle`; never throws. onread stays a function: Node asserts that it is
 * one, and an assertion aborts the process (which Codex takes as no objection).
 */
export function closePipe(handle: PipeHandle | undefined): void {
  try {
    if (handle === undefined) return;
    handle.onread = ignoreRead;
    handle.close();
  } catch { /* already closed */ }
}
