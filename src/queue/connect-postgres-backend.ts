import { createPostgresBackend, withBackend } from 'bullmq';
import pg from 'pg';
import { AppError } from '../errors.js';
import type { AnyQueue, AnyWorker, BullMqBackend } from './backend.js';
import { redactUrl } from './connect-redis-backend.js';

const CONNECT_TIMEOUT_MS = 5000;
/**
 * Each BullMQ queue and worker owns a pool plus one LISTEN connection; a small
 * pool keeps a handful of queues well inside the embedded server's limit.
 */
const POOL_SIZE = 3;

function unavailable(url: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError(
    'queue.unavailable',
    'transient',
    `PostgreSQL at ${redactUrl(url)} is not reachable for the job queue (${reason}). Jobs and timers cannot run until it is. Start the database or fix DATABASE_URL, or set REDIS_URL to run queues on Redis.`,
    { cause },
  );
}

/**
 * BullMQ's PostgreSQL backend in its own schema of the given database (a
 * real server or the embedded PGlite socket). The schema is created and
 * migrated on first use.
 */
export async function connectPostgresBackend(url: string, schema = 'bullmq'): Promise<BullMqBackend> {
  const { Queue, Worker } = withBackend(createPostgresBackend);
  const probe = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  probe.on('error', () => {});
  const ping = async (): Promise<void> => {
    try {
      await probe.query('select 1');
    } catch (err) {
      throw unavailable(url, err);
    }
  };
  try {
    await ping();
  } catch (err) {
    await probe.end();
    throw err;
  }
  const connection = {
    connectionString: url,
    schema,
    migrate: true,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };

  return {
    kind: 'postgres',
    newQueue(name) {
      return new Queue(name, { connection }) as unknown as AnyQueue;
    },
    newWorker(name, processor, concurrency) {
      return new Worker(name, processor, { connection, concurrency }) as unknown as AnyWorker;
    },
    ping,
    async close() {
      await probe.end();
    },
  };
}
