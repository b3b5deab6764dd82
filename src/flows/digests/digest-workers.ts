import type { FlowDeps } from '../deps.js';
import { exceptionDefinitions } from '../exceptions/exception-support.js';
import { digestTick } from './digest-tick.js';
import {
  type ApproverDigestJob,
  DIGEST_JOBS,
  DIGEST_QUEUE,
  DIGEST_TICK_ID,
  DIGEST_TICK_MS,
  type ExceptionDigestJob,
  type FlowDigestJob,
} from './jobs.js';
import { sendApproverDigest } from './send-approver-digest.js';
import { sendExceptionDigest } from './send-exception-digest.js';
import { sendFlowDigest } from './send-flow-digest.js';

/** True when the policy asks for any digest (of a flow, of an exception definition, or approver DMs). */
export function digestsConfigured(deps: Pick<FlowDeps, 'policy'>): boolean {
  return (
    !!deps.policy.digests?.approverDm ||
    deps.policy.approvals.some((f) => f.digest) ||
    exceptionDefinitions(deps).some((e) => e.digest)
  );
}

/**
 * Binds the digest queue and, when the policy asks for digests, schedules
 * the minute tick. The queue is always bound so ticks left by an earlier
 * policy are drained (they find nothing to do). `schedule` is idempotent;
 * the returned function re-asserts it (call it from the schedule refresher).
 */
export async function registerDigestWorkers(deps: FlowDeps): Promise<() => Promise<void>> {
  await deps.queue.process<FlowDigestJob | ExceptionDigestJob | ApproverDigestJob | Record<string, never>>(
    DIGEST_QUEUE,
    async (job) => {
      if (job.name === DIGEST_JOBS.tick) await digestTick(deps);
      else if (job.name === DIGEST_JOBS.flow) await sendFlowDigest(deps, job.data as FlowDigestJob);
      else if (job.name === DIGEST_JOBS.exception) await sendExceptionDigest(deps, job.data as ExceptionDigestJob);
      else if (job.name === DIGEST_JOBS.approver) await sendApproverDigest(deps, job.data as ApproverDigestJob);
    },
    { concurrency: 2 },
  );
  const schedule = async () => {
    if (digestsConfigured(deps))
      await deps.queue.schedule(DIGEST_QUEUE, DIGEST_TICK_ID, DIGEST_TICK_MS, DIGEST_JOBS.tick, {});
  };
  await schedule();
  return schedule;
}
