import { addBusinessMinutes } from './business-hours.js';
import type { FlowDeps } from './deps.js';
import { JOBS, jobId, QUEUES } from './jobs.js';
import type { ApprovalFlow, Policy, TimerSettings } from './policy.js';
import type { Case, CaseTimers } from './types.js';

export type TimerKind = 'remind' | 'escalate' | 'expire';

export interface TimerJob {
  caseId: string;
  tier: number;
  kind: TimerKind;
  /** ISO instant the timer was set for; a timer whose instant is no longer stored does nothing. */
  dueAt: string;
}

export const NO_TIMERS: CaseTimers = {
  remindAt: null,
  escalateAt: null,
  expireAt: null,
  reminders: 0,
  escalated: false,
  pausedAt: null,
};

const AT_FIELD: Record<TimerKind, 'remindAt' | 'escalateAt' | 'expireAt'> = {
  remind: 'remindAt',
  escalate: 'escalateAt',
  expire: 'expireAt',
};

/** A tier's own timers win over the flow's, kind by kind (a tier with only `remind` keeps the flow's expiry). */
export function timerSettings(flow: ApprovalFlow, tierName: string | undefined): TimerSettings | undefined {
  const own = flow.tiers.find((t) => t.name === tierName)?.timers;
  if (!own) return flow.timers;
  if (!flow.timers) return own;
  return {
    ...flow.timers,
    ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Deadlines for a tier that starts at `from`, in the policy's business hours.
 * Expiry counts from when the case opened: a document does not get more time
 * because it moved to a later tier.
 */
export function deadlines(policy: Policy, settings: TimerSettings | undefined, from: Date, openedAt: Date): CaseTimers {
  if (!settings) return NO_TIMERS;
  const at = (start: Date, minutes: number) => addBusinessMinutes(policy.calendar, start, minutes).toISOString();
  return {
    ...NO_TIMERS,
    remindAt: settings.remind ? at(from, settings.remind.afterMinutes) : null,
    escalateAt: settings.escalate ? at(from, settings.escalate.afterMinutes) : null,
    expireAt: settings.expire ? at(openedAt, settings.expire.afterMinutes) : null,
  };
}

export function timerJobId(caseId: string, tier: number, kind: TimerKind, dueAt: string): string {
  return jobId('timer', caseId, tier, kind, new Date(dueAt).getTime());
}

/**
 * Queues a delayed job per stored deadline. Job ids are derived from the
 * deadline, so scheduling twice (or from the reconciler) changes nothing.
 */
export async function scheduleTimers(deps: Pick<FlowDeps, 'queue' | 'clock'>, c: Case): Promise<void> {
  if (c.timers.pausedAt) return;
  for (const kind of ['remind', 'escalate', 'expire'] as const) {
    const dueAt = c.timers[AT_FIELD[kind]];
    if (!dueAt) continue;
    const delayMs = Math.max(0, new Date(dueAt).getTime() - deps.clock.now().getTime());
    await deps.queue.enqueue<TimerJob>(
      QUEUES.timers,
      JOBS.fireTimer,
      { caseId: c.id, tier: c.currentTier, kind, dueAt },
      { jobId: timerJobId(c.id, c.currentTier, kind, dueAt), delayMs },
    );
  }
}

/** Removes the delayed jobs of the case's stored deadlines (best effort: a late timer checks state anyway). */
export async function cancelTimers(deps: Pick<FlowDeps, 'queue' | 'log'>, c: Case): Promise<void> {
  for (const kind of ['remind', 'escalate', 'expire'] as const) {
    const dueAt = c.timers[AT_FIELD[kind]];
    if (!dueAt) continue;
    try {
      await deps.queue.cancel(QUEUES.timers, timerJobId(c.id, c.currentTier, kind, dueAt));
    } catch (err) {
      deps.log.warn({ caseId: c.id, err }, 'could not cancel a timer; it will find the case moved on and do nothing');
    }
  }
}

/** Is this timer still the one the case is waiting for? */
export function timerIsCurrent(c: Case, job: TimerJob): boolean {
  return (
    (c.status === 'open' || c.status === 'info_requested') &&
    c.currentTier === job.tier &&
    c.timers[AT_FIELD[job.kind]] === job.dueAt &&
    !c.timers.pausedAt
  );
}
