import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The throw-away directories one harness uses: nothing outside `root` is touched. */
export interface TempLayout {
  root: string;
  /** HOME for codex and the hooks. */
  home: string;
  /** CODEX_HOME (config.toml, plugin cache, sessions). */
  codexHome: string;
  /** The session's working directory (the model's workspace). */
  workspace: string;
  /** VAIBOT_HOME (our database, keys, state). */
  vaibotHome: string;
  /** Deletes `root` (unless VAIBOT_E2E_KEEP=1, for debugging). */
  cleanup(): Promise<void>;
}

/** Makes a fresh layout under the OS temp dir. */
export async function makeTempLayout(prefix = 'vaibot-e2e-'): Promise<TempLayout> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const layout = {
    root,
    home: join(root, 'home'),
    codexHome: join(root, 'home', '.codex'),
    workspace: join(root, 'workspace'),
    vaibotHome: join(root, 'home', '.vaibot'),
  };
  await Promise.all([mkdir(layout.codexHome, { recursive: true }), mkdir(layout.workspace, { recursive: true })]);
  return {
    ...layout,
    async cleanup() {
      if (process.env.VAIBOT_E2E_KEEP === '1') return;
      await rm(root, { recursive: true, force: true });
    },
  };
}
