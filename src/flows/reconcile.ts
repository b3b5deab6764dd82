import type { FlowDeps } from './deps.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES } from './exceptions/jobs.js';
import { scheduleExceptionTimer } from './exceptions/sla.js';
import { ACTIVE_EXCEPTION_STATUSES } from './exceptions/types.js';
import { type ApplyDecisionJob, JOBS, jobId, QUEUES } from './jobs.js';
import { eachCasePage, eachExceptionPage } from './paged.js';
import { scheduleTimers } from './timers.js';

/** A decision untouched this long has lost its job (queue data lost, or a long outage). */
export const STUCK_DECISION_MS = 30 * 60 * 1000;

/**
 * A click recorded this long ago but never looked at: its job was probably
 * never queued (the queue failed right after the click was stored). It is
 * queued again under its own job id, which is a no-op if the job exists.
 */
export const UNQUEUED_DECISION_MS = 2 * 60 * 1000;

/**
 * Rebuilds queue work from the database, so losing the queue's data delays
 * things but loses nothing: unfinished decisions are queued again, open
 * cases without any posted card get their cards, and every stored deadline
 * gets its timer back.
 */
export async function reconcile(deps: FlowDeps): Promise<{ decisions: number; cases: number }> {
  const now = deps.clock.now();
  const unfinished = await deps.store.listUnfinishedDecisions(new Date(now.getTime() - UNQUEUED_DECISION_MS));
  const bucket = Math.floor(now.getTime() / STUCK_DECISION_MS);
  const stuck = [];
  for (const d of unfinished) {
    const old = now.getTime() - d.updatedAt.getTime() >= STUCK_DECISION_MS;
    // Recent and never started: the same id as the click's own job, so an existing job wins.
    // Old: a fresh id, because a job that gave up keeps its id for a week.
    if (!old && d.status !== 'queued') continue;
    stuck.push(d);
    await deps.queue.enqueue<ApplyDecisionJob>(
      QUEUES.decisions,
      JOBS.applyDecision,
      { decisionId: d.id, context: {} },
      { jobId: old ? jobId('decide', d.id, 'r', bucket) : jobId('decide', d.id) },
    );
  }
  let cases = 0;
  // Every open case, a page at a time: a backlog of thousands is all reconciled, never cut.
  for await (const page of eachCasePage(deps.store, { status: ['open', 'info_requested'] }))
    for (const c of page) {
      // Deadlines live with the case; re-queuing them is a no-op unless the queue lost them.
      await scheduleTimers(deps, c);
      if ((await deps.store.listPostedMessages(c.id)).length > 0) continue;
      if (now.getTime() - c.createdAt.getTime() < 60_000) continue;
      cases++;
      await deps.queue.enqueue(
        QUEUES.notify,
        JOBS.postCards,
        { caseId: c.id },
        { jobId: jobId('post', c.id, 'r', bucket) },
      );
    }
  let exceptions = 0;
  if (deps.exceptions) {
    for await (const page of eachExceptionPage(deps.exceptions, { status: [...ACTIVE_EXCEPTION_STATUSES] }))
      for (const item of page) {
        await scheduleExceptionTimer(deps, item);
        if ((await deps.exceptions.listPostedMessages(item.id)).length > 0) continue;
        if (now.getTime() - item.createdAt.getTime() < 60_000) continue;
        exceptions++;
        await deps.queue.enqueue(
          EXCEPTION_QUEUES.work,
          EXCEPTION_JOBS.postCards,
          { exceptionId: item.id },
          { jobId: jobId('exc-post', item.id, 'r', bucket) },
        );
      }
  }
  if (stuck.length || cases || exceptions)
    deps.log.info({ decisions: stuck.length, cases, exceptions }, 'reconciler re-queued work');
  return { decisions: stuck.length, cases };
}
