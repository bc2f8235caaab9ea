import { closeSync, fstatSync, fsync, openSync, statSync } from 'node:fs';
import { VaibotError } from '../util/vaibotError.js';

/** Durable flushes of one SQLite write-ahead log, off the event loop: see {@link walSync}. */
export interface WalSync {
  /** Flush everything written to the log so far to the disk; resolves once it is there. */
  sync(): Promise<void>;
  /** Resolves when every flush asked for so far has finished (settled either way). */
  settled(): Promise<void>;
  /** Close the log's file descriptor (after the last {@link WalSync.sync} has settled); later flushes fail. */
  close(): void;
}

const noop = (): void => undefined;

/**
 * fsync of a SQLite database's `-wal` file on libuv's thread pool. With `synchronous = NORMAL` a
 * WAL-mode commit writes its frames to the log but does not flush them; flushing the log file
 * afterwards (fsync flushes the file, whichever descriptor it is called on) makes the commit as
 * durable as `synchronous = FULL` would, without stopping the event loop for the disk.
 *
 * Flushes coalesce: while one runs, every later call shares the single flush queued behind it, so
 * a burst of commits costs at most two fsyncs, and a caller is never answered by a flush that
 * started before it asked. The descriptor is opened on first use. If another file has since taken
 * the log's path, SQLite is still writing to the one it has open, so the flush fails
 * (`store_failed`) rather than flush a file nobody writes to.
 */
export function walSync(walFile: string): WalSync {
  let fd: number | null = null;
  let ino = 0;
  let closed = false;
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  function descriptor(): number {
    if (closed) throw new VaibotError('store_failed', `the write-ahead log ${walFile} is closed`);
    if (fd === null) {
      const opened = openSync(walFile, 'r');
      try {
        ino = fstatSync(opened).ino;
      } catch (err) {
        closeSync(opened);
        throw err;
      }
      fd = opened;
      return opened;
    }
    if (statSync(walFile).ino !== ino) {
      throw new VaibotError('store_failed', `${walFile} is no longer the file SQLite writes its log to`);
    }
    return fd;
  }

  function flushOnce(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let d: number;
      try {
        d = descriptor();
      } catch (err) {
        reject(err);
        return;
      }
      fsync(d, (err) => (err ? reject(err) : resolve()));
    });
  }

  function sync(): Promise<void> {
    if (queued) return queued;
    if (!running) {
      running = flushOnce().finally(() => { running = null; });
      return running;
    }
    // a flush is under way and may have started before this caller's write: queue one more
    queued = running.then(noop, noop).then(() => {
      queued = null;
      return sync();
    });
    return queued;
  }

  return {
    sync,
    settled: () => (queued ?? running ?? Promise.resolve()).then(noop, noop),
    close() {
      closed = true;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
