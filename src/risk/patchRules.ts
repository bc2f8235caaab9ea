/**
 * apply_patch: every touched path is judged like a write (add, update, move destination) or a
 * delete (delete, move source), with the same self-protection, secrets and zone rules as the shell.
 */
import type { PatchIntent } from '../intent/intent.js';
import { judgeDelete, judgeWrite, resolvePathText } from './pathRules.js';
import type { Run } from './run.js';

/** Judge every file an apply_patch touches. */
export function judgePatch(run: Run, patch: PatchIntent, cwd: string): void {
  for (const t of patch.targets) {
    const ref = resolvePathText(run, t.path, cwd);
    switch (t.op) {
      case 'add':
      case 'update':
        judgeWrite(run, ref, { verb: `apply_patch (${t.op})`, content: t.added });
        break;
      case 'delete':
        judgeDelete(run, ref, { recursive: false, verb: 'apply_patch (delete)' });
        break;
      case 'move': {
        judgeDelete(run, ref, { recursive: false, verb: 'apply_patch (move)' });
        if (t.to) judgeWrite(run, resolvePathText(run, t.to, cwd), { verb: 'apply_patch (move to)', content: t.added });
        break;
      }
    }
  }
}
