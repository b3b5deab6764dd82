import type { ExceptionActionRequest } from './types.js';

/**
 * Queues and job names of exceptions, defined once. They are separate from
 * the approval queues because a queue is bound to one handler per process.
 */
export const EXCEPTION_QUEUES = {
  work: 'chatops.exceptions',
  timers: 'chatops.exception-timers',
} as const;

export const EXCEPTION_JOBS = {
  ingest: 'exception.ingest',
  poll: 'exception.poll',
  postCards: 'exception.cards_post',
  refreshCards: 'exception.cards_refresh',
  act: 'exception.act',
  sla: 'exception.sla',
  wake: 'exception.wake',
} as const;

export interface ExceptionIngestJob {
  definitionId: string;
  model: string;
  id: number;
  writeDate: string | null;
  source: 'webhook' | 'poll';
}

export interface ExceptionPollJob {
  definitionId: string;
}

export interface ExceptionCardsJob {
  exceptionId: string;
  notice?: string | null;
}

export type ExceptionActJob = ExceptionActionRequest;

/** SLA breach or end of a snooze; a timer whose `dueAt` is no longer stored does nothing. */
export interface ExceptionTimerJob {
  exceptionId: string;
  dueAt: string;
}
