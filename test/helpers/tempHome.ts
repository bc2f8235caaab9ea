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
  // a hook daemon started by the test may still be writing its socket and claim while this runs
  // (it exits once idle): retry on ENOTEMPTY and the like for up to two seconds
  const remove = () => rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  try {
    onTestFinished(remove);
  } catch {
    try { afterAll(remove); } catch { process.once('exit', remove); }
  }
  return dir;
}
