import type { Intent } from '../intent/intent.js';
import type { DecisionEngine, EngineVerdict } from './decisionEngine.js';

/** Bounds of {@link cachedEngine}. */
export interface VerdictCacheOptions {
  /** Most verdicts kept (least recently used dropped first). */
  max: number;
  /** How long a verdict is reused (ms): it bounds how stale a path resolution can be. */
  ttlMs: number;
  now?: () => number;
}

/**
 * The same engine, remembering recent verdicts: agents repeat the same calls (`ls`, `git status`,
 * the test command) many times, and classifying a command means parsing it. Only calls with no
 * session writes are cached (writes feed the classifier's taint checks), the key is the whole intent,
 * and a verdict is never reused past `ttlMs`. The verdict objects are shared: callers must not change them.
 */
export function cachedEngine(engine: DecisionEngine, o: VerdictCacheOptions): DecisionEngine {
  const now = o.now ?? Date.now;
  const cache = new Map<string, { verdict: EngineVerdict; until: number }>();
  const cached = ((intent: Intent, writes: ReadonlyMap<string, string>): EngineVerdict => {
    if (writes.size > 0) return engine(intent, writes);
    const key = JSON.stringify([intent.tool, intent.cwd, intent.body]);
    const t = now();
    const hit = cache.get(key);
    if (hit && hit.until > t) {
      cache.delete(key);
      cache.set(key, hit);
      return hit.verdict;
    }
    const verdict = engine(intent, writes);
    if (hit) cache.delete(key);
    else if (cache.size >= o.max) cache.delete(cache.keys().next().value as string);
    cache.set(key, { verdict, until: t + o.ttlMs });
    return verdict;
  }) as DecisionEngine;
  if (engine.secretsInOutput !== undefined) cached.secretsInOutput = engine.secretsInOutput;
  if (engine.unscannedOutput !== undefined) cached.unscannedOutput = engine.unscannedOutput;
  return cached;
}
