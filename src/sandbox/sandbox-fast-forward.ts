import type { FlowDeps } from '../flows/deps.js';
import { cancelExceptionTimer } from '../flows/exceptions/sla.js';
import type { ExceptionItem } from '../flows/exceptions/types.js';
import { QUEUES } from '../flows/jobs.js';
import { eachCasePage, eachExceptionPage } from '../flows/paged.js';
import { reconcile } from '../flows/reconcile.js';
import { type TimerKind, timerJobId } from '../flows/timers.js';
import type { SandboxClock } from './sandbox-clock.js';

const AT_FIELD = { remind: 'remindAt', escalate: 'escalateAt', expire: 'expireAt' } as const;

export interface FastForwardResult {
  now: Date;
  /** Timer jobs that were waiting on a wall-clock delay and now fire at once. */
  requeued: number;
}

/**
 * Moves the sandbox clock ahead and makes the timers that became due fire.
 *
 * The domain reads time from deps.clock, but BullMQ delays count wall-clock
 * milliseconds from when a timer was queued. Timer job ids derive from the
 * deadline, so queuing again would be a no-op while the delayed job exists:
 * each due timer's delayed job is removed first, then the reconciler (the
 * same one that heals a lost queue) queues every stored deadline again with
 * its delay computed from the advanced clock, which for due ones is zero.
 * Timers not yet due keep their (now too long) wall-clock delay; the next
 * fast-forward past them re-queues them the same way.
 */
export async function fastForward(deps: FlowDeps, clock: SandboxClock, ms: number): Promise<FastForwardResult> {
  const now = clock.advance(ms);
  const due = (iso: string | null | undefined) => !!iso && Date.parse(iso) <= now.getTime();
  let requeued = 0;
  for await (const page of eachCasePage(deps.store, { status: ['open', 'info_requested'] })) {
    for (const c of page) {
      if (c.timers.pausedAt) continue;
      for (const kind of Object.keys(AT_FIELD) as TimerKind[]) {
        const dueAt = c.timers[AT_FIELD[kind]];
        if (!dueAt || !due(dueAt)) continue;
        if (await deps.queue.cancel(QUEUES.timers, timerJobId(c.id, c.currentTier, kind, dueAt))) requeued++;
      }
    }
  }
  if (deps.exceptions) {
    for await (const page of eachExceptionPage(deps.exceptions, { status: ['open', 'assigned', 'snoozed'] })) {
      for (const item of page) {
        if (!due(exceptionDeadline(item))) continue;
        await cancelExceptionTimer(deps, item);
        requeued++;
      }
    }
  }
  await reconcile(deps);
  return { now, requeued };
}

/** The deadline of the exception's pending timer: its wake-up while snoozed, else its SLA. */
function exceptionDeadline(item: ExceptionItem): string | null {
  if (item.status === 'snoozed') return item.snoozedUntil ?? null;
  return item.sla.escalated ? null : (item.sla.dueAt ?? null);
}
