import { serveHookDaemon } from './hookDaemon.js';

// `node hookd.mjs <socket path>`: started detached by the thin hook entry; exits when idle.
const socketPath = process.argv[2];
const rawIdle = Number(process.env.VAIBOT_DAEMON_IDLE_MS);
const idleMs = Number.isFinite(rawIdle) && rawIdle >= 200 ? rawIdle : 600_000;
if (socketPath) {
  serveHookDaemon(socketPath, idleMs).then(() => process.exit(0), () => process.exit(1));
} else {
  process.exit(2);
}
