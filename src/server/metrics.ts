/** Latency histogram bucket bounds, seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Server counters and the decide latency histogram, rendered in Prometheus text format. */
export interface ServerMetrics {
  decision(outcome: string, seconds: number): void;
  breakerReport(event: 'tripped' | 'closed'): void;
  request(status: number): void;
  render(): string;
}

/** Create the metrics of one server instance. */
export function serverMetrics(): ServerMetrics {
  const decisions = new Map<string, number>();
  const breaker = new Map<string, number>([['tripped', 0], ['closed', 0]]);
  const statuses = new Map<string, number>();
  const counts = BUCKETS.map(() => 0);
  let sum = 0;
  let total = 0;
  return {
    decision(outcome, seconds) {
      decisions.set(outcome, (decisions.get(outcome) ?? 0) + 1);
      total++;
      sum += seconds;
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) counts[i] = (counts[i] as number) + 1;
    },
    breakerReport(event) {
      breaker.set(event, (breaker.get(event) ?? 0) + 1);
    },
    request(status) {
      const k = `${Math.floor(status / 100)}xx`;
      statuses.set(k, (statuses.get(k) ?? 0) + 1);
    },
    render() {
      const lines: string[] = [];
      lines.push('# HELP vaibot_decisions_total Decisions by outcome.', '# TYPE vaibot_decisions_total counter');
      for (const d of ['allow', 'deny', 'approval_required']) lines.push(`vaibot_decisions_total{decision="${d}"} ${decisions.get(d) ?? 0}`);
      lines.push('# HELP vaibot_decide_duration_seconds Time to answer a decide request.', '# TYPE vaibot_decide_duration_seconds histogram');
      BUCKETS.forEach((b, i) => lines.push(`vaibot_decide_duration_seconds_bucket{le="${b}"} ${counts[i]}`));
      lines.push(`vaibot_decide_duration_seconds_bucket{le="+Inf"} ${total}`, `vaibot_decide_duration_seconds_sum ${sum}`, `vaibot_decide_duration_seconds_count ${total}`);
      lines.push('# HELP vaibot_client_breaker_events_total Breaker trips and recoveries reported by clients.', '# TYPE vaibot_client_breaker_events_total counter');
      for (const [k, v] of breaker) lines.push(`vaibot_client_breaker_events_total{event="${k}"} ${v}`);
      lines.push('# HELP vaibot_http_responses_total HTTP responses by status class.', '# TYPE vaibot_http_responses_total counter');
      for (const [k, v] of [...statuses].sort()) lines.push(`vaibot_http_responses_total{class="${k}"} ${v}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
