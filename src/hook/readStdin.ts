import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { VaibotError } from '../util/vaibotError.js';
import { closePipe, pipeBindings, readPipeToEnd, type PipeHandle } from './pipeBindings.js';

/** The most stdin a hook accepts (a patch or command larger than this is refused, not truncated). */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

const tooLarge = (max: number) => new VaibotError('input_too_large', `hook input is larger than ${max} bytes`);

/** Read all of a stream up to `max` bytes; more is an `input_too_large` error. */
function readStreamBytes(stream: NodeJS.ReadableStream, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    stream.on('data', (chunk: Buffer | string) => {
      if (done) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > max) {
        done = true;
        reject(tooLarge(max));
        stream.removeAllListeners('data');
        (stream as NodeJS.ReadStream).destroy?.();
        return;
      }
      chunks.push(buf);
    });
    stream.on('end', () => {
      if (!done) { done = true; resolve(Buffer.concat(chunks)); }
    });
    stream.on('error', (err) => {
      if (!done) { done = true; reject(new VaibotError('input_invalid', `cannot read hook input: ${err.message}`, { cause: err })); }
    });
  });
}

/** Read all of `stream` up to `max` bytes; more is an `input_too_large` error. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin, max = MAX_STDIN_BYTES): Promise<string> {
  return (await readStreamBytes(stream, max)).toString('utf8');
}

/**
 * What of the process's stdin can be read at once without waiting: `complete` when the writer has
 * closed it. Linux only (it reopens fd 0 through /proc with O_NONBLOCK, a description of its own, so
 * fd 0's own flags are untouched); undefined where that is not done (other systems, anything but a
 * pipe) or the first read fails. `stdin` is fd 0's stat.
 */
function readReadyStdin(stdin: Stats | undefined, max: number): { chunks: Buffer[]; size: number; complete: boolean } | undefined {
  // pipes only: a file would be reread from its start (not fd 0's offset), and a slow file system
  // would block here where the stream reads on the thread pool; a terminal must not be reopened
  if (process.platform !== 'linux' || !stdin?.isFIFO()) return undefined;
  let fd: number;
  try {
    fd = openSync('/proc/self/fd/0', constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(64 * 1024);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return { chunks, size, complete: false };
        if (size === 0) return undefined; // nothing taken yet: the asynchronous reader tries
        throw new VaibotError('input_invalid', `cannot read hook input: ${(err as Error).message}`, { cause: err });
      }
      if (n === 0) return { chunks, size, complete: true };
      size += n;
      if (size > max) throw tooLarge(max);
      chunks.push(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Read all of fd 0 (a pipe or a socket; `stdin` is its stat) through libuv's pipe handle:
 * asynchronous like the stream (so a deadline still fires) without loading node:net. Undefined
 * where that handle is not offered (see pipeBindings) or fd 0 is not a pipe or socket.
 */
function readThroughPipeHandle(stdin: Stats | undefined, max: number): Promise<Buffer> | undefined {
  const b = pipeBindings();
  if (b === null || !(stdin?.isFIFO() || stdin?.isSocket())) return undefined;
  let handle: PipeHandle;
  try {
    handle = new b.Pipe(b.socketType);
    if (handle.open(0) !== 0) {
      closePipe(handle);
      return undefined;
    }
  } catch {
    return undefined;
  }
  return new Promise((resolve, reject) => {
    const reading = readPipeToEnd(b, handle, max, (r) => {
      closePipe(handle);
      if (r.kind === 'end') resolve(r.data);
      else reject(r.kind === 'too_large' ? tooLarge(max) : new VaibotError('input_invalid', `cannot read hook input (status ${r.status})`));
    });
    if (reading !== 0) {
      closePipe(handle);
      reject(new VaibotError('input_invalid', 'cannot read hook input'));
    }
  });
}

/**
 * The hook's stdin, as fast as it can be had: what is already written (Codex writes the whole call
 * and closes the pipe before the hook has started) is read at once without setting up a stream,
 * which costs start-up time. Whatever is still to come (a writer not finished, or stdin a socket,
 * as Node's own child processes get) is read asynchronously, on libuv's pipe handle where Node 20
 * offers it and through the stream otherwise, so a deadline timer still fires if stdin is never
 * closed. Over `max` bytes is `input_too_large`.
 */
export async function readHookStdin(max = MAX_STDIN_BYTES): Promise<string> {
  let stdin: Stats | undefined;
  try { stdin = fstatSync(0); } catch { stdin = undefined; }
  const ready = readReadyStdin(stdin, max);
  if (ready?.complete) return Buffer.concat(ready.chunks, ready.size).toString('utf8');
  const have = ready?.size ?? 0;
  const rest = await (readThroughPipeHandle(stdin, max - have) ?? readStreamBytes(process.stdin, max - have));
  return Buffer.concat([...(ready?.chunks ?? []), rest]).toString('utf8');
}
