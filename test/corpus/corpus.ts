import { asRoot } from './asRoot.js';
import { benign } from './benign.js';
import type { CorpusCase } from './corpusCase.js';
import { destroyFiles } from './destroyFiles.js';
import { network } from './network.js';
import { obfuscation } from './obfuscation.js';
import { parserEdges } from './parserEdges.js';
import { patchesMcp } from './patchesMcp.js';
import { secrets } from './secrets.js';
import { selfProtection } from './selfProtection.js';
import { taintInterpreters } from './taintInterpreters.js';
import { vcsInfra } from './vcsInfra.js';
import { wrappersRemote } from './wrappersRemote.js';

/** Every labelled case, by group. */
export const CORPUS: Record<string, CorpusCase[]> = {
  destroyFiles,
  obfuscation,
  secrets,
  network,
  selfProtection,
  vcsInfra,
  benign,
  parserEdges,
  patchesMcp,
  taintInterpreters,
  wrappersRemote,
  asRoot,
};
