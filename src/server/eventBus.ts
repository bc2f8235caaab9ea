/** What the SSE stream carries: a new receipt, or an approval that changed. */
export type ServerEvent =
  | { type: 'receipt'; accountId: string; receiptId: string; contentHash: string; kind: string; decision: string | null; tool: string; at: string }
  | { type: 'approval'; accountId: string; contentHash: string; state: string; at: number };

/** In-process fan-out of server events to SSE subscribers (bounded number of subscribers). */
export interface EventBus {
  publish(e: ServerEvent): void;
  /** Subscribe; returns the unsubscribe function, or null when too many subscribers are connected. */
  subscribe(fn: (e: ServerEvent) => void): (() => void) | null;
  size(): number;
}

/** Create an event bus. */
export function eventBus(maxSubscribers = 1000): EventBus {
  const subs = new Set<(e: ServerEvent) => void>();
  return {
    publish(e) {
      for (const s of subs) {
        try {
          s(e);
        } catch {
          // A broken subscriber must not stop the others.
        }
      }
    },
    subscribe(fn) {
      if (subs.size >= maxSubscribers) return null;
      subs.add(fn);
      return () => subs.delete(fn);
    },
    size: () => subs.size,
  };
}
