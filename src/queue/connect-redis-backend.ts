import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError } from '../errors.js';
import type { AnyQueue, AnyWorker, BullMqBackend } from './backend.js';

const PING_TIMEOUT_MS = 3000;

function unavailable(url: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError(
    'queue.unavailable',
    'transient',
    `Redis at ${redactUrl(url)} is not reachable (${reason}). Jobs and timers cannot run until it is. Start Redis or fix REDIS_URL; unset REDIS_URL to keep queues in PostgreSQL instead.`,
    { cause },
  );
}

/** Hides a password in a connection URL so it can be logged and shown. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

async function pingWithTimeout(client: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects to Redis and checks it answers before any queue is built, so a
 * wrong REDIS_URL stops the start with a clear message instead of retrying
 * forever in the background.
 */
export async function connectRedisBackend(url: string, prefix = 'chatops'): Promise<BullMqBackend> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await pingWithTimeout(probe, PING_TIMEOUT_MS);
  } catch (err) {
    probe.disconnect();
    throw unavailable(url, err);
  }
  await probe.quit();

  // Producers fail fast (an enqueue during an outage is an error the caller
  // can retry); workers must wait forever for Redis to come back, which BullMQ
  // requires (`maxRetriesPerRequest: null`).
  const producer = new Redis(url, { maxRetriesPerRequest: 1 });
  const consumer = new Redis(url, { maxRetriesPerRequest: null });
  for (const client of [producer, consumer]) client.on('error', () => {});

  return {
    kind: 'redis',
    newQueue(name) {
      return new Queue(name, { connection: producer, prefix }) as unknown as AnyQueue;
    },
    newWorker(name, processor, concurrency) {
      return new Worker(name, processor, { connection: consumer, prefix, concurrency }) as unknown as AnyWorker;
    },
    async ping() {
      try {
        await pingWithTimeout(producer, PING_TIMEOUT_MS);
      } catch (err) {
        throw unavailable(url, err);
      }
    },
    async close() {
      await Promise.all([producer, consumer].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
