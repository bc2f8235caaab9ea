import type { Settings } from '../config/settings.js';
import type { GovernanceService } from '../governance/governanceService.js';

/** Everything a hook handler may touch; the entry point builds it, tests pass plain values. */
export interface HookEnv {
  settings: Settings;
  governance: GovernanceService;
  /** Current time in ms (time is data: handlers never read the clock themselves). */
  now: () => number;
  /** A human-readable line on stderr (never stdout). */
  breadcrumb: (line: string) => void;
  /** Policy on tool output that carries secrets (default withhold). */
  secretsInOutput?: 'withhold' | 'allow';
  /** Policy on output larger than the scan bound (default withhold). */
  unscannedOutput?: 'withhold' | 'pass';
  /** Create the local identity on first run; returns whether it was created. */
  ensureIdentity: () => { installId: string; created: boolean };
}
