import { AppError, isTransient } from '../errors.js';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isWorkingTime,
  nextWorkingInstant,
  withTimeZone,
} from './business-hours.js';
import { tellOdooUser } from './chats.js';
import { refresh, threadReply } from './decision-support.js';
import type { FlowDeps } from './deps.js';
import { escapeHtml, listNames } from './format.js';
import { type CardsJob, JOBS, jobId, QUEUES } from './jobs.js';
import { metricsOf } from './metrics-port.js';
import { performAction } from './perform-action.js';
import type { ApprovalFlow } from './policy.js';
import { recordMatches } from './record-matches.js';
import { dedupe, resolveSource, withDelegates } from './resolve-approvers.js';
import { currentTier } from './tiers.js';
import { scheduleTimers, type TimerJob, timerIsCurrent, timerSettings } from './timers.js';
import type { Case } from './types.js';

function waited(deps: FlowDeps, c: Case): string {
  const since = new Date(c.tiers[c.currentTier]?.startedAt ?? c.createdAt.toISOString());
  const minutes = businessMinutesBetween(deps.policy.calendar, since, deps.clock.now());
  const hours = Math.floor(minutes / 60);
  return hours >= 1 ? `${hours} business hour${hours === 1 ? '' : 's'}` : `${minutes} business minutes`;
}

export interface PersonalReminderJob {
  caseId: string;
  tier: number;
  odooUserId: number;
  text: string;
}

async function dmApprover(deps: FlowDeps, email: string | null, text: string): Promise<void> {
  await tellOdooUser(deps, email, `${text} Please approve or reject it from the card.`);
}

/** A reminder held back until the approver's own working hours: sent only if they still have to act. */
export async function remindPerson(deps: FlowDeps, job: PersonalReminderJob): Promise<void> {
  const c = await deps.store.getCase(job.caseId);
  if (!c || (c.status !== 'open' && c.status !== 'info_requested') || c.currentTier !== job.tier) return;
  const tier = currentTier(c);
  const person = c.approvers.find((a) => a.odooUserId === job.odooUserId);
  if (!tier || !person || tier.approvals.some((x) => x.odooUserId === job.odooUserId)) return;
  await dmApprover(deps, person.email, job.text);
}

/** Saves with the optimistic version; a conflict retries the whole job. */
async function save(deps: FlowDeps, c: Case): Promise<Case> {
  const saved = await deps.store.saveCase(c);
  if (!saved)
    throw new AppError('case.conflict', 'transient', `case ${c.id} changed while a timer fired; trying again`);
  return saved;
}

async function remind(deps: FlowDeps, flow: ApprovalFlow, c: Case): Promise<void> {
  const tier = currentTier(c)!;
  const settings = timerSettings(flow, tier.name)?.remind;
  const now = deps.clock.now();
  const pending = c.approvers.filter(
    (a) => !tier.approvals.some((x) => x.odooUserId === a.odooUserId) && !c.requesterIds.includes(a.odooUserId),
  );
  const next = settings?.everyMinutes
    ? addBusinessMinutes(deps.policy.calendar, now, settings.everyMinutes).toISOString()
    : null;
  const saved = await save(deps, { ...c, timers: { ...c.timers, remindAt: next, reminders: c.timers.reminders + 1 } });
  const text = `Reminder: ${c.snapshot.reference} has waited ${waited(deps, c)} for ${listNames(pending.map((a) => a.name))}.`;
  for (const a of pending) {
    // Each approver is reminded in their own working hours (res.users.tz), not at 3 a.m.
    const own = withTimeZone(deps.policy.calendar, a.tz ?? null);
    if (a.tz && !isWorkingTime(own, now)) {
      const at = nextWorkingInstant(own, now);
      await deps.queue.enqueue<PersonalReminderJob>(
        QUEUES.timers,
        JOBS.remindPerson,
        { caseId: c.id, tier: c.currentTier, odooUserId: a.odooUserId, text },
        {
          jobId: jobId('remind', c.id, c.currentTier, a.odooUserId, saved.timers.reminders),
          delayMs: at.getTime() - now.getTime(),
        },
      );
      continue;
    }
    await dmApprover(deps, a.email, text);
  }
  await threadReply(deps, c.id, text);
  await deps.audit.append({
    type: 'case.reminded',
    caseId: c.id,
    data: { tier: tier.name, to: pending.map((a) => a.odooUserId), count: saved.timers.reminders },
  });
  await refresh(deps, c.id, `remind-${saved.timers.reminders}`);
  await scheduleTimers(deps, saved);
}

