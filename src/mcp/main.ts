#!/usr/bin/env node
import { serveStdioFront } from './stdioFront.js';

// The VAIBot MCP server, started by Codex from plugin/.mcp.json (`node ./dist/mcp.mjs`, cwd = the
// installed plugin copy). stdout carries the protocol only; everything else goes to stderr.
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
// The client went away: nothing left to serve.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
  log(`vaibot mcp: stdout error: ${err.message}`);
});
process.on('uncaughtException', (err) => log(`vaibot mcp: uncaught error (serving on): ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => log(`vaibot mcp: unhandled rejection (serving on): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));

try {
  await serveStdioFront({ env: process.env, cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, log });
  process.exit(0);
} catch (err) {
  log(`vaibot mcp: cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
}
