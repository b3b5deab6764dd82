import { withTimeZone } from '../business-hours.js';
import type { FlowDeps } from '../deps.js';
import { jobId } from '../jobs.js';
import type { ApproverRef } from '../types.js';
import { dueDigestDate } from './digest-time.js';
import { type ApproverDigestJob, DIGEST_JOBS, DIGEST_QUEUE, digestKey, type FlowDigestJob } from './jobs.js';
import { waitingCases, waitsOn } from './waiting-cases.js';

/**
 * Runs every minute (a job scheduler, so in one process of the deployment):
 * enqueues each digest whose time has come in its zone today and that has
 * not gone out yet. The job id (`digest-<flow>-<date>`) stops two ticks from
 * queueing it twice; the checkpoint stops it after it was sent.
 */
export async function digestTick(deps: FlowDeps): Promise<{ flows: FlowDigestJob[]; approvers: ApproverDigestJob[] }> {
  const now = deps.clock.now();
  const flows: FlowDigestJob[] = [];
  for (const flow of deps.policy.approvals) {
    if (!flow.digest) continue;
    const date = dueDigestDate(deps.policy.calendar, flow.digest.at, now);
    if (!date || (await deps.store.getCheckpoint(digestKey.flow(flow.id, date)))) continue;
    const job: FlowDigestJob = { flowId: flow.id, date };
    await deps.queue.enqueue(DIGEST_QUEUE, DIGEST_JOBS.flow, job, { jobId: jobId('digest', flow.id, date) });
    flows.push(job);
  }
  const approvers: ApproverDigestJob[] = [];
  const dm = deps.policy.digests?.approverDm;
  if (dm) {
    // The latest case's copy of a person wins: it holds their current res.users.tz.
    const people = new Map<number, ApproverRef>();
    for (const c of await waitingCases(deps)) for (const a of waitsOn(c)) people.set(a.odooUserId, a);
    for (const person of people.values()) {
      const calendar = withTimeZone(deps.policy.calendar, person.tz ?? null);
      const date = dueDigestDate(calendar, dm.at, now);
      if (!date || (await deps.store.getCheckpoint(digestKey.approver(person.odooUserId, date)))) continue;
      const job: ApproverDigestJob = { odooUserId: person.odooUserId, date, timeZone: calendar.timeZone };
      await deps.queue.enqueue(DIGEST_QUEUE, DIGEST_JOBS.approver, job, {
        jobId: jobId('digest-dm', person.odooUserId, date),
      });
      approvers.push(job);
    }
  }
  return { flows, approvers };
}
