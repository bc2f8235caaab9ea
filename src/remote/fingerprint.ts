import { createHash } from 'node:crypto';
import { hostname, platform, userInfo } from 'node:os';

/**
 * The bootstrap fingerprint: SHA-256 over the install's random id plus machine facts. The random id
 * makes it unguessable (so nobody can squat this machine's account); the machine facts keep it tied
 * to this machine.
 */
export function bootstrapFingerprint(installId: string): string {
  let user = 'unknown';
  try { user = userInfo().username; } catch { /* no passwd entry */ }
  const digest = createHash('sha256').update(JSON.stringify([installId, hostname(), platform(), user])).digest('hex');
  return `v2:${digest}`;
}
