/** Counters of the AI summaries, for /metrics and tests. */
export class AiMetrics {
  requested = 0;
  shown = 0;
  rejected = 0;
  timedOut = 0;
  failed = 0;
  circuitOpen = 0;
  cacheHits = 0;
  /** Provider latencies in ms, the most recent 1000. */
  private readonly latencies: number[] = [];

  observeLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > 1000) this.latencies.shift();
  }

  latency(): { count: number; p50: number | null; p95: number | null; max: number | null } {
    const s = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : null);
    return { count: s.length, p50: at(0.5), p95: at(0.95), max: s.at(-1) ?? null };
  }

  /** Prometheus text exposition format. */
  prometheus(): string {
    const c = (name: string, help: string, v: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${v}\n`;
    const l = this.latency();
    return [
      c('chatops_ai_drafts_requested_total', 'AI drafts asked for (cache hits included).', this.requested),
      c('chatops_ai_drafts_shown_total', 'AI drafts that passed the fact check.', this.shown),
      c('chatops_ai_drafts_rejected_total', 'AI drafts rejected by the fact check.', this.rejected),
      c('chatops_ai_drafts_timed_out_total', 'AI requests that hit the timeout.', this.timedOut),
      c('chatops_ai_drafts_failed_total', 'AI requests that failed (HTTP errors, bad answers).', this.failed),
      c('chatops_ai_drafts_circuit_open_total', 'AI requests skipped because the circuit was open.', this.circuitOpen),
      c('chatops_ai_drafts_cache_hits_total', 'AI drafts answered from the cache.', this.cacheHits),
      `# HELP chatops_ai_latency_ms Provider latency over the last ${l.count} requests.\n# TYPE chatops_ai_latency_ms summary\n` +
        `chatops_ai_latency_ms{quantile="0.5"} ${l.p50 ?? 'NaN'}\nchatops_ai_latency_ms{quantile="0.95"} ${l.p95 ?? 'NaN'}\n` +
        `chatops_ai_latency_ms_count ${l.count}\n`,
    ].join('');
  }
}
