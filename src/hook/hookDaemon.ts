import { createServer, connect, type Server } from 'node:net';
import { chmodSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { answerHookCall } from './hookCore.js';
import { DAEMON_PROTOCOL, type DaemonRequest, type DaemonResponse } from './daemonProtocol.js';
import { ensurePrivateDir } from '../state/secureFs.js';
import { claimDaemonSocket, holdsDaemonClaim, placeDaemonSocket, releaseDaemonClaim } from './daemonOwnership.js';

/** Largest request accepted (stdin is capped at 16 MiB by the hook; JSON escaping can grow it). */
const MAX_REQUEST_BYTES = 48 * 1024 * 1024;

function isLive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

/**
 * The hook daemon: keeps the engine (native parser, SQLite, compiled code) warm and answers hook
 * calls forwarded by the thin hook entry. Each call is answered exactly as in-process: settings from
 * the caller's environment, state rehydrated from disk, stepped, persisted atomically, then answered.
 * Exits after `idleMs` without calls, or when its socket file is removed or replaced.
 */
export async function serveHookDaemon(socketPath: string, idleMs: number): Promise<void> {
  ensurePrivateDir(dirname(socketPath));
  // One daemon per socket: the claim is decided under a lock (see claimDaemonSocket), so of many
  // daemons started at once by concurrent hook calls exactly one binds and the rest exit.
  const live = await isLive(socketPath);
  let claimed = false;
  try { claimed = claimDaemonSocket(socketPath, live); } catch { claimed = false; }
  if (!claimed) return;

  let last = Date.now();
  let busy = 0;
  const server: Server = createServer({ allowHalfOpen: true }, (sock) => {
    busy++;
    last = Date.now();
    const chunks: Buffer[] = [];
    let size = 0;
    sock.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_REQUEST_BYTES) { sock.destroy(); return; }
      chunks.push(d);
    });
    sock.on('error', () => { /* the client went away */ });
    sock.on('end', () => {
      void (async () => {
        let response: DaemonResponse;
        try {
          const req = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DaemonRequest;
          if (req.v !== DAEMON_PROTOCOL || typeof req.stdin !== 'string' || typeof req.env !== 'object' || req.env === null) throw new Error('bad request');
          const ans = await answerHookCall(req.event, req.stdin, { ...req.env });
          response = { v: DAEMON_PROTOCOL, ...ans };
        } catch {
          sock.destroy();
          return;
        } finally {
          busy--;
          last = Date.now();
        }
        sock.end(`${JSON.stringify(response)}\n`);
      })();
    });
  });
  // Bind under a name of our own, then rename it into place: closing a unix-socket server unlinks the
  // name it was bound to, which (bound to the shared path) could remove a newer daemon's socket.
  const bindPath = `${socketPath}.${process.pid.toString(36)}`;
  try { unlinkSync(bindPath); } catch { /* none left over */ }
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(bindPath, () => resolve(true));
  });
  let placed = false;
  if (listening) {
    try {
      chmodSync(bindPath, 0o600);
      placed = placeDaemonSocket(bindPath, socketPath);
    } catch { placed = false; }
  }
  if (!placed) {
    if (listening) await new Promise<void>((r) => server.close(() => r()));
    releaseDaemonClaim(socketPath);
    return;
  }
  const ino = statSync(socketPath).ino;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      let mine = false;
      try { mine = statSync(socketPath).ino === ino && holdsDaemonClaim(socketPath); } catch { mine = false; }
      if (!mine || (busy === 0 && Date.now() - last > idleMs)) {
        clearInterval(tick);
        // unlink first, so new callers start a fresh daemon; one caught in between falls back in-process
        // (the server's own close only unlinks the bind name, long since renamed away)
        if (mine) releaseDaemonClaim(socketPath);
        server.close(() => resolve());
      }
    }, Math.min(5_000, Math.max(100, Math.floor(idleMs / 4))));
  });
}
