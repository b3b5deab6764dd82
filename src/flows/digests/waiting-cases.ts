import { businessMinutesBetween } from '../business-hours.js';
import type { FlowDeps } from '../deps.js';
import { collect, eachCasePage } from '../paged.js';
import { currentTier } from '../tiers.js';
import type { ApproverRef, Case } from '../types.js';

/**
 * Cases waiting for someone (`open`, `info_requested`), oldest first, of one
 * flow or all. Read page by page and never cut: a digest counts the whole
 * backlog, and shows only its first lines.
 */
export async function waitingCases(deps: Pick<FlowDeps, 'store'>, flowId?: string): Promise<Case[]> {
  const cases = await collect(
    eachCasePage(deps.store, { status: ['open', 'info_requested'], ...(flowId ? { flowId } : {}) }),
  );
  return cases.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * The people a case waits on now: deciders of the current tier (delegates
 * and escalation targets included) who have not approved it. Requesters are
 * left out: they may never approve their own document.
 */
export function waitsOn(c: Case): ApproverRef[] {
  const tier = currentTier(c);
  const approved = new Set(
    (tier?.approvals ?? []).flatMap((a) => [a.odooUserId, ...(a.onBehalfOf ? [a.onBehalfOf.odooUserId] : [])]),
  );
  const seen = new Set<number>();
  const out: ApproverRef[] = [];
  for (const a of [...c.approvers, ...(tier ? [...tier.approvers, ...tier.escalated] : [])]) {
    if (approved.has(a.odooUserId) || seen.has(a.odooUserId) || c.requesterIds.includes(a.odooUserId)) continue;
    seen.add(a.odooUserId);
    out.push(a);
  }
  return out;
}

/** Why a case is past its SLA, or null: it was escalated, or its escalation or expiry time has passed. */
export function slaBreach(c: Case, now: Date): string | null {
  if (c.timers.escalated) return 'escalated';
  const due = [c.timers.escalateAt, c.timers.expireAt].filter((t): t is string => !!t).map((t) => new Date(t));
  const passed = due.filter((d) => d.getTime() <= now.getTime()).sort((a, b) => a.getTime() - b.getTime())[0];
  return passed ? 'overdue' : null;
}

/** Business minutes a case has waited, in the policy calendar. */
export function businessAge(deps: Pick<FlowDeps, 'policy' | 'clock'>, c: Case): number {
  return businessMinutesBetween(deps.policy.calendar, c.createdAt, deps.clock.now());
}

/** Business minutes as hours: "45m", "3h 20m", "26h" (the digest's unit, whatever the day length). */
export function businessHoursText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest}m`;
  return rest ? `${h}h ${rest}m` : `${h}h`;
}
