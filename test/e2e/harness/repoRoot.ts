import { fileURLToPath } from 'node:url';

/** This repository's root (the marketplace root the real plugin installs from). */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url));
