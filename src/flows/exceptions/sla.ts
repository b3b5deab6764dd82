import { addBusinessMinutes } from '../business-hours.js';
import { jobId } from '../jobs.js';
import type { ExceptionDeps } from './exception-support.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES, type ExceptionTimerJob } from './jobs.js';
import type { ExceptionPolicy } from './policy.js';
import type { ExceptionItem } from './types.js';

/** When the SLA of an exception opened (or reopened with `minutes` left) at `from` is breached. */
export function slaDueAt(deps: Pick<ExceptionDeps, 'policy'>, minutes: number | undefined, from: Date): string | null {
  if (minutes === undefined) return null;
  return addBusinessMinutes(deps.policy.calendar, from, minutes).toISOString();
}

function timerJobId(kind: 'sla' | 'wake', id: string, dueAt: string): string {
  return jobId('exc', kind, id, new Date(dueAt).getTime());
}

/** The pending timer of the exception: the SLA while someone must act, the wake-up while snoozed. */
function pendingTimer(item: ExceptionItem): { kind: 'sla' | 'wake'; dueAt: string } | null {
  if (item.status === 'snoozed' && item.snoozedUntil) return { kind: 'wake', dueAt: item.snoozedUntil };
  if ((item.status === 'open' || item.status === 'assigned') && item.sla.dueAt && !item.sla.escalated)
    return { kind: 'sla', dueAt: item.sla.dueAt };
  return null;
}

/** Queues the delayed job of the exception's pending timer; the job id comes from the deadline, so twice is once. */
export async function scheduleExceptionTimer(
  deps: Pick<ExceptionDeps, 'queue' | 'clock'>,
  item: ExceptionItem,
): Promise<void> {
  const timer = pendingTimer(item);
  if (!timer) return;
  const delayMs = Math.max(0, new Date(timer.dueAt).getTime() - deps.clock.now().getTime());
  await deps.queue.enqueue<ExceptionTimerJob>(
    EXCEPTION_QUEUES.timers,
    timer.kind === 'sla' ? EXCEPTION_JOBS.sla : EXCEPTION_JOBS.wake,
    { exceptionId: item.id, dueAt: timer.dueAt },
    { jobId: timerJobId(timer.kind, item.id, timer.dueAt), delayMs },
  );
}

/** Removes the pending timer (best effort: a late timer finds its deadline gone and does nothing). */
export async function cancelExceptionTimer(
  deps: Pick<ExceptionDeps, 'queue' | 'log'>,
  item: ExceptionItem,
): Promise<void> {
  const timer = pendingTimer(item);
  if (!timer) return;
  try {
    await deps.queue.cancel(EXCEPTION_QUEUES.timers, timerJobId(timer.kind, item.id, timer.dueAt));
  } catch (err) {
    deps.log.warn(
      { exceptionId: item.id, err },
      'could not cancel an exception timer; it will do nothing when it fires',
    );
  }
}

/** The SLA in words for the card: "8 business hours". */
export function describeSla(def: Pick<ExceptionPolicy, 'slaMinutes'>): string | null {
  if (def.slaMinutes === undefined) return null;
  const h = Math.floor(def.slaMinutes / 60);
  const m = def.slaMinutes % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''} business time`;
}
