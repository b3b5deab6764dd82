import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { CounterLabels, HistogramLabels, Metrics } from '../flows/metrics-port.js';
import type { Platform } from '../flows/types.js';
import { COUNTERS, HISTOGRAMS, HTTP_BUCKETS, JOB_BUCKETS, ODOO_CALL_BUCKETS, PREFIX } from './series.js';

/** What `GET /metrics` answers. */
export interface MetricsExposition {
  contentType: string;
  body: string;
}

export type JobResult = 'completed' | 'retried' | 'failed';

export interface PromMetricsOptions {
  /** prom-client's process and Node.js metrics (CPU, memory, event loop lag, GC); default on. */
  defaultMetrics?: boolean;
}

type Labels = Record<string, string>;

/**
 * The service's metrics on one prom-client registry per service (so several
 * services in one test process do not share counts): the flows' counters
 * (the `Metrics` port), the adapters' HTTP, Odoo and queue series, and any
 * text appended by older counters (the AI summaries).
 */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  private readonly appendices: Array<() => string> = [];
  private readonly http: { requests: Counter; seconds: Histogram };
  private readonly odoo: { calls: Counter; seconds: Histogram };
  private readonly jobs: { runs: Counter; seconds: Histogram };

  constructor(options: PromMetricsOptions = {}) {
    const registers = [this.registry];
    for (const [name, s] of Object.entries(COUNTERS))
      this.counters.set(
        name,
        new Counter({ name: `${PREFIX}${name}_total`, help: s.help, labelNames: s.labels, registers }),
      );
    for (const [name, s] of Object.entries(HISTOGRAMS))
      this.histograms.set(
        name,
        new Histogram({ name: `${PREFIX}${name}`, help: s.help, labelNames: s.labels, buckets: s.buckets, registers }),
      );
    this.http = {
      requests: new Counter({
        name: `${PREFIX}http_requests_total`,
        help: 'HTTP requests answered, by route (a fixed name, never the raw path) and status code.',
        labelNames: ['route', 'status'],
        registers,
      }),
      seconds: new Histogram({
        name: `${PREFIX}http_request_duration_seconds`,
        help: 'Seconds to answer an HTTP request, by route.',
        labelNames: ['route'],
        buckets: HTTP_BUCKETS,
        registers,
      }),
    };
    this.odoo = {
      calls: new Counter({
        name: `${PREFIX}odoo_calls_total`,
        help: 'XML-RPC calls to Odoo by method and result: ok, fault (Odoo answered with an error), timeout, network, http_status, bad_response.',
        labelNames: ['method', 'result'],
        registers,
      }),
      seconds: new Histogram({
        name: `${PREFIX}odoo_call_duration_seconds`,
        help: 'Seconds an XML-RPC call to Odoo took, answer or not, by method.',
        labelNames: ['method'],
        buckets: ODOO_CALL_BUCKETS,
        registers,
      }),
    };
    this.jobs = {
      runs: new Counter({
        name: `${PREFIX}queue_jobs_total`,
        help: 'Queue jobs run, by queue, job name and result: completed, retried (a transient error, tried again later) or failed (for good).',
        labelNames: ['queue', 'job', 'result'],
        registers,
      }),
      seconds: new Histogram({
        name: `${PREFIX}queue_job_duration_seconds`,
        help: 'Seconds one run of a queue job took, by queue.',
        labelNames: ['queue'],
        buckets: JOB_BUCKETS,
        registers,
      }),
    };
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  count<N extends keyof CounterLabels>(name: N, labels: CounterLabels[N]): void {
    this.counters.get(name)?.inc(labels as unknown as Labels);
  }

  observe<N extends keyof HistogramLabels>(name: N, seconds: number, labels: HistogramLabels[N]): void {
    this.histograms.get(name)?.observe(labels as unknown as Labels, seconds);
  }

  /**
   * Starts the outcome counters of every flow and definition at 0, so that
   * `increase()` sees the first failure after a restart (a series that
   * appears at 1 has no increase).
   */
  prime(known: { flows: string[]; definitions: string[]; platforms: Platform[] }): void {
    const zero = <N extends keyof CounterLabels>(name: N, labels: CounterLabels[N]) =>
      this.counters.get(name)?.inc(labels as unknown as Labels, 0);
    for (const flow of known.flows) {
      zero('cases_opened', { flow });
      for (const outcome of ['approved', 'rejected', 'cancelled', 'expired'] as const)
        zero('cases_closed', { flow, outcome });
      for (const platform of known.platforms)
        for (const action of ['approve', 'reject'] as const)
          for (const outcome of ['applied', 'refused', 'failed', 'superseded'] as const)
            zero('decisions', { outcome, action, flow, platform });
    }
    for (const definition of known.definitions) {
      zero('exceptions_opened', { definition });
      zero('exceptions_resolved', { definition });
      zero('exceptions_auto_closed', { definition });
      zero('exceptions_escalated', { definition, reason: 'manual' });
      zero('exceptions_escalated', { definition, reason: 'sla' });
      zero('exception_sla_breaches', { definition });
    }
  }

  /** One answered HTTP request; `route` comes from a fixed set (see `routeName` in src/http/server.ts). */
  httpRequest(route: string, status: number, seconds: number): void {
    this.http.requests.inc({ route, status: String(status) });
    this.http.seconds.observe({ route }, seconds);
  }

  /** One XML-RPC call, from the transport's observer. */
  odooCall(call: { method: string; result: string; seconds: number }): void {
    this.odoo.calls.inc({ method: call.method, result: call.result });
    this.odoo.seconds.observe({ method: call.method }, call.seconds);
  }

  /** One run of a queue job. */
  job(queue: string, job: string, result: JobResult, seconds: number): void {
    this.jobs.runs.inc({ queue, job, result });
    this.jobs.seconds.observe({ queue }, seconds);
  }

  /** Text in the exposition format appended after the registry's (the AI summary counters keep their names). */
  append(text: () => string): void {
    this.appendices.push(text);
  }

  async exposition(): Promise<MetricsExposition> {
    const body = await this.registry.metrics();
    const more = this.appendices.map((f) => f()).join('');
    return { contentType: this.registry.contentType, body: more ? `${body.replace(/\n*$/, '\n')}${more}` : body };
  }
}
