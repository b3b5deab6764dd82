import { AppError, isTransient } from '../../src/errors.js';
import type { JobContext, JobOptions, JobQueue } from '../../src/flows/ports.js';
import type { FixedClock } from './fixed-clock.js';

const DEFAULT_ATTEMPTS = 8;
const DEFAULT_BACKOFF_MS = 2000;

export type FakeJobState = 'waiting' | 'delayed' | 'completed' | 'failed';

export interface FakeJob {
  queue: string;
  id: string;
  name: string;
  data: unknown;
  maxAttempts: number;
  backoffMs: number;
  attemptsMade: number;
  /** Clock time (ms) from which the job may run. */
  runAt: number;
  state: FakeJobState;
  /** The last error a handler threw. */
  error?: unknown;
  seq: number;
}

type Handler = (job: JobContext<unknown>) => Promise<void>;

/**
 * A deterministic `JobQueue`: jobs wait until a test drains them with
 * `runAll()` (what is due now) or `runUntilIdle()` (moves the clock through
 * delays and backoff). Same rules as `BullMqJobQueue`: job ids deduplicate for
 * as long as the job is kept, a transient `AppError` is retried with
 * exponential backoff, anything else fails the job for good.
 */
export class InMemoryJobQueue implements JobQueue {
  private readonly jobs: FakeJob[] = [];
  private readonly handlers = new Map<string, Handler>();
  readonly schedulers = new Map<string, { queue: string; everyMs: number; name: string; data: unknown }>();
  private seq = 0;
  private closed = false;

  constructor(private readonly clock: FixedClock) {}

  async enqueue<T>(queue: string, name: string, data: T, options: JobOptions = {}): Promise<void> {
    if (this.closed) throw new AppError('queue.closed', 'transient', 'The in-memory queue is closed.');
    if (options.jobId !== undefined) checkJobId(options.jobId);
    const id = options.jobId ?? `auto.${this.seq + 1}`;
    if (this.jobs.some((j) => j.queue === queue && j.id === id)) return;
    const delay = options.delayMs && options.delayMs > 0 ? options.delayMs : 0;
    this.jobs.push({
      queue,
      id,
      name,
      data: structuredClone(data),
      maxAttempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
      attemptsMade: 0,
      runAt: this.clock.now().getTime() + delay,
      state: delay ? 'delayed' : 'waiting',
      seq: ++this.seq,
    });
  }

  async cancel(queue: string, jobId: string): Promise<boolean> {
    checkJobId(jobId);
    const i = this.jobs.findIndex((j) => j.queue === queue && j.id === jobId);
    if (i < 0 || (this.jobs[i]!.state !== 'waiting' && this.jobs[i]!.state !== 'delayed')) return false;
    this.jobs.splice(i, 1);
    return true;
  }

  async schedule(queue: string, schedulerId: string, everyMs: number, name: string, data: unknown): Promise<void> {
    checkJobId(schedulerId);
    this.schedulers.set(schedulerId, { queue, everyMs, name, data });
  }

  async process<T>(queue: string, handler: (job: JobContext<T>) => Promise<void>): Promise<void> {
    this.handlers.set(queue, handler as Handler);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Jobs in enqueue order, optionally only one queue's, name's or state's. */
  list(filter: { queue?: string; name?: string; state?: FakeJobState } = {}): FakeJob[] {
    return this.jobs.filter(
      (j) =>
        (filter.queue === undefined || j.queue === filter.queue) &&
        (filter.name === undefined || j.name === filter.name) &&
        (filter.state === undefined || j.state === filter.state),
    );
  }

  /** Waiting and delayed jobs. */
  pending(filter: { queue?: string; name?: string } = {}): FakeJob[] {
    return this.list(filter).filter((j) => j.state === 'waiting' || j.state === 'delayed');
  }

  /** Forgets every job (as if the queue's data were lost). */
  clear(): void {
    this.jobs.length = 0;
  }

  /** Enqueues one run of a scheduler, as its timer firing would. */
  async fire(schedulerId: string): Promise<void> {
    const s = this.schedulers.get(schedulerId);
    if (!s) throw new Error(`no scheduler ${schedulerId}`);
    await this.enqueue(s.queue, s.name, s.data, { jobId: `repeat.${schedulerId}.${this.clock.now().getTime()}` });
  }

  /** Runs every job due now whose queue has a handler, including jobs they enqueue; returns how many ran. */
  async runAll(): Promise<number> {
    let ran = 0;
    for (;;) {
      const job = this.nextDue();
      if (!job) return ran;
      await this.runOne(job);
      ran += 1;
    }
  }

  /** Moves the clock and runs what became due. */
  async advance(ms: number): Promise<number> {
    this.clock.advance(ms);
    return this.runAll();
  }

  /** Runs due jobs, moving the clock to each next delayed job, until none is left for a handler. */
  async runUntilIdle(maxJobs = 10_000): Promise<number> {
    let ran = 0;
    for (;;) {
      ran += await this.runAll();
      const next = this.pendingWithHandler().sort((a, b) => a.runAt - b.runAt || a.seq - b.seq)[0];
      if (!next) return ran;
      if (ran > maxJobs) throw new Error(`runUntilIdle gave up after ${ran} jobs; something keeps re-enqueueing`);
      this.clock.set(new Date(Math.max(next.runAt, this.clock.now().getTime())));
    }
  }

  private pendingWithHandler(): FakeJob[] {
    return this.jobs.filter((j) => (j.state === 'waiting' || j.state === 'delayed') && this.handlers.has(j.queue));
  }

  private nextDue(): FakeJob | undefined {
    const now = this.clock.now().getTime();
    return this.pendingWithHandler()
      .filter((j) => j.runAt <= now)
      .sort((a, b) => a.runAt - b.runAt || a.seq - b.seq)[0];
  }

  private async runOne(job: FakeJob): Promise<void> {
    const handler = this.handlers.get(job.queue)!;
    job.attemptsMade += 1;
    try {
      await handler({
        id: job.id,
        name: job.name,
        data: structuredClone(job.data),
        attempt: job.attemptsMade,
        maxAttempts: job.maxAttempts,
      });
      job.state = 'completed';
      job.error = undefined;
    } catch (err) {
      job.error = err;
      if (isTransient(err) && job.attemptsMade < job.maxAttempts) {
        job.state = 'delayed';
        job.runAt = this.clock.now().getTime() + job.backoffMs * 2 ** (job.attemptsMade - 1);
      } else {
        job.state = 'failed';
      }
    }
  }
}

/** The same rule as `BullMqJobQueue`, so an id the real queue refuses fails here too. */
function checkJobId(jobId: string): void {
  if (jobId === '' || jobId.includes(':') || /^\d+$/.test(jobId))
    throw new AppError(
      'queue.bad_job_id',
      'internal',
      `Job id "${jobId}" cannot be used: use '.' or '-' as separators.`,
    );
}
