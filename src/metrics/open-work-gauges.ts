import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../flows/ports.js';
import { PREFIX } from './series.js';

/** How long one reading of the store and queues serves scrapes: a scrape storm costs one query per period. */
export const OPEN_WORK_CACHE_MS = 15_000;

/** Counts grouped by one key (a flow id, a definition id). */
export type GroupCounts = Array<{ key: string; count: number }>;

/** The store's open work, counted with cheap `COUNT … GROUP BY` queries. */
export interface OpenWorkCounts {
  /** Cases still open (open, waiting for an answer, or being decided), by flow. */
  openCasesByFlow(): Promise<GroupCounts>;
  /** Exceptions someone still has to act on (open, assigned, snoozed), by definition. */
  openExceptionsByDefinition(): Promise<GroupCounts>;
}

export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The queues this process works on and how many jobs each holds; absent where no workers run. */
export interface QueueBacklog {
  queues(): string[];
  jobCounts(queue: string): Promise<Record<JobState, number>>;
}

interface Snapshot {
  cases: GroupCounts;
  exceptions: GroupCounts;
  jobs: Array<{ queue: string; counts: Record<JobState, number> }>;
}

export interface OpenWorkOptions {
  store: OpenWorkCounts;
  backlog?: QueueBacklog;
  /** Flows and definitions of the policy: reported as 0 when nothing is open, rather than missing. */
  flows: string[];
  definitions: string[];
  log: Logger;
  cacheMs?: number;
  now?: () => number;
}

/**
 * Gauges read at scrape time: open cases by flow, open exceptions by
 * definition, and queue jobs by state. One reading (shared by the gauges of
 * one scrape and cached for `cacheMs`) answers every scrape in the period.
 * When the store or the queue does not answer, the gauges are left out of
 * the scrape (an `absent()` alert notices) and the failure is logged.
 */
export function registerOpenWorkGauges(registry: Registry, options: OpenWorkOptions): void {
  const cacheMs = options.cacheMs ?? OPEN_WORK_CACHE_MS;
  const now = options.now ?? Date.now;
  let reading: { at: number; snapshot: Promise<Snapshot | null> } | null = null;

  const read = (): Promise<Snapshot | null> => {
    if (reading && now() - reading.at < cacheMs) return reading.snapshot;
    const snapshot = load(options).catch((err: unknown) => {
      options.log.warn(
        { err },
        'could not count open cases, exceptions and queue jobs for /metrics; they are left out',
      );
      return null;
    });
    reading = { at: now(), snapshot };
    return snapshot;
  };

  const fill = (gauge: Gauge<string>, known: string[], rows: GroupCounts | undefined, label: string) => {
    gauge.reset();
    if (!rows) return;
    for (const key of known) gauge.set({ [label]: key }, 0);
    for (const row of rows) gauge.set({ [label]: row.key }, row.count);
  };

  new Gauge({
    name: `${PREFIX}cases_open`,
    help: 'Approval cases still open (waiting for a person, for an answer, or being decided), by flow. Every process reports the same number: aggregate with max, not sum.',
    labelNames: ['flow'],
    registers: [registry],
    async collect() {
      fill(this, options.flows, (await read())?.cases, 'flow');
    },
  });
  new Gauge({
    name: `${PREFIX}exceptions_open`,
    help: 'Exceptions someone still has to act on (open, assigned or snoozed), by definition. Every process reports the same number: aggregate with max, not sum.',
    labelNames: ['definition'],
    registers: [registry],
    async collect() {
      fill(this, options.definitions, (await read())?.exceptions, 'definition');
    },
  });
  if (options.backlog)
    new Gauge({
      name: `${PREFIX}queue_jobs`,
      help: 'Jobs in a queue by state: waiting (to run now), active, delayed (timers, retries) and failed (kept a week). Every worker reports the same number: aggregate with max.',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const q of (await read())?.jobs ?? [])
          for (const state of JOB_STATES) this.set({ queue: q.queue, state }, q.counts[state]);
      },
    });
}

async function load(options: OpenWorkOptions): Promise<Snapshot> {
  const backlog = options.backlog;
  const [cases, exceptions, jobs] = await Promise.all([
    options.store.openCasesByFlow(),
    options.store.openExceptionsByDefinition(),
    backlog
      ? Promise.all(backlog.queues().map(async (queue) => ({ queue, counts: await backlog.jobCounts(queue) })))
      : [],
  ]);
  return { cases, exceptions, jobs };
}
