import { businessMinutesBetween, nextWorkingInstant } from '../business-hours.js';
import { formatTime } from '../format.js';
import { replyUnderExceptionCards } from './exception-cards.js';
import { snoozeEnd } from './exception-domain.js';
import { type ExceptionDeps, queueRefresh, saveException } from './exception-support.js';
import type { ExceptionTimerJob } from './jobs.js';
import { cancelExceptionTimer, scheduleExceptionTimer, slaDueAt } from './sla.js';
import type { ExceptionItem, ExceptionPerson } from './types.js';

/** Why a snooze date is refused, in words for the person; null when it is fine. */
export function checkSnoozeDate(
  deps: Pick<ExceptionDeps, 'policy' | 'clock'>,
  until: string | undefined,
): string | null {
  if (!until || !/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`)))
    return 'Pick the date the exception should come back (YYYY-MM-DD). Nothing was changed.';
  if (snoozeEnd(until, deps.policy).getTime() <= deps.clock.now().getTime())
    return `${until} is not in the future; pick a later date. Nothing was changed.`;
  return null;
}

/** Pauses the SLA until the start of `until` (calendar zone); the exception reopens then. */
export async function snoozeException(
  deps: ExceptionDeps,
  item: ExceptionItem,
  by: ExceptionPerson,
  until: string,
): Promise<ExceptionItem> {
  const now = deps.clock.now();
  const wakeAt = snoozeEnd(until, deps.policy).toISOString();
  const remaining =
    item.sla.dueAt && !item.sla.escalated
      ? Math.max(0, businessMinutesBetween(deps.policy.calendar, now, new Date(item.sla.dueAt)))
      : item.sla.remainingMinutes;
  await cancelExceptionTimer(deps, item);
  const saved = await saveException(deps, {
    ...item,
    status: 'snoozed',
    statusBeforeSnooze: item.status === 'assigned' ? 'assigned' : 'open',
    snoozedUntil: wakeAt,
    sla: { ...item.sla, dueAt: null, remainingMinutes: remaining },
  });
  await scheduleExceptionTimer(deps, saved);
  await deps.audit.append({
    type: 'exception.snoozed',
    caseId: item.id,
    actor: `odoo:${by.odooUserId}`,
    data: { by: by.odooUserId, until, wakeAt, slaRemainingMinutes: remaining },
  });
  await replyUnderExceptionCards(deps, item.id, `${by.name} snoozed this until ${until}.`);
  await queueRefresh(deps, item.id, `snoozed-${saved.version}`);
  return saved;
}

/** The snooze ended: back to open (or assigned), the SLA running again with the time that was left. */
export async function wakeException(deps: ExceptionDeps, job: ExceptionTimerJob): Promise<void> {
  const item = await deps.exceptions.get(job.exceptionId);
  if (item?.status !== 'snoozed' || item.snoozedUntil !== job.dueAt) return;
  // The SLA counts business time only: it resumes at the next working instant.
  const from = nextWorkingInstant(deps.policy.calendar, deps.clock.now());
  const remaining = item.sla.escalated ? undefined : (item.sla.remainingMinutes ?? undefined);
  const saved = await saveException(deps, {
    ...item,
    status: item.statusBeforeSnooze ?? 'open',
    statusBeforeSnooze: null,
    snoozedUntil: null,
    sla: { ...item.sla, dueAt: slaDueAt(deps, remaining, from), remainingMinutes: null },
  });
  await scheduleExceptionTimer(deps, saved);
  await deps.audit.append({ type: 'exception.reopened', caseId: item.id, data: { reason: 'snooze_ended' } });
  await replyUnderExceptionCards(
    deps,
    item.id,
    `The snooze ended; this exception is back${saved.sla.dueAt ? ` (SLA due ${formatTime(new Date(saved.sla.dueAt))})` : ''}.`,
  );
  await queueRefresh(deps, item.id, `woke-${saved.version}`);
}
