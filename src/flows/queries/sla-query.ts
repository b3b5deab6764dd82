import { startOfDayIn } from '../start-of-day.js';
import type { Case } from '../types.js';
import { businessDuration, localTime } from './describe-time.js';
import type { QueryAnswer, QueryDeps } from './query-deps.js';
import { type CycleStats, computeSlaMetrics, type FlowMetrics, SLA_EVENT_TYPES } from './sla-metrics.js';
import type { Viewer } from './viewer.js';

export type SlaPeriod = '7d' | '30d' | 'quarter';

const DAY_MS = 86_400_000;

/** Start of the period: 7 or 30 days back, or the first day of the current calendar quarter in the policy's zone. */
export function periodStart(period: SlaPeriod, now: Date, timeZone: string): Date {
  if (period === '7d') return new Date(now.getTime() - 7 * DAY_MS);
  if (period === '30d') return new Date(now.getTime() - 30 * DAY_MS);
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })
    .format(now)
    .split('-')
    .map(Number) as [number, number];
  const first = Math.floor((m - 1) / 3) * 3 + 1;
  return startOfDayIn(`${y}-${String(first).padStart(2, '0')}-01`, timeZone);
}

function pct(share: number | null): string {
  return share === null ? 'n/a' : `${Math.round(share * 100)}%`;
}

function cycleText(deps: QueryDeps, s: CycleStats): string {
  const d = (m: number | null) => (m === null ? 'n/a' : businessDuration(m, deps.policy.calendar));
  const sla =
    s.slaMinutes === null
      ? 'SLA n/a (no expire or escalate timer)'
      : `within SLA (${d(s.slaMinutes)}) ${pct(s.withinSla)}`;
  return `${s.decided} decided · median ${d(s.medianMinutes)} · p90 ${d(s.p90Minutes)} · ${sla}`;
}

function flowText(deps: QueryDeps, m: FlowMetrics): string[] {
  const lines = [
    `*${m.flowId}*: ${m.opened} opened · ${cycleText(deps, m)} · ${m.escalations} escalated · ${m.expiries} expired`,
  ];
  if (m.tiers.length > 1)
    for (const t of m.tiers) lines.push(`   ◦ step "${t.name}": ${cycleText(deps, t)} · ${t.escalations} escalated`);
  return lines;
}

/**
 * `/odoo sla [7d|30d|quarter] [flow]`: approval cycle times of the cases
 * opened in the period that the viewer may see (all of them for finance).
 */
export async function slaReport(
  deps: QueryDeps,
  viewer: Viewer,
  q: { period: SlaPeriod; flowId: string | null },
): Promise<QueryAnswer> {
  const now = deps.clock.now();
  const tz = deps.policy.calendar.timeZone;
  const since = periodStart(q.period, now, tz);
  const opened = await deps.queries.casesOpenedSince(since, { flowId: q.flowId ?? undefined });
  const visible: Case[] = [];
  for (const c of opened) if (await viewer.canSee(c)) visible.push(c);
  const ids = new Set(visible.map((c) => c.id));
  const events = (await deps.queries.eventsSince(since, [...SLA_EVENT_TYPES])).filter(
    (e) => e.caseId !== null && ids.has(e.caseId),
  );
  const where = q.flowId ? ` in ${q.flowId}` : '';
  const scope = viewer.finance ? 'all cases' : 'the cases you may see (yours and your team’s)';
  if (visible.length === 0)
    return { text: `No approval cases were opened${where} since ${localTime(since, tz)} (${tz}) among ${scope}.` };
  const metrics = computeSlaMetrics(deps.policy, visible, events);
  return {
    text: [
      `Approvals${where} opened since ${localTime(since, tz)} (${tz}), ${scope}; times in business hours:`,
      ...metrics.flatMap((m) => flowText(deps, m)),
    ].join('\n'),
  };
}
