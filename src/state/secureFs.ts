import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, chmodSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { VaibotError } from '../util/vaibotError.js';

/** Create a directory (and parents) with mode 0700; tighten an existing one we own. */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) chmodSync(dir, 0o700);
  } catch (err) {
    throw new VaibotError('state_unwritable', `cannot create ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Write a file atomically with mode 0600: a temp file in the same directory, fsync, rename.
 * A reader sees the old content or the new, never a torn write, even if the process is killed.
 */
export function writeFileAtomic(file: string, data: string): void {
  const dir = dirname(file);
  ensurePrivateDir(dir);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    const buf = Buffer.from(data, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) {
      try { closeSync(fd); } catch { /* already failing */ }
    }
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    throw new VaibotError('state_unwritable', `cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}
