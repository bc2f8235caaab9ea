import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A fresh temporary VAIBOT_HOME per call, removed when the test that asked for it finishes (or,
 * when called outside a test, after the suite; as a last resort when the process exits).
 */
export function tempHome(prefix = 'vaibot-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    try { afterAll(remove); } catch { process.once('exit', remove); }
  }
  return dir;
}
