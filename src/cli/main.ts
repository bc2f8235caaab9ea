#!/usr/bin/env node
import { runCli } from './runCli.js';

// The `vaibot` command.
const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
});
process.exitCode = code;
