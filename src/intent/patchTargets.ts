import { isAbsolute, resolve } from 'node:path';
import type { PatchTarget } from './intent.js';

const HEADER = /^\*\*\* (Add|Update|Delete) File: (.+)$/;
const MOVE = /^\*\*\* Move to: (.+)$/;

/** Resolve a path named in a patch against the call's cwd (absolute paths stay as they are). */
function resolvePath(cwd: string, p: string): string {
  const trimmed = p.trim();
  return isAbsolute(trimmed) ? resolve(trimmed) : resolve(cwd, trimmed);
}

/**
 * Every file an apply_patch text adds, updates, deletes or moves, in order, resolved against cwd,
 * with the lines it adds to each. Lenient about what it does not understand: unknown lines are
 * ignored here, the whole patch text still goes into the intent and its hash.
 */
export function patchTargets(patch: string, cwd: string): PatchTarget[] {
  const targets: PatchTarget[] = [];
  let current: PatchTarget | undefined;
  const added: string[][] = [];
  for (const rawLine of patch.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const header = HEADER.exec(line);
    if (header) {
      const op = header[1] === 'Add' ? 'add' : header[1] === 'Update' ? 'update' : 'delete';
      current = { op, path: resolvePath(cwd, header[2] ?? ''), added: '' };
      targets.push(current);
      added.push([]);
      continue;
    }
    const move = MOVE.exec(line);
    if (move && current) {
      current.op = 'move';
      current.to = resolvePath(cwd, move[1] ?? '');
      continue;
    }
    if (current && line.startsWith('+') && !line.startsWith('+++')) added[added.length - 1]?.push(line.slice(1));
  }
  targets.forEach((t, i) => { t.added = (added[i] ?? []).join('\n'); });
  return targets;
}
