import { type Job, type JobsOptions, UnrecoverableError } from 'bullmq';
import { AppError, isAppError, isTransient } from '../errors.js';
import type { JobContext, JobOptions, JobQueue, Logger } from '../flows/ports.js';
import type { AnyQueue, AnyWorker, BullMqBackend } from './backend.js';

const DEFAULT_ATTEMPTS = 8;
const DEFAULT_BACKOFF_MS = 2000;
/** Completed jobs are kept a day so a repeated job id stays deduplicated that long. */
const KEEP_COMPLETED = { age: 86_400, count: 10_000 };
/** Failed jobs are kept a week for the operator to inspect. */
const KEEP_FAILED = { age: 7 * 86_400 };

/**
 * `JobQueue` on BullMQ, over Redis or PostgreSQL (see `createJobQueue`).
 * Retries follow the error's kind: a transient `AppError` is retried with
 * exponential backoff, anything else fails the job for good.
 */
export class BullMqJobQueue implements JobQueue {
  private readonly queues = new Map<string, AnyQueue>();
  private readonly workers: AnyWorker[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly backend: BullMqBackend,
    private readonly logger?: Logger,
  ) {}

  /** Which storage engine carries the queues, for logs and health output. */
  get backendKind(): 'redis' | 'postgres' {
    return this.backend.kind;
  }

  async enqueue<T>(queue: string, name: string, data: T, options: JobOptions = {}): Promise<void> {
    if (options.jobId !== undefined) checkJobId(options.jobId);
    const opts: JobsOptions = {
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: options.backoffMs ?? DEFAULT_BACKOFF_MS },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    };
    if (options.jobId !== undefined) opts.jobId = options.jobId;
    if (options.delayMs !== undefined && options.delayMs > 0) opts.delay = options.delayMs;
    await this.guard(() => this.queue(queue).add(name, data, opts));
  }

  async cancel(queue: string, jobId: string): Promise<boolean> {
    checkJobId(jobId);
    return this.guard(async () => {
      const job = await this.queue(queue).getJob(jobId);
      if (!job) return false;
      const state = await job.getState();
      if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
      try {
        await job.remove();
        return true;
      } catch {
        // A worker took it between the state check and the removal.
        return false;
      }
    });
  }

  async schedule(queue: string, schedulerId: string, everyMs: number, name: string, data: unknown): Promise<void> {
    checkJobId(schedulerId);
    await this.guard(() =>
      this.queue(queue).upsertJobScheduler(
        schedulerId,
        { every: everyMs },
        {
          name,
          data,
          opts: {
            attempts: DEFAULT_ATTEMPTS,
            backoff: { type: 'exponential', delay: DEFAULT_BACKOFF_MS },
            removeOnComplete: KEEP_COMPLETED,
            removeOnFail: KEEP_FAILED,
          },
        },
      ),
    );
  }

  async process<T>(
    queue: string,
    handler: (job: JobContext<T>) => Promise<void>,
    options: { concurrency?: number } = {},
  ): Promise<void> {
    if (this.closing) throw closedError();
    const log = this.logger?.child({ queue });
    const worker = this.backend.newWorker(
      queue,
      async (job: Job<unknown, unknown, string>) => {
        const context: JobContext<T> = {
          id: job.id ?? '',
          name: job.name,
          data: job.data as T,
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
        };
        try {
          await handler(context);
        } catch (err) {
          const fields = { jobId: context.id, queue, attempt: context.attempt, err };
          if (isTransient(err)) {
            const last = context.attempt >= context.maxAttempts;
            log?.[last ? 'error' : 'warn'](fields, last ? 'job failed, no attempts left' : 'job failed, will retry');
            throw err;
          }
          log?.error(fields, 'job failed for good (not a transient error)');
          const code = isAppError(err) ? err.code : 'internal.unexpected';
          const message = err instanceof Error ? err.message : String(err);
          throw new UnrecoverableError(`${code}: ${message}`);
        }
      },
      options.concurrency ?? 1,
    );
    // BullMQ emits 'error' for connection trouble; without a listener it would crash the process.
    worker.on('error', (err) => log?.error({ err }, 'queue worker error'));
    this.workers.push(worker);
    await this.guard(() => worker.waitUntilReady());
  }

  async ping(): Promise<void> {
    await this.backend.ping();
  }

  /** How many jobs of one queue are waiting (prioritized included), running, delayed and failed; for `/metrics`. */
  async jobCounts(queue: string): Promise<Record<'waiting' | 'active' | 'delayed' | 'failed', number>> {
    const c = await this.guard(() =>
      this.queue(queue).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
    );
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  private queuesClosed = false;

  async close(): Promise<void> {
    this.closing ??= this.shutdown();
    await this.closing;
  }

  private async shutdown(): Promise<void> {
    // Jobs still running may queue follow-up work (card refreshes): the queues
    // stay open until every worker has finished its active jobs.
    await Promise.allSettled(this.workers.map((w) => w.close()));
    this.queuesClosed = true;
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.workers.length = 0;
    this.queues.clear();
    await this.backend.close();
  }

  private queue(name: string): AnyQueue {
    if (this.queuesClosed) throw closedError();
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.backend.newQueue(name);
      queue.on('error', (err) => this.logger?.error({ err, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Maps a backend failure to `queue.unavailable` after checking it is one. */
  private async guard<R>(op: () => Promise<R>): Promise<R> {
    try {
      return await op();
    } catch (err) {
      if (isAppError(err)) throw err;
      await this.backend.ping();
      throw err;
    }
  }
}

function checkJobId(jobId: string): void {
  if (jobId.includes(':') || /^\d+$/.test(jobId) || jobId === '') {
    throw new AppError(
      'queue.bad_job_id',
      'internal',
      `Job id "${jobId}" cannot be used: BullMQ refuses custom ids that are empty, contain ':' or are plain integers. Build ids with '.' or '-' as separators (for example "decision.42").`,
      { details: { jobId } },
    );
  }
}

function closedError(): AppError {
  return new AppError(
    'queue.closed',
    'internal',
    'The job queue was used after close(); create a new one (this is a bug in the caller).',
  );
}
