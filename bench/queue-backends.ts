/**
 * Pushes 1,000 jobs (100 delayed, 100 repeating an earlier job id) through
 * the job queue on each backend, ten at a time, and prints jobs/s. Checks on
 * the way that every distinct job ran exactly once. Needs Redis on 6379 and
 * PostgreSQL on 5432 (database `test`), as the integration tests do.
 *
 *   npx tsx bench/queue-backends.ts
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BullMqJobQueue } from '../src/queue/bullmq-job-queue.js';
import { createJobQueue } from '../src/queue/create-job-queue.js';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';

const TOTAL = 1000;
const DUPLICATES = 100;
const DELAYED = 100;
const CONCURRENCY = 10;
const TIMEOUT_MS = 120_000;
const runId = randomUUID().slice(0, 8);

async function bench(name: string, jobs: BullMqJobQueue): Promise<void> {
  const queue = `bench.${runId}`;
  const distinct = TOTAL - DUPLICATES;
  const runs = new Map<string, number>();
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  await jobs.process<{ i: number }>(
    queue,
    async (job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      if (runs.size === distinct) finished();
    },
    { concurrency: CONCURRENCY },
  );
  const started = performance.now();
  for (let batch = 0; batch < TOTAL; batch += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) => {
        const i = batch + k;
        const id = i >= distinct ? i - distinct : i;
        const delayMs = i % 10 === 5 ? 200 + (i % 500) : undefined;
        return jobs.enqueue(queue, 'bench.job', { i }, { jobId: `job.${id}`, delayMs });
      }),
    );
  }
  const enqueued = performance.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    allDone,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: only ${runs.size}/${distinct} jobs ran`)), TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  const elapsed = performance.now() - started;
  // Give a duplicate that slipped through time to show up before counting.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const twice = [...runs.values()].filter((n) => n > 1).length;
  console.log(
    `${name.padEnd(16)} ${String(Math.round((distinct * 1000) / elapsed)).padStart(6)} jobs/s  elapsed ${Math.round(elapsed)} ms  (enqueue ${Math.round(enqueued - started)} ms, ${DELAYED} delayed, ${runs.size} distinct ran, ${twice} ran twice)`,
  );
  if (twice > 0 || runs.size !== distinct) process.exitCode = 1;
}

async function main(): Promise<void> {
  console.log(`${TOTAL} jobs, ${DUPLICATES} duplicate ids, ${DELAYED} delayed, concurrency ${CONCURRENCY}`);
  const prefix = `bench-${runId}`;
  const redis = await createJobQueue({ redisUrl: 'redis://127.0.0.1:6379', prefix });
  await bench('redis', redis).finally(() => redis.close());
  const cleaner = new Redis('redis://127.0.0.1:6379');
  const keys = await cleaner.keys(`${prefix}:*`);
  if (keys.length > 0) await cleaner.del(...keys);
  await cleaner.quit();

  const url = 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${runId}`;
  const postgres = await createJobQueue({ postgresUrl: url, schema });
  await bench('postgres', postgres).finally(() => postgres.close());
  const client = new pg.Client(url);
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();

  const embedded = await startEmbeddedPostgres({ dataDir: 'memory://' });
  const pglite = await createJobQueue({ postgresUrl: embedded.connectionString });
  await bench('embedded pglite', pglite).finally(async () => {
    await pglite.close();
    await embedded.stop();
  });
}

await main();
