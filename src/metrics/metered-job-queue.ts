import { isTransient } from '../errors.js';
import type { JobContext, JobOptions, JobQueue } from '../flows/ports.js';
import type { JobResult } from './prom-metrics.js';

/**
 * A `JobQueue` that counts every job its handlers run (by queue, job name
 * and result) and remembers which queues this process works on, for the
 * backlog gauge. Everything else passes straight through.
 */
export class MeteredJobQueue implements JobQueue {
  private readonly processed = new Set<string>();

  constructor(
    private readonly inner: JobQueue,
    private readonly metrics: { job(queue: string, job: string, result: JobResult, seconds: number): void },
  ) {}

  /** The queues this process has handlers for. */
  queues(): string[] {
    return [...this.processed];
  }

  enqueue<T>(queue: string, name: string, data: T, options?: JobOptions): Promise<void> {
    return this.inner.enqueue(queue, name, data, options);
  }

  cancel(queue: string, jobId: string): Promise<boolean> {
    return this.inner.cancel(queue, jobId);
  }

  schedule(queue: string, schedulerId: string, everyMs: number, name: string, data: unknown): Promise<void> {
    return this.inner.schedule(queue, schedulerId, everyMs, name, data);
  }

  process<T>(
    queue: string,
    handler: (job: JobContext<T>) => Promise<void>,
    options?: { concurrency?: number },
  ): Promise<void> {
    this.processed.add(queue);
    return this.inner.process<T>(
      queue,
      async (job) => {
        const started = performance.now();
        const done = (result: JobResult) =>
          this.metrics.job(queue, job.name, result, (performance.now() - started) / 1000);
        try {
          await handler(job);
        } catch (err) {
          // The queue retries transient errors while attempts are left (see JobQueue).
          done(isTransient(err) && job.attempt < job.maxAttempts ? 'retried' : 'failed');
          throw err;
        }
        done('completed');
      },
      options,
    );
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
