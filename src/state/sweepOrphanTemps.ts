import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../util/processAlive.js';

/** The temp files {@link writeFileAtomic} makes: `.<name>.<pid>.<8 hex>.tmp`. */
const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Remove temp files that atomic writes left behind in `dirs` (a process killed between writing its
 * temp file and renaming it): only those whose writer is gone and that are older than `minAgeMs`,
 * so a write in progress is never touched. Never throws; returns how many were removed.
 */
export function sweepOrphanTemps(dirs: readonly string[], minAgeMs = 60_000, now: number = Date.now()): number {
  let removed = 0;
  for (const dir of dirs) {
    let names: string[];
    try { names = readdirSync(dir); } catch { continue; }
    for (const name of names) {
      const m = TEMP.exec(name);
      if (!m) continue;
      const file = join(dir, name);
      try {
        if (now - statSync(file).mtimeMs < minAgeMs) continue;
        if (Number(m[1]) !== process.pid && processAlive(Number(m[1]))) continue;
        unlinkSync(file);
        removed++;
      } catch { /* gone meanwhile, or not ours to remove */ }
    }
  }
  return removed;
}

/** {@link sweepOrphanTemps} over VAIBOT_HOME and the directories directly in it (approvals, run, …). */
export function sweepHomeTemps(home: string, minAgeMs = 60_000): number {
  let subdirs: string[] = [];
  try {
    subdirs = readdirSync(home, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(home, d.name));
  } catch { /* no home yet */ }
  return sweepOrphanTemps([home, ...subdirs], minAgeMs);
}
