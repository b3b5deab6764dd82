import { businessMinutesBetween } from '../business-hours.js';
import type { ApprovalFlow, Policy } from '../policy.js';
import { tierSatisfied } from '../tiers.js';
import { timerSettings } from '../timers.js';
import type { AuditEntry, Case } from '../types.js';

/** Audit entry types the metrics read. */
export const SLA_EVENT_TYPES = ['case.opened', 'decision.applied', 'case.escalated', 'case.expired'] as const;

export interface CycleStats {
  /** Cases (or tiers) with a decision, counted in the times. */
  decided: number;
  /** Business minutes; null when nothing was decided. */
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** The SLA in business minutes, null when the policy sets none. */
  slaMinutes: number | null;
  /** Share (0–1) of the decided ones decided within the SLA; null without SLA or decisions. */
  withinSla: number | null;
}

export interface TierMetrics extends CycleStats {
  name: string;
  escalations: number;
}

export interface FlowMetrics extends CycleStats {
  flowId: string;
  opened: number;
  escalations: number;
  expiries: number;
  tiers: TierMetrics[];
}

/** The median: the middle value, or the mean of the two middle values. */
export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A percentile by nearest rank: the smallest value at or above p of the values (p90 of 10 values is the 9th). */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function stats(minutes: number[], slaMinutes: number | null): CycleStats {
  const sorted = [...minutes].sort((a, b) => a - b);
  return {
    decided: sorted.length,
    medianMinutes: median(sorted),
    p90Minutes: percentile(sorted, 0.9),
    slaMinutes,
    withinSla:
      slaMinutes === null || sorted.length === 0 ? null : sorted.filter((m) => m <= slaMinutes).length / sorted.length,
  };
}

/**
 * The flow's SLA: its expiry when set (counted from the case opening, as the
 * expiry timer is), else its escalation; the first tier's timers stand for
 * the flow's when the flow has none of its own.
 */
export function flowSlaMinutes(flow: ApprovalFlow): number | null {
  const t = timerSettings(flow, flow.tiers[0]?.name);
  return t?.expire?.afterMinutes ?? t?.escalate?.afterMinutes ?? null;
}

/** A tier's SLA: its escalation (counted from when the tier started), else the expiry. */
export function tierSlaMinutes(flow: ApprovalFlow, tierName: string): number | null {
  const t = timerSettings(flow, tierName);
  return t?.escalate?.afterMinutes ?? t?.expire?.afterMinutes ?? null;
}

/**
 * Approval metrics of cases opened in a period. A case's cycle runs from its
 * `case.opened` entry (else its creation) to its `decision.applied` entry
 * (else its closing, for approved or rejected cases); a tier's from its start
 * to the approval that completed it. Times are business minutes of the
 * policy calendar. Escalations and expiries count the audit entries of these cases.
 */
export function computeSlaMetrics(policy: Policy, cases: Case[], events: AuditEntry[]): FlowMetrics[] {
  const byCase = new Map<string, AuditEntry[]>();
  for (const e of events) if (e.caseId) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  const between = (a: Date, b: Date) => businessMinutesBetween(policy.calendar, a, b);
  const flowIds = [...new Set(cases.map((c) => c.flowId))].sort();
  return flowIds.map((flowId) => {
    const flow = policy.approvals.find((f) => f.id === flowId);
    const mine = cases.filter((c) => c.flowId === flowId);
    const cycles: number[] = [];
    const tierCycles = new Map<string, number[]>();
    const tierEscalations = new Map<string, number>();
    let escalations = 0;
    let expiries = 0;
    for (const c of mine) {
      const list = byCase.get(c.id) ?? [];
      const opened = list.find((e) => e.type === 'case.opened')?.at ?? c.createdAt;
      const applied = list.find((e) => e.type === 'decision.applied')?.at;
      const closed = c.status === 'approved' || c.status === 'rejected' ? c.closedAt : null;
      const end = applied ?? closed;
      if (end) cycles.push(between(opened, end));
      for (const e of list) {
        if (e.type === 'case.expired') expiries += 1;
        if (e.type === 'case.escalated') {
          escalations += 1;
          const name = typeof e.data.tier === 'string' ? e.data.tier : '?';
          tierEscalations.set(name, (tierEscalations.get(name) ?? 0) + 1);
        }
      }
      for (const t of c.tiers) {
        if (!tierCycles.has(t.name)) tierCycles.set(t.name, []);
        if (!t.startedAt || !t.approvals.length || !tierSatisfied(t)) continue;
        const done = Math.max(...t.approvals.map((a) => Date.parse(a.at)));
        tierCycles.get(t.name)!.push(between(new Date(t.startedAt), new Date(done)));
      }
    }
    const tierNames = flow ? flow.tiers.map((t) => t.name) : [...tierCycles.keys()];
    return {
      flowId,
      opened: mine.length,
      escalations,
      expiries,
      ...stats(cycles, flow ? flowSlaMinutes(flow) : null),
      tiers: tierNames.map((name) => ({
        name,
        escalations: tierEscalations.get(name) ?? 0,
        ...stats(tierCycles.get(name) ?? [], flow ? tierSlaMinutes(flow, name) : null),
      })),
    };
  });
}
