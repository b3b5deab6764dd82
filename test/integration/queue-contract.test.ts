import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { JobContext, JobQueue } from '../../src/flows/ports.js';
import type { BullMqJobQueue } from '../../src/queue/bullmq-job-queue.js';
import { createJobQueue } from '../../src/queue/create-job-queue.js';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const runId = randomUUID().slice(0, 8);

/** One way of getting a JobQueue; `make` may be called again to simulate a restart. */
interface BackendFixture {
  start(): Promise<void>;
  make(): Promise<BullMqJobQueue>;
  stop(): Promise<void>;
}

function redisFixture(): BackendFixture {
  const prefix = `test-${runId}`;
  return {
    async start() {},
    make: () => createJobQueue({ redisUrl: REDIS_URL, prefix }),
    async stop() {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

function postgresFixture(): BackendFixture {
  const schema = `queue_test_${runId}`;
  return {
    async start() {},
    make: () => createJobQueue({ postgresUrl: POSTGRES_URL, schema }),
    async stop() {
      const client = new pg.Client(POSTGRES_URL);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

function embeddedFixture(): BackendFixture {
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  return {
    async start() {
      server = await startEmbeddedPostgres({ dataDir: 'memory://' });
    },
    make: () => createJobQueue({ postgresUrl: server?.connectionString ?? '', schema: 'bullmq' }),
    async stop() {
      await server?.stop();
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function socketCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

describe.each([
  ['redis', redisFixture],
  ['postgres', postgresFixture],
  ['embedded pglite', embeddedFixture],
])('JobQueue contract on %s', (_name, makeFixture) => {
  const fixture = makeFixture();
  let jobs: JobQueue;
  const queueName = () => `q.${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await fixture.start();
    jobs = await fixture.make();
  }, 30_000);

  afterAll(async () => {
    await jobs?.close();
    await fixture.stop();
  }, 30_000);

  it('answers ping', async () => {
    await expect(jobs.ping()).resolves.toBeUndefined();
  });

  it('runs a job with its name, data and attempt', async () => {
    const queue = queueName();
    const seen: JobContext<{ n: number }>[] = [];
    await jobs.process<{ n: number }>(queue, async (job) => {
      seen.push(job);
    });
    await jobs.enqueue(queue, 'thing.happened', { n: 1 });
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ name: 'thing.happened', data: { n: 1 }, attempt: 1, maxAttempts: 8 });
  });

  it('runs a duplicate job id once, even after the first has completed', async () => {
    const queue = queueName();
    let runs = 0;
    await jobs.enqueue(queue, 'dup', { v: 1 }, { jobId: 'case.1' });
    await jobs.enqueue(queue, 'dup', { v: 2 }, { jobId: 'case.1' });
    await jobs.process(queue, async () => {
      runs++;
    });
    await waitFor(() => runs === 1);
    await jobs.enqueue(queue, 'dup', { v: 3 }, { jobId: 'case.1' });
    await sleep(500);
    expect(runs).toBe(1);
  });

  it('refuses a job id BullMQ cannot store', async () => {
    await expect(jobs.enqueue(queueName(), 'x', {}, { jobId: 'case:1' })).rejects.toMatchObject({
      code: 'queue.bad_job_id',
      kind: 'internal',
    });
  });

  it('runs a delayed job after its delay', async () => {
    const queue = queueName();
    let ranAt = 0;
    await jobs.process(queue, async () => {
      ranAt = Date.now();
    });
    const enqueuedAt = Date.now();
    await jobs.enqueue(queue, 'later', {}, { delayMs: 300 });
    await waitFor(() => ranAt > 0);
    expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(280);
  });

  it('cancels a delayed job, and says when there was nothing to cancel', async () => {
    const queue = queueName();
    let runs = 0;
    await jobs.enqueue(queue, 'later', {}, { jobId: 'timer.1', delayMs: 300 });
    await expect(jobs.cancel(queue, 'timer.1')).resolves.toBe(true);
    await expect(jobs.cancel(queue, 'timer.1')).resolves.toBe(false);
    await expect(jobs.cancel(queue, 'never.enqueued')).resolves.toBe(false);
    await jobs.process(queue, async () => {
      runs++;
    });
    await sleep(800);
    expect(runs).toBe(0);
  });

  it('retries a transient error with backoff until it succeeds', async () => {
    const queue = queueName();
    const attempts: number[] = [];
    let done = false;
    await jobs.process(queue, async (job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new AppError('odoo.unreachable', 'transient', 'Odoo is down');
      done = true;
    });
    await jobs.enqueue(queue, 'flaky', {}, { backoffMs: 50 });
    await waitFor(() => done);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('does not retry a non-transient error', async () => {
    const queue = queueName();
    let runs = 0;
    await jobs.process(queue, async () => {
      runs++;
      throw new AppError('odoo.access_error', 'forbidden', 'not allowed');
    });
    await jobs.enqueue(queue, 'doomed', {}, { backoffMs: 50 });
    await waitFor(() => runs === 1);
    await sleep(600);
    expect(runs).toBe(1);
  });

  it('runs a scheduled job repeatedly', async () => {
    const queue = queueName();
    const seen: string[] = [];
    await jobs.process(queue, async (job) => {
      seen.push(job.name);
    });
    await jobs.schedule(queue, 'reconcile', 300, 'reconcile.run', { full: false });
    await waitFor(() => seen.length >= 2, 15_000);
    expect(seen.every((name) => name === 'reconcile.run')).toBe(true);
  }, 20_000);

  it('keeps a delayed job across a restart', async () => {
    const queue = queueName();
    const first = await fixture.make();
    await first.enqueue(queue, 'timer', { caseId: 'c1' }, { jobId: 'timer.restart', delayMs: 300 });
    await first.close();
    const second = await fixture.make();
    try {
      const seen: unknown[] = [];
      await second.process(queue, async (job) => {
        seen.push(job.data);
      });
      await waitFor(() => seen.length === 1);
      expect(seen).toEqual([{ caseId: 'c1' }]);
    } finally {
      await second.close();
    }
  }, 20_000);

  it('runs 200 jobs ten at a time, each distinct id once', async () => {
    const queue = queueName();
    const runs = new Map<string, number>();
    await jobs.process(
      queue,
      async (job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      },
      { concurrency: 10 },
    );
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        jobs.enqueue(queue, 'load', { i }, { jobId: `load.${i % 180}`, delayMs: i % 10 === 3 ? 200 : undefined }),
      ),
    );
    await waitFor(() => runs.size === 180, 20_000);
    await sleep(300);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  }, 30_000);

  it('closes without leaving sockets open', async () => {
    const before = socketCount();
    const extra = await fixture.make();
    const queue = queueName();
    let runs = 0;
    await extra.process(queue, async () => {
      runs++;
    });
    await extra.enqueue(queue, 'one', {});
    await waitFor(() => runs === 1);
    await extra.close();
    await waitFor(() => socketCount() <= before, 3000);
  }, 20_000);
});

describe('createJobQueue when the backend is unreachable', () => {
  it('names REDIS_URL', async () => {
    await expect(createJobQueue({ redisUrl: 'redis://127.0.0.1:1' })).rejects.toMatchObject({
      code: 'queue.unavailable',
      kind: 'transient',
      message: expect.stringContaining('REDIS_URL'),
    });
  });

  it('names DATABASE_URL', async () => {
    await expect(createJobQueue({ postgresUrl: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toMatchObject({
      code: 'queue.unavailable',
      kind: 'transient',
      message: expect.stringContaining('DATABASE_URL'),
    });
  });
});
