import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** Checkpoints of a SQLite write-ahead log on a worker thread: see {@link walCheckpointer}. */
export interface WalCheckpointer {
  /** Tell it a commit happened; starts a checkpoint on the worker when one is due. */
  afterCommit(): void;
  /** Resolves true once the worker checkpoints, false if it could not start (SQLite checkpoints inside commits then). */
  started(): Promise<boolean>;
  /** What the worker last reported (for tests and health): checkpoints run, last log size in frames, failures. */
  stats(): { checkpoints: number; lastLogFrames: number; failures: number; fallbacks: number; running: boolean };
  /** Stop the worker and close its connection (the main connection checkpoints the rest when it closes). */
  close(): Promise<void>;
}

/** Options for {@link walCheckpointer}. */
export interface WalCheckpointerOptions {
  /** Least time between two checkpoints started by commits (ms, default 200). */
  minIntervalMs?: number;
  /**
   * The log may grow to this many bytes before the main connection checkpoints by itself, for
   * when the worker cannot keep up or has stopped (default 64 MiB; the log is also truncated back
   * to this size whenever SQLite restarts it).
   */
  hardLimitBytes?: number;
  /** Told about a failed checkpoint or a worker that stopped (never about routine ones). */
  warn?: (message: string) => void;
}

/** SQLite's own automatic checkpoint threshold, put back when the worker is gone. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * The worker's code (CommonJS, evaluated): its own connection to the database, a PASSIVE checkpoint
 * per request (it never waits for the writer and never blocks it), the result posted back.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  parentPort.postMessage({ type: 'failed', error: String(err && err.message || err) });
  process.exit(1);
}
parentPort.on('message', (m) => {
  if (m === 'close') { try { db.close(); } catch {} process.exit(0); }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'done', busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ type: 'done', error: String(err && err.message || err) });
  }
});
`;

/**
 * Checkpoints of a WAL-mode SQLite database run on a worker thread with its own connection, so
 * the event loop never stops to copy the log into the database file and flush it. SQLite's own
 * automatic checkpoint runs inside a commit on the committing connection: on the server that is
 * the event loop, and the copy and its fsync took longer than the commit itself.
 *
 * Once the worker's connection is open, the main connection's automatic checkpoint is turned off
 * and the worker runs a PASSIVE checkpoint after commits, at most one at a time and at most one
 * per `minIntervalMs` (a timer catches the last commits of a burst). PASSIVE never waits for the
 * writer and never holds it up; SQLite restarts the log once a checkpoint has copied all of it.
 * A checkpoint changes nothing that is committed: it copies frames already durable in the log, so
 * a crash in the middle loses nothing (the log is replayed).
 *
 * If the worker fails to start or stops, the main connection's automatic checkpoint is put back.
 * If the log still grows past `hardLimitBytes` (a worker that cannot keep up), the main connection
 * checkpoints by itself after a commit. Null for an in-memory database or one not in WAL mode.
 */
export function walCheckpointer(raw: BetterSqlite3.Database, dbFile: string, opts: WalCheckpointerOptions = {}): WalCheckpointer | null {
  if (raw.memory || dbFile === '') return null;
  if (String(raw.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return null;
  const minInterval = opts.minIntervalMs ?? 200;
  const hardLimit = opts.hardLimitBytes ?? 64 * 1024 * 1024;
  const warn = opts.warn ?? ((): void => undefined);
  const walFile = `${dbFile}-wal`;
  raw.pragma(`journal_size_limit = ${hardLimit}`);

  let ready = false;
  let closing = false;
  let gone = false; // the worker has exited (or fallen back)
  let running = false;
  let dirty = false;
  let lastStart = 0;
  let timer: NodeJS.Timeout | null = null;
  const stats = { checkpoints: 0, lastLogFrames: 0, failures: 0, fallbacks: 0 };
  let markStarted: (up: boolean) => void = () => undefined;
  const startedP = new Promise<boolean>((resolve) => { markStarted = resolve; });

  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file: dbFile } });
  worker.unref();

  /** The worker is gone: SQLite checkpoints inside commits again. */
  function fallBack(why: string): void {
    if (closing || gone) return;
    gone = true;
    ready = false;
    running = false;
    markStarted(false);
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      raw.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    } catch { /* the connection is closing */ }
    warn(`the log checkpoint worker stopped (${why}); checkpoints run inside commits again`);
    void worker.terminate();
  }

  function start(): void {
    if (!ready || running || closing) return;
    running = true;
    dirty = false;
    lastStart = Date.now();
    worker.postMessage('checkpoint');
  }

  function schedule(): void {
    if (!ready || closing || running || !dirty) return;
    const wait = lastStart + minInterval - Date.now();
    if (wait <= 0) {
      start();
      return;
    }
    timer ??= setTimeout(() => {
      timer = null;
      schedule();
    }, wait).unref();
  }

  worker.on('message', (m: { type: string; busy?: number; log?: number; checkpointed?: number; error?: string }) => {
    if (m.type === 'ready') {
      if (closing) return;
      try {
        raw.pragma('wal_autocheckpoint = 0');
        ready = true;
        markStarted(true);
        schedule();
      } catch (err) {
        fallBack((err as Error).message);
      }
    } else if (m.type === 'failed') {
      fallBack(m.error ?? 'could not open the database');
    } else if (m.type === 'done') {
      running = false;
      if (m.error !== undefined) {
        stats.failures++;
        warn(`a log checkpoint failed: ${m.error}`);
      } else {
        stats.checkpoints++;
        stats.lastLogFrames = m.log ?? 0;
      }
      schedule();
    }
  });
  worker.on('error', (err) => fallBack(err.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', (code) => {
    fallBack(`exit code ${code}`);
    gone = true;
    resolve();
  }));

  return {
    afterCommit() {
      if (closing) return;
      dirty = true;
      schedule();
      if (!ready) return;
      let size = 0;
      try { size = statSync(walFile).size; } catch { return; }
      if (size > hardLimit) {
        // the worker is not keeping up: this connection checkpoints (PASSIVE: busy at once if the worker is at it)
        stats.fallbacks++;
        try { raw.pragma('wal_checkpoint(PASSIVE)'); } catch { /* reported by the next commit if it matters */ }
      }
    },
    started: () => startedP,
    stats: () => ({ ...stats, running }),
    async close() {
      if (closing) return;
      closing = true;
      markStarted(false);
      if (timer) clearTimeout(timer);
      timer = null;
      worker.postMessage('close');
      const deadline = setTimeout(() => { void worker.terminate(); }, 5_000);
      await exited;
      clearTimeout(deadline);
      try { raw.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`); } catch { /* closing */ }
    },
  };
}
