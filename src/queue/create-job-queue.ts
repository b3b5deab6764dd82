import { AppError } from '../errors.js';
import type { Logger } from '../flows/ports.js';
import { BullMqJobQueue } from './bullmq-job-queue.js';
import { connectPostgresBackend } from './connect-postgres-backend.js';
import { connectRedisBackend } from './connect-redis-backend.js';

export interface CreateJobQueueOptions {
  /** Redis is the backend to scale on; when set it wins over `postgresUrl`. */
  redisUrl?: string;
  /** PostgreSQL (a real server or the embedded PGlite socket) when there is no Redis. */
  postgresUrl?: string;
  /** PostgreSQL schema for BullMQ's tables, kept apart from the store's. */
  schema?: string;
  /** Redis key prefix, so several deployments can share one Redis. */
  prefix?: string;
  logger?: Logger;
}

/**
 * Builds the job queue on Redis when `redisUrl` is given, else on PostgreSQL.
 * Fails at once with `queue.unavailable` when the backend cannot be reached.
 */
export async function createJobQueue(options: CreateJobQueueOptions): Promise<BullMqJobQueue> {
  if (options.redisUrl) {
    return new BullMqJobQueue(await connectRedisBackend(options.redisUrl, options.prefix), options.logger);
  }
  if (options.postgresUrl) {
    return new BullMqJobQueue(await connectPostgresBackend(options.postgresUrl, options.schema), options.logger);
  }
  throw new AppError(
    'queue.not_configured',
    'internal',
    'No backend for the job queue: set REDIS_URL, or DATABASE_URL, or keep the embedded database on (this is a wiring bug if config passed neither).',
  );
}
