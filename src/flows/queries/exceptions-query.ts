import { businessMinutesBetween } from '../business-hours.js';
import type { FlowDeps } from '../deps.js';
import type { ExceptionItem } from '../exceptions/types.js';
import type { QueryAnswer } from './query-deps.js';
import type { Viewer } from './viewer.js';

export type ExceptionsView = 'open' | 'aging' | 'mine';

const ACTIVE = ['open', 'assigned', 'snoozed'] as const;
const BUCKETS = ['< 1 business day', '1–3 business days', '3–7 business days', '> 7 business days'] as const;

/** Who may see an exception: finance, its owners and escalation targets, and whoever it is assigned to. */
function visibleTo(viewer: Viewer, item: ExceptionItem): boolean {
  if (viewer.finance) return true;
  const id = viewer.user.id;
  return (
    item.owners.some((o) => o.odooUserId === id) ||
    item.escalated.some((o) => o.odooUserId === id) ||
    item.assignee?.odooUserId === id
  );
}

function dayMinutes(deps: Pick<FlowDeps, 'policy'>): number {
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return deps.policy.calendar.hours.reduce((sum, h) => sum + toMin(h.end) - toMin(h.start), 0) || 480;
}

function bucketOf(days: number): (typeof BUCKETS)[number] {
  if (days < 1) return BUCKETS[0];
  if (days < 3) return BUCKETS[1];
  if (days < 7) return BUCKETS[2];
  return BUCKETS[3];
}

function line(deps: Pick<FlowDeps, 'policy' | 'clock'>, item: ExceptionItem): string {
  const now = deps.clock.now();
  const age = businessMinutesBetween(deps.policy.calendar, item.createdAt, now);
  const hours = Math.round((age / 60) * 10) / 10;
  const due = item.sla.dueAt ? new Date(item.sla.dueAt) : null;
  const sla = !due
    ? ''
    : due < now
      ? ' · *SLA breached*'
      : ` · SLA in ${Math.round(businessMinutesBetween(deps.policy.calendar, now, due) / 6) / 10} h`;
  const owner = item.assignee
    ? `assigned to ${item.assignee.name}`
    : `owners: ${item.owners.map((o) => o.name).join(', ') || 'nobody'}`;
  const amount = item.facts.find((f) => /amount|total/i.test(f.label));
  const snoozed =
    item.status === 'snoozed' && item.snoozedUntil ? ` · snoozed until ${item.snoozedUntil.slice(0, 10)}` : '';
  return `• [${item.severity}] ${item.title} — ${hours} business h old · ${owner}${amount ? ` · ${amount.value}` : ''}${sla}${snoozed}`;
}

/**
 * `exceptions [open|aging|mine] [type]`: open exceptions the person may see,
 * grouped by type (or by age bucket), with owner, age against the SLA and amount.
 */
export async function exceptionsReport(
  deps: Pick<FlowDeps, 'policy' | 'clock' | 'exceptions'>,
  viewer: Viewer,
  view: ExceptionsView,
  type: string | null,
): Promise<QueryAnswer> {
  if (!deps.exceptions) return { text: 'This bot has no exception definitions configured.' };
  const all = await deps.exceptions.list({ status: [...ACTIVE], limit: 1000, ...(type ? { definitionId: type } : {}) });
  const mine = (i: ExceptionItem) =>
    i.assignee?.odooUserId === viewer.user.id || (!i.assignee && i.owners.some((o) => o.odooUserId === viewer.user.id));
  const items = all.filter((i) => visibleTo(viewer, i) && (view !== 'mine' || mine(i)));
  if (items.length === 0)
    return { text: view === 'mine' ? 'No open exceptions are waiting on you.' : 'No open exceptions you can see.' };
  const groups = new Map<string, ExceptionItem[]>();
  const perDay = dayMinutes(deps);
  for (const i of items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const key =
      view === 'aging'
        ? bucketOf(businessMinutesBetween(deps.policy.calendar, i.createdAt, deps.clock.now()) / perDay)
        : i.definitionId;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const order = view === 'aging' ? BUCKETS.filter((b) => groups.has(b)) : [...groups.keys()];
  const text = order
    .map((k) => {
      const list = groups.get(k)!;
      const shown = list.slice(0, 15).map((i) => line(deps, i));
      if (list.length > 15) shown.push(`…and ${list.length - 15} more`);
      return `*${k}* (${list.length})\n${shown.join('\n')}`;
    })
    .join('\n\n');
  return { text: `${items.length} open exception${items.length === 1 ? '' : 's'}:\n\n${text}` };
}
