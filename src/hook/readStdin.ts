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

