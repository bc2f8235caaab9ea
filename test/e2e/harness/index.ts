/** The real-Codex end-to-end harness: export surface for test/e2e/*.e2e.test.ts. */
export { createCodexHarness } from './codexHarness.js';
export type { CodexHarness, CodexHarnessOptions, ExecOptions, ExecRun } from './codexHarness.js';
export { createStandinRepo, STANDIN_DENY_REASON } from './standinPlugin.js';
export type { StandinOptions } from './standinPlugin.js';
export { makeTempLayout } from './tempLayout.js';
export type { TempLayout } from './tempLayout.js';
export { repoRoot } from './repoRoot.js';
export { exec, patch, addFilePatch, mcp } from '../../../src/fakeModel/index.js';
