import type { FlowDeps } from '../deps.js';
import { actOnException } from './act-on-exception.js';
import { fireSla } from './escalate-exception.js';
import { postExceptionCards, refreshExceptionCards } from './exception-cards.js';
import { exceptionDeps } from './exception-support.js';
import { ingestException, pollExceptions } from './ingest-exception.js';
import {
  EXCEPTION_JOBS,
  EXCEPTION_QUEUES,
  type ExceptionActJob,
  type ExceptionCardsJob,
  type ExceptionIngestJob,
  type ExceptionPollJob,
  type ExceptionTimerJob,
} from './jobs.js';
import { wakeException } from './snooze-exception.js';

/** How often the poll schedules are re-asserted (they vanish if the queue backend loses its data). */
const SCHEDULE_REFRESH_MS = 5 * 60 * 1000;

type WorkJob = ExceptionIngestJob | ExceptionPollJob | ExceptionCardsJob | ExceptionActJob;

/**
 * Binds the exception queues to their use cases and schedules one poll per
 * Odoo-sourced definition. Returns a function that stops re-asserting the
 * schedules. Does nothing without an exception store.
 */
export async function registerExceptionWorkers(
  flowDeps: FlowDeps,
  settings: { pollIntervalMs: number },
): Promise<() => void> {
  if (!flowDeps.exceptions) return () => {};
  const deps = exceptionDeps(flowDeps);
  const { queue } = deps;
  await queue.process<WorkJob>(
    EXCEPTION_QUEUES.work,
    async (job) => {
      if (job.name === EXCEPTION_JOBS.ingest) await ingestException(deps, job.data as ExceptionIngestJob);
      else if (job.name === EXCEPTION_JOBS.poll)
        await pollExceptions(deps, (job.data as ExceptionPollJob).definitionId);
      else if (job.name === EXCEPTION_JOBS.postCards)
        await postExceptionCards(deps, (job.data as ExceptionCardsJob).exceptionId);
      else if (job.name === EXCEPTION_JOBS.refreshCards) {
        const data = job.data as ExceptionCardsJob;
        await refreshExceptionCards(deps, data.exceptionId, data.notice);
      } else if (job.name === EXCEPTION_JOBS.act) await actOnException(deps, job.data as ExceptionActJob);
    },
    { concurrency: 4 },
  );
  await queue.process<ExceptionTimerJob>(
    EXCEPTION_QUEUES.timers,
    async (job) => {
      if (job.name === EXCEPTION_JOBS.sla) await fireSla(deps, job.data);
      else if (job.name === EXCEPTION_JOBS.wake) await wakeException(deps, job.data);
    },
    { concurrency: 2 },
  );
  const schedule = async () => {
    for (const def of deps.policy.exceptions ?? []) {
      if (!def.odoo) continue;
      await queue.schedule(EXCEPTION_QUEUES.work, `exc-poll.${def.id}`, settings.pollIntervalMs, EXCEPTION_JOBS.poll, {
        definitionId: def.id,
      } satisfies ExceptionPollJob);
    }
  };
  await schedule();
  const timer = setInterval(() => {
    schedule().catch((err: unknown) => deps.log.warn({ err }, 'could not refresh the exception poll schedules'));
  }, SCHEDULE_REFRESH_MS);
  timer.unref();
  return () => clearInterval(timer);
}
