import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The directory holding all VAIBot state: VAIBOT_HOME, else `~/.vaibot`. */
export function vaibotHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.VAIBOT_HOME;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(fromEnv);
  return join(env.HOME && env.HOME !== '' ? env.HOME : homedir(), '.vaibot');
}

/** Codex's home: CODEX_HOME, else `~/.codex`. */
export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CODEX_HOME;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(fromEnv);
  return join(env.HOME && env.HOME !== '' ? env.HOME : homedir(), '.codex');
}

/** The user's home directory as the hook's environment sees it. */
export function userHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME && env.HOME !== '' ? resolve(env.HOME) : homedir();
}

/** Where the Codex breaker snapshot lives (the seed's path). */
export function breakerFile(home: string): string {
  return join(home, 'breaker-state', 'codex.json');
}

/** The directory of approval snapshots, one file per content hash. */
export function approvalsDir(home: string): string {
  return join(home, 'approvals');
}

/** The approval snapshot file for a content hash (`sha256:<hex>`). */
export function approvalFile(home: string, hash: string): string {
  return join(approvalsDir(home), `${hash.replace(/^sha256:/, '')}.json`);
}

/** The receipts database. */
export function databaseFile(home: string): string {
  return join(home, 'vaibot.db');
}
