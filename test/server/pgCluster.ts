import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'pg-test.sh');

/** A throwaway PostgreSQL cluster on 127.0.0.1 (scripts/pg-test.sh). */
export interface PgCluster {
  url: string;
  stop(): void;
}

/**
 * Start a cluster, or return why not. When the server binaries are missing and we are root, try
 * Debian's package once (CI installs it in .ci/run beforehand).
 */
export function startPg(): PgCluster | { skip: string } {
  if (spawnSync('bash', [script, 'available']).status !== 0) {
    if (process.getuid?.() === 0) {
      spawnSync('bash', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1)'], { timeout: 300_000 });
    }
    if (spawnSync('bash', [script, 'available']).status !== 0) {
      return { skip: 'PostgreSQL is not installed and could not be installed (apt-get install -y postgresql); PostgreSQL tests skipped' };
    }
  }
  const dir = execFileSync('mktemp', ['-d', '/tmp/vaibot-pg.XXXXXX'], { encoding: 'utf8' }).trim();
  const out = execFileSync('bash', [script, 'start', dir], { encoding: 'utf8', timeout: 120_000 });
  const url = out.trim().split('\n').pop() as string;
  return { url, stop: () => { spawnSync('bash', [script, 'stop', dir], { timeout: 60_000 }); } };
}
