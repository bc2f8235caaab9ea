import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Real-Codex end-to-end tests (excluded from the default run in /vitest.config.ts):
//   npx vitest run --config test/e2e/vitest.config.ts
// Each file builds its own temp HOME/CODEX_HOME and fake model; files run one at a time so the two
// cores are not oversubscribed by parallel codex sessions.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
