import { businessMinutesBetween } from '../business-hours.js';
import type { FlowDeps } from '../deps.js';
import type { ExceptionItem } from '../exceptions/types.js';
import { eachExceptionPage } from '../paged.js';
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

/** Exception lines in one answer at most, and per group: a chat message must stay readable and within limits. */
export const EXCEPTIONS_ANSWER_LINES = 40;
export const EXCEPTIONS_GROUP_LINES = 15;

export interface ExceptionsReportOptions {
  /** Exception lines in the whole answer (default EXCEPTIONS_ANSWER_LINES); the rest are counted, not shown. */
  maxLines?: number;
  /** What to do about the ones not shown, after "N more not shown here."; default: how to narrow the command. */
  moreHint?: string;
}

/** The command that shows what a cut left out, in chat-neutral words (`exceptions …`). */
function narrower(view: ExceptionsView, type: string | null): string {
  if (type) return view === 'mine' ? '' : ` Write \`exceptions mine ${type}\` for yours.`;
  return view === 'mine'
    ? ' Write `exceptions mine <type>` to see one type.'
    : ' Write `exceptions <type>` to see one type, or `exceptions mine` for yours.';
}

/**
 * `exceptions [open|aging|mine] [type]`: open exceptions the person may see,
 * grouped by type (or by age bucket), with owner, age against the SLA and
 * amount. Every active exception is read (page by page) so the counts are
 * whole; the answer shows at most `maxLines` of them (15 per group) and says
 * how many more there are (`omitted`) and how to narrow the question.
 */
export async function exceptionsReport(
  deps: Pick<FlowDeps, 'policy' | 'clock' | 'exceptions'>,
  viewer: Viewer,
  view: ExceptionsView,
  type: string | null,
  options: ExceptionsReportOptions = {},
): Promise<QueryAnswer> {
  if (!deps.exceptions) return { text: 'This bot has no exception definitions configured.' };
  const mine = (i: ExceptionItem) =>
    i.assignee?.odooUserId === viewer.user.id || (!i.assignee && i.owners.some((o) => o.odooUserId === viewer.user.id));
  const items: ExceptionItem[] = [];
  for await (const page of eachExceptionPage(deps.exceptions, {
    status: [...ACTIVE],
    ...(type ? { definitionId: type } : {}),
  }))
    items.push(...page.filter((i) => visibleTo(viewer, i) && (view !== 'mine' || mine(i))));
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
  let budget = Math.max(1, options.maxLines ?? EXCEPTIONS_ANSWER_LINES);
  let omitted = 0;
  const text = order
    .map((k) => {
      const list = groups.get(k)!;
      const shown = list.slice(0, Math.min(EXCEPTIONS_GROUP_LINES, budget)).map((i) => line(deps, i));
      budget -= shown.length;
      const left = list.length - shown.length;
      omitted += left;
      if (left > 0) shown.push(shown.length ? `…and ${left} more` : `${left} not shown`);
      return `*${k}* (${list.length})\n${shown.join('\n')}`;
    })
    .join('\n\n');
  const total = `${items.length} open exception${items.length === 1 ? '' : 's'}`;
  const tail = omitted ? `\n\n${omitted} more not shown here.${options.moreHint ?? narrower(view, type)}` : '';
  return { text: `${total}:\n\n${text}${tail}`, ...(omitted ? { omitted } : {}) };
}
