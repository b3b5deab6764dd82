import type { CaseFacts, FactName, RiskFlag, Summarizer, SummaryOutcome } from '../flows/context-ports.js';
import type { Logger } from '../flows/ports.js';
import { AiMetrics } from './ai-metrics.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { DraftProvider } from './draft-provider.js';
import { factCheck } from './fact-check.js';
import { LruCache } from './lru-cache.js';
import { promptFacts } from './prompt-facts.js';

export interface CheckedSummarizerOptions {
  provider: DraftProvider;
  prompt: { version: string; system: string };
  /** Deadline per request; default 8 s. */
  timeoutMs?: number;
  breaker?: CircuitBreaker;
  metrics?: AiMetrics;
  /** Record versions remembered; default 500. */
  cacheSize?: number;
  log?: Logger;
  now?: () => number;
}

type Cached = Extract<SummaryOutcome, { status: 'shown' } | { status: 'rejected' }>;

/**
 * The summarizer the flows see: masks what is sent, enforces the deadline
 * and the circuit breaker, fact-checks the answer and remembers it per
 * record version (model, id, write_date), so a redraw costs nothing.
 * Rejections are cached too: the same facts would get the same bad draft.
 */
export class CheckedSummarizer implements Summarizer {
  readonly metrics: AiMetrics;
  readonly breaker: CircuitBreaker;
  private readonly cache: LruCache<Cached>;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CheckedSummarizerOptions) {
    this.metrics = options.metrics ?? new AiMetrics();
    this.breaker = options.breaker ?? new CircuitBreaker();
    this.cache = new LruCache(options.cacheSize ?? 500);
    this.timeoutMs = options.timeoutMs ?? 8_000;
    this.now = options.now ?? Date.now;
  }

  async summarize(
    recordKey: string,
    facts: CaseFacts,
    flags: RiskFlag[],
    allow?: readonly FactName[],
  ): Promise<SummaryOutcome> {
    this.metrics.requested += 1;
    // Another allowlist sends other facts, so it gets its own answer.
    const key = allow ? `${recordKey}|${allow.join(',')}` : recordKey;
    const cached = this.cache.get(key);
    if (cached) {
      this.metrics.cacheHits += 1;
      if (cached.status === 'shown') this.metrics.shown += 1;
      return cached.status === 'shown' ? { ...cached, cached: true } : cached;
    }
    if (!this.breaker.tryAcquire()) {
      this.metrics.circuitOpen += 1;
      return { status: 'unavailable', reason: 'circuit_open' };
    }
    const sent = promptFacts(facts, flags, allow);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const started = this.now();
    let text: string;
    try {
      text = await this.options.provider.complete({
        system: this.options.prompt.system,
        user: `Facts (JSON):\n${JSON.stringify(sent, null, 2)}`,
        signal: controller.signal,
      });
      this.breaker.success();
    } catch (err) {
      this.breaker.failure();
      if (controller.signal.aborted) {
        this.metrics.timedOut += 1;
        return { status: 'unavailable', reason: 'timeout', detail: `no answer within ${this.timeoutMs} ms` };
      }
      this.metrics.failed += 1;
      this.options.log?.warn({ err, key }, 'the AI provider failed; the card keeps its deterministic summary');
      return { status: 'unavailable', reason: 'failed', detail: (err as Error).message };
    } finally {
      clearTimeout(timer);
      this.metrics.observeLatency(this.now() - started);
    }
    const check = factCheck(text, sent);
    const outcome: Cached = check.ok
      ? { status: 'shown', text, promptVersion: this.options.prompt.version, cached: false }
      : { status: 'rejected', reasons: check.reasons };
    if (check.ok) this.metrics.shown += 1;
    else {
      this.metrics.rejected += 1;
      this.options.log?.warn({ key, reasons: check.reasons, draft: text }, 'AI draft rejected by the fact check');
    }
    this.cache.set(key, outcome);
    return outcome;
  }
}
