import { applyDecision } from '../flows/apply-decision.js';
import { answerQuestion, askQuestion, forwardCase } from '../flows/case-actions.js';
import type { FlowDeps } from '../flows/deps.js';
import { registerDigestWorkers } from '../flows/digests/digest-workers.js';
import { registerExceptionWorkers } from '../flows/exceptions/exception-workers.js';
import { fireTimer, type PersonalReminderJob, remindPerson } from '../flows/fire-timer.js';
import { ingestRecord } from '../flows/ingest-record.js';
import {
  type ApplyDecisionJob,
  type CardsJob,
  type CaseActionJob,
  type IngestRecordJob,
  JOBS,
  type PollFlowJob,
  QUEUES,
} from '../flows/jobs.js';
import { pollFlow } from '../flows/poll-flow.js';
import { postCards } from '../flows/post-cards.js';
import { reconcile } from '../flows/reconcile.js';
import { refreshCards } from '../flows/refresh-cards.js';
import { summarizeCase } from '../flows/summarize-case.js';
import { AI_QUEUE, SUMMARIZE_JOB, type SummarizeCaseJob } from '../flows/summary-job.js';
import type { TimerJob } from '../flows/timers.js';

export interface WorkerSettings {
  pollIntervalMs: number;
  reconcileIntervalMs: number;
}

/** How often a worker re-asserts the poller and reconciler schedules (they vanish if Redis loses its data). */
export const SCHEDULE_REFRESH_MS = 5 * 60 * 1000;

/**
 * Binds each queue to its use cases and schedules the poller and reconciler.
 * Returns a function that stops the schedule refresher.
 */
export async function registerWorkers(deps: FlowDeps, settings: WorkerSettings): Promise<() => void> {
  const { queue } = deps;
  await queue.process<IngestRecordJob>(
    QUEUES.events,
    async (job) => {
      if (job.name === JOBS.ingestRecord) await ingestRecord(deps, job.data, job.attempt);
    },
    { concurrency: 8 },
  );
  await queue.process<CardsJob>(
    QUEUES.notify,
    async (job) => {
      if (job.name === JOBS.postCards) await postCards(deps, job.data.caseId);
      else if (job.name === JOBS.refreshCards) await refreshCards(deps, job.data.caseId, job.data.notice);
    },
    { concurrency: 4 },
  );
  // AI drafts on their own queue: a slow provider holds up nothing else.
  if (deps.context?.summarizer)
    await queue.process<SummarizeCaseJob>(
      AI_QUEUE,
      async (job) => {
        if (job.name === SUMMARIZE_JOB) await summarizeCase(deps, job.data);
      },
      { concurrency: 2 },
    );
  await queue.process<ApplyDecisionJob | CaseActionJob>(
    QUEUES.decisions,
    async (job) => {
      if (job.name === JOBS.applyDecision)
        await applyDecision(deps, job.data as ApplyDecisionJob, { attempt: job.attempt, maxAttempts: job.maxAttempts });
      else if (job.name === JOBS.askQuestion) await askQuestion(deps, job.data as CaseActionJob);
      else if (job.name === JOBS.answerQuestion) await answerQuestion(deps, job.data as CaseActionJob);
      else if (job.name === JOBS.forwardCase) await forwardCase(deps, job.data as CaseActionJob);
    },
    { concurrency: 4 },
  );
  await queue.process<TimerJob | PersonalReminderJob>(
    QUEUES.timers,
    async (job) => {
      if (job.name === JOBS.fireTimer) await fireTimer(deps, job.data as TimerJob);
      else if (job.name === JOBS.remindPerson) await remindPerson(deps, job.data as PersonalReminderJob);
    },
    { concurrency: 4 },
  );
  await queue.process<PollFlowJob | Record<string, never>>(
    QUEUES.maintenance,
    async (job) => {
      if (job.name === JOBS.pollFlow) await pollFlow(deps, (job.data as PollFlowJob).flowId);
      else if (job.name === JOBS.reconcile) await reconcile(deps);
    },
    { concurrency: 2 },
  );
  const schedule = async () => {
    for (const flow of deps.policy.approvals) {
      await queue.schedule(QUEUES.maintenance, `poll.${flow.id}`, settings.pollIntervalMs, JOBS.pollFlow, {
        flowId: flow.id,
      } satisfies PollFlowJob);
    }
    await queue.schedule(QUEUES.maintenance, 'reconcile', settings.reconcileIntervalMs, JOBS.reconcile, {});
    await scheduleDigests();
  };
  const scheduleDigests = await registerDigestWorkers(deps);
  await schedule();
  // Upserting a schedule is idempotent, so re-asserting it is cheap and heals a flushed Redis.
  const timer = setInterval(() => {
    schedule().catch((err: unknown) => deps.log.warn({ err }, 'could not refresh the poller and reconciler schedules'));
  }, SCHEDULE_REFRESH_MS);
  timer.unref();
  const stopExceptions = await registerExceptionWorkers(deps, settings);
  return () => {
    clearInterval(timer);
    stopExceptions();
  };
}
