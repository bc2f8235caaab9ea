/** Settings of the breaker; read from VAIBOT_BREAKER_* by the caller, never stored in a snapshot. */
export interface BreakerSettings {
  /** Transient failures inside the window that trip the breaker (VAIBOT_BREAKER_FAILURE_THRESHOLD, 3). */
  failureThreshold: number;
  /** Sliding window for counting failures, ms (VAIBOT_BREAKER_WINDOW_MS, 10000). */
  windowMs: number;
  /** First cooldown after a trip, ms (VAIBOT_BREAKER_COOLDOWN_MS, 60000). */
  cooldownMs: number;
  /** Ceiling for the backed-off cooldown, ms (VAIBOT_BREAKER_MAX_COOLDOWN_MS, 600000). */
  maxCooldownMs: number;
  /** How long a half-open trial may stay unreported before another call may try, ms. */
  trialTimeoutMs: number;
}

/** What survives between hook processes. Settings are not part of it. */
export interface BreakerContext {
  /** Timestamps (ms) of transient failures still inside the window, oldest first. */
  failures: number[];
  /** When the breaker last opened (ms), or null while closed. */
  openedAt: number | null;
  /** The cooldown in force for the current or next opening (backs off on failed trials). */
  cooldownMs: number;
  /** Id of the call that holds the half-open trial, and when it started. */
  trial: { id: string; at: number } | null;
  /** The time of the last event stepped (diagnostics only: stored times are clamped to each new event's time). */
  lastAt: number;
}

/**
 * Events are past-tense facts with a timestamp.
 * - `call.requested`: a hook is about to call the governance API (id identifies that call).
 * - `call.succeeded` / `call.failed`: its outcome; `transient` is true only for network errors,
 *   timeouts (recorded when the timeout fires), 5xx and unparseable bodies.
 * - `breaker.reset`: a human reset it.
 */
export type BreakerEvent =
  | { type: 'call.requested'; at: number; id: string }
  | { type: 'call.succeeded'; at: number; id?: string }
  | { type: 'call.failed'; at: number; transient: boolean; id?: string }
  | { type: 'breaker.reset'; at: number; by: string };
