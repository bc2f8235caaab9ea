/** A token bucket per key: `capacity` requests, refilled at `perMs` per token. Bounded memory. */
export interface RateLimiter {
  /** Take one token for `key` at `at`; false when the bucket is empty. */
  take(key: string, at: number): boolean;
}

/** Options of {@link rateLimiter}. */
export interface RateLimiterOptions {
  capacity: number;
  /** Milliseconds to refill one token. */
  refillMs: number;
  /** Most keys remembered (oldest forgotten first). */
  maxKeys?: number;
}

/** Create an in-memory token-bucket rate limiter (per server instance). */
export function rateLimiter(o: RateLimiterOptions): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = o.maxKeys ?? 10_000;
  return {
    take(key, at) {
      const b = buckets.get(key) ?? { tokens: o.capacity, at };
      const refill = o.refillMs > 0 ? Math.floor(Math.max(0, at - b.at) / o.refillMs) : o.capacity;
      const tokens = Math.min(o.capacity, b.tokens + refill);
      const next = { tokens, at: refill > 0 ? at : b.at };
      buckets.delete(key);
      if (tokens < 1) {
        buckets.set(key, next);
        return false;
      }
      buckets.set(key, { tokens: tokens - 1, at: next.at });
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return true;
    },
  };
}
