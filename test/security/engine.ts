import { engineFor } from '../../src/governance/defaultEngine.js';
import type { DecisionEngine } from '../../src/governance/decisionEngine.js';
import { DEFAULT_POLICY } from '../../src/policy/index.js';

/** The real engine (classifier + default policy) for the homes a test environment names. */
export function defaultEngineForTest(env: Record<string, string>): DecisionEngine {
  return engineFor({
    home: env.HOME as string,
    vaibotHome: env.VAIBOT_HOME as string,
    codexHome: env.CODEX_HOME ?? `${env.HOME}/.codex`,
    policy: { ok: true, policy: DEFAULT_POLICY, warnings: [] },
  });
}
