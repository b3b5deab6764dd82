import type { IQueueBackend, JobProgress, Processor, Queue, Worker } from 'bullmq';

/** A BullMQ queue whatever its backend (Redis or PostgreSQL). */
export type AnyQueue = Queue<unknown, unknown, string, unknown, unknown, string, IQueueBackend, unknown>;
/** A BullMQ worker whatever its backend (Redis or PostgreSQL). */
export type AnyWorker = Worker<unknown, unknown, string, IQueueBackend, JobProgress, unknown>;

/**
 * What `BullMqJobQueue` needs from a storage engine: BullMQ's classes bound to
 * one backend and connection, a reachability check and a clean shutdown of the
 * connections the backend owns (queues and workers close their own).
 */
export interface BullMqBackend {
  readonly kind: 'redis' | 'postgres';
  newQueue(name: string): AnyQueue;
  newWorker(name: string, processor: Processor<unknown, unknown, string>, concurrency: number): AnyWorker;
  /** Throws `queue.unavailable` (transient) when the backend cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
