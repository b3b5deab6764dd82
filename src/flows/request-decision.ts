import type { FlowDeps } from './deps.js';
import { type ApplyDecisionJob, JOBS, jobId, QUEUES } from './jobs.js';
import type { NewDecision } from './ports.js';
import type { Decision } from './types.js';

/** What the person is told when their click is stored but the queue is down. */
export const RECORDED_NOT_QUEUED =
  "Your decision is recorded, but the bot's queue is not answering: it will be applied within a few minutes, once the queue is back. No need to click again.";

/**
 * A click arrived. Record it durably and queue it; the chat adapter answers
 * the platform right after. A retried or replayed request carries the same
 * idempotency key and changes nothing.
 */
export async function requestDecision(
  deps: Pick<FlowDeps, 'store' | 'audit' | 'queue' | 'log'>,
  input: NewDecision,
  context: ApplyDecisionJob['context'],
): Promise<{ created: boolean; decision: Decision; queued: boolean }> {
  const { created, decision } = await deps.store.recordDecision(input);
  if (created) {
    await deps.audit.append({
      type: 'decision.requested',
      caseId: input.caseId,
      actor: `${input.actor.platform}:${input.actor.userId}`,
      data: { decisionId: decision.id, action: input.action, reason: input.reason, cardWriteDate: input.cardWriteDate },
    });
  }
  try {
    await deps.queue.enqueue<ApplyDecisionJob>(
      QUEUES.decisions,
      JOBS.applyDecision,
      { decisionId: decision.id, context },
      { jobId: jobId('decide', decision.id) },
    );
  } catch (err) {
    // The click is stored: the reconciler queues it once the queue answers again.
    // Only a failure to store it (above) means nothing was recorded.
    deps.log.warn({ caseId: input.caseId, err }, 'decision recorded but not queued; the reconciler will queue it');
    return { created, decision, queued: false };
  }
  return { created, decision, queued: true };
}
