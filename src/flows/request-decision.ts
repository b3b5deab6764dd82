import type { FlowDeps } from './deps.js';
import { type ApplyDecisionJob, JOBS, jobId, QUEUES } from './jobs.js';
import type { NewDecision } from './ports.js';
import type { Decision } from './types.js';

/**
 * A click arrived. Record it durably and queue it; the chat adapter answers
 * the platform right after. A retried or replayed request carries the same
 * idempotency key and changes nothing.
 */
export async function requestDecision(
  deps: Pick<FlowDeps, 'store' | 'audit' | 'queue'>,
  input: NewDecision,
  context: ApplyDecisionJob['context'],
): Promise<{ created: boolean; decision: Decision }> {
  const { created, decision } = await deps.store.recordDecision(input);
  if (created) {
    await deps.audit.append({
      type: 'decision.requested',
      caseId: input.caseId,
      actor: `${input.actor.platform}:${input.actor.userId}`,
      data: { decisionId: decision.id, action: input.action, reason: input.reason, cardWriteDate: input.cardWriteDate },
    });
  }
  await deps.queue.enqueue<ApplyDecisionJob>(
    QUEUES.decisions,
    JOBS.applyDecision,
    { decisionId: decision.id, context },
    { jobId: jobId('decide', decision.id) },
  );
  return { created, decision };
}