async function escalate(deps: FlowDeps, flow: ApprovalFlow, c: Case): Promise<void> {
  const tier = currentTier(c)!;
  const to = timerSettings(flow, tier.name)?.escalate?.to;
  if (!to) return;
  const selfId = await deps.odoo.authenticate();
  const requesterId = c.requesterIds[0] ?? null;
  const doc = to.field?.length
    ? await deps.documents.load(c.odooModel, c.odooId, flow.requesterFields, to.field)
    : null;
  const found = await withDelegates(
    deps,
    await resolveSource(deps, to, { requesterId, values: doc?.values ?? {}, selfId }),
  );
  const added = found
    .filter((a) => !c.approvers.some((x) => x.odooUserId === a.odooUserId) && !c.requesterIds.includes(a.odooUserId))
    .map((a) => ({ ...a, via: `escalation (${a.via ?? 'policy'})` }));
  const tiers = c.tiers.map((t, i) =>
    i === c.currentTier ? { ...t, escalated: dedupe([...t.escalated, ...added]) } : t,
  );
  const saved = await save(deps, {
    ...c,
    tiers,
    approvers: dedupe([...c.approvers, ...added]),
    timers: { ...c.timers, escalateAt: null, escalated: true },
  });
  await deps.audit.append({
    type: 'case.escalated',
    caseId: c.id,
    data: { tier: tier.name, added: added.map((a) => a.odooUserId) },
  });
  const names = listNames(added.map((a) => a.name));
  await threadReply(
    deps,
    c.id,
    added.length
      ? `Escalated after ${waited(deps, c)}: ${names} can now decide ${c.snapshot.reference} too.`
      : `Escalation was due for ${c.snapshot.reference}, but its target found nobody new to ask; check the policy's escalate.to.`,
  );
  if (added.length)
    await deps.queue.enqueue<CardsJob>(
      QUEUES.notify,
      JOBS.postCards,
      { caseId: c.id },
      { jobId: jobId('post', c.id, 'escalated', c.currentTier) },
    );
  await refresh(deps, c.id, 'escalated');
  await scheduleTimers(deps, saved);
}

async function expire(deps: FlowDeps, flow: ApprovalFlow, c: Case): Promise<void> {
  const outcome = timerSettings(flow, currentTier(c)?.name)?.expire?.outcome ?? 'close';
  let rejectedByNote = false;
  if (outcome === 'reject') {
    // Never approve: a rejection is written to Odoo like a person's, naming the policy instead.
    try {
      rejectedByNote = (await performAction(deps, flow, c, null, 'reject')).kind === 'note';
    } catch (err) {
      if (isTransient(err)) throw err;
      deps.log.warn({ caseId: c.id, err }, 'the expiry rejection failed in Odoo; closing the case as expired instead');
    }
  }
  // One read of the record, decided locally (Odoo asked only for what the evaluator declines).
  const stillWaiting = await (await recordMatches(deps, c.odooModel, c.odooId, [flow.when])).matches(flow.when);
  // A note rejection leaves the document as it was (vendor bills, quotations): it counts as rejected.
  const status = outcome === 'reject' && (rejectedByNote || !stillWaiting) ? 'rejected' : 'expired';
  await save(deps, { ...c, status, timers: { ...c.timers, remindAt: null, escalateAt: null, expireAt: null } });
  metricsOf(deps).count('cases_closed', { flow: flow.id, outcome: status });
  const what = status === 'rejected' ? 'rejected automatically' : 'closed as expired';
  await deps.odoo.postNote(
    c.odooModel,
    c.odooId,
    `<p>${escapeHtml(c.snapshot.reference)} was ${what} by odoo-chatops: no decision within the time the approval policy (flow ${escapeHtml(flow.id)}) allows.</p>`,
  );
  await deps.audit.append({ type: 'case.expired', caseId: c.id, data: { outcome: status } });
  await threadReply(deps, c.id, `${c.snapshot.reference} was ${what}: nobody decided in time. Nothing was approved.`);
  await refresh(deps, c.id, 'expired');
}

/** A reminder, escalation or expiry came due. A late or duplicate timer does nothing. */
export async function fireTimer(deps: FlowDeps, job: TimerJob): Promise<void> {
  const c = await deps.store.getCase(job.caseId);
  if (!c || !timerIsCurrent(c, job)) return;
  const flow = deps.policy.approvals.find((f) => f.id === c.flowId);
  if (!flow) return;
  if (job.kind === 'remind') await remind(deps, flow, c);
  else if (job.kind === 'escalate') await escalate(deps, flow, c);
  else await expire(deps, flow, c);
  metricsOf(deps).count('timers_fired', { flow: flow.id, kind: job.kind });
}
