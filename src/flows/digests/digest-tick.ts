import { withTimeZone } from '../business-hours.js';
import type { FlowDeps } from '../deps.js';
import { exceptionDefinitions } from '../exceptions/exception-support.js';
import { jobId } from '../jobs.js';
import type { ApproverRef } from '../types.js';
import { dueDigestDate } from './digest-time.js';
import {
  type ApproverDigestJob,
  DIGEST_JOBS,
  DIGEST_QUEUE,
  digestKey,
  type ExceptionDigestJob,
  type FlowDigestJob,
} from './jobs.js';
import { activeExceptions } from './open-exceptions.js';
import { waitingCases, waitsOn } from './waiting-cases.js';

/** Whom the morning DM goes to: a name, an email to find their chat account, and their zone if known. */
type Recipient = Pick<ApproverRef, 'odooUserId' | 'name' | 'email' | 'tz'>;

/**
 * Everyone with something waiting on them: the deciders of waiting cases and
 * the assignees of assigned exceptions. A person's zone comes from the latest
 * case's copy of them (it holds their current res.users.tz), else from their
 * copy as an exception owner; without one the calendar's zone applies.
 */
async function recipients(deps: FlowDeps): Promise<Recipient[]> {
  const people = new Map<number, Recipient>();
  for (const c of await waitingCases(deps)) for (const a of waitsOn(c)) people.set(a.odooUserId, a);
  for (const item of await activeExceptions(deps)) {
    const who = item.assignee;
    if (item.status !== 'assigned' || !who || people.has(who.odooUserId)) continue;
    const owner = [...item.owners, ...item.escalated].find((o) => o.odooUserId === who.odooUserId);
    people.set(who.odooUserId, { ...who, tz: owner?.tz ?? null });
  }
  return [...people.values()];
}

/**
 * Runs every minute (a job scheduler, so in one process of the deployment):
 * enqueues each digest whose time has come in its zone today and that has
 * not gone out yet. The job id (`digest-<flow>-<date>`) stops two ticks from
 * queueing it twice; the checkpoint stops it after it was sent.
 */
export async function digestTick(deps: FlowDeps): Promise<{
  flows: FlowDigestJob[];
  exceptions: ExceptionDigestJob[];
  approvers: ApproverDigestJob[];
}> {
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
  const exceptions: ExceptionDigestJob[] = [];
  for (const def of deps.exceptions ? exceptionDefinitions(deps) : []) {
    if (!def.digest) continue;
    const date = dueDigestDate(deps.policy.calendar, def.digest.at, now);
    if (!date || (await deps.store.getCheckpoint(digestKey.exception(def.id, date)))) continue;
    const job: ExceptionDigestJob = { definitionId: def.id, date };
    await deps.queue.enqueue(DIGEST_QUEUE, DIGEST_JOBS.exception, job, { jobId: jobId('digest-exc', def.id, date) });
    exceptions.push(job);
  }
  const approvers: ApproverDigestJob[] = [];
  const dm = deps.policy.digests?.approverDm;
  if (dm) {
    for (const person of await recipients(deps)) {
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
  return { flows, exceptions, approvers };
}
