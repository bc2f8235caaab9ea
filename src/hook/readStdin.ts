import { readSync } from 'node:fs';
import { VaibotError } from '../util/vaibotError.js';

/** The most stdin a hook accepts (a patch or command larger than this is refused, not truncated). */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

/** Read all of stdin up to `max` bytes; more is an `input_too_large` error. */
export function readStdin(stream: NodeJS.ReadableStream = process.stdin, max = MAX_STDIN_BYTES): Promise<string> {
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
        reject(new VaibotError('input_too_large', `hook input is larger than ${max} bytes`));
        stream.removeAllListeners('data');
        (stream as NodeJS.ReadStream).destroy?.();
        return;
      }
      chunks.push(buf);
    });
    stream.on('end', () => {
      if (!done) { done = true; resolve(Buffer.concat(chunks).toString('utf8')); }
    });
    stream.on('error', (err) => {
      if (!done) { done = true; reject(new VaibotError('input_invalid', `cannot read hook input: ${err.message}`, { cause: err })); }
    });
  });
}

/**
 * Read all of stdin synchronously from fd 0, up to `max` bytes (more is `input_too_large`). Cheaper
 * at start-up than a stream (no stream machinery is set up). Returns null when fd 0 cannot be read
 * this way (a non-blocking pipe: EAGAIN), so the caller falls back to {@link readStdin}.
 */
export function readStdinSync(max = MAX_STDIN_BYTES): string | null {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, max + 1 - size));
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' && size === 0) return null;
      if (code === 'EOF') break;
      throw new VaibotError('input_invalid', `cannot read hook input: ${(err as Error).message}`, { cause: err });
    }
    if (n === 0) break;
    size += n;
    if (size > max) throw new VaibotError('input_too_large', `hook input is larger than ${max} bytes`);
    chunks.push(buf.subarray(0, n));
  }
  return Buffer.concat(chunks).toString('utf8');
}
