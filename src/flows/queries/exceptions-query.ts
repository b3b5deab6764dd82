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

/** Exception lines in one answer (one page) at most, and per group: a chat message must stay readable and within limits. */
export const EXCEPTIONS_ANSWER_LINES = 40;
export const EXCEPTIONS_GROUP_LINES = 15;

export interface ExceptionsReportOptions {
  /** Exception lines in the whole answer (default EXCEPTIONS_ANSWER_LINES); the rest are counted, not shown. */
  maxLines?: number;
  /** What to do about the ones not shown, after "N more not shown here."; default: how to narrow the command. */
  moreHint?: string;
  /**
   * Exceptions shown on earlier pages (the "Show more" action carries it; default 0). The answer
   * is the page that holds this position: if the list changed since, a few lines may repeat.
   */
  offset?: number;
}

/** The command that shows what a cut left out, in chat-neutral words (`exceptions …`). */
function narrower(view: ExceptionsView, type: string | null): string {
  if (type) return view === 'mine' ? '' : ` Write \`exceptions mine ${type}\` for yours.`;
  return view === 'mine'
    ? ' Write `exceptions mine <type>` to see one type.'
    : ' Write `exceptions <type>` to see one type, or `exceptions mine` for yours.';
}

/** How many lines each group gets on one page: groups in order, each at most 15 of what it has left. */
function pageLayout(groups: Array<{ size: number; before: number }>, pageLines: number): number[] {
  let budget = pageLines;
  return groups.map((g) => {
    const n = Math.min(EXCEPTIONS_GROUP_LINES, budget, g.size - g.before);
    budget -= n;
    return n;
  });
}

/**
 * `exceptions [open|aging|mine] [type]`: open exceptions the person may see,
 * grouped by type (or by age bucket), with owner, age against the SLA and
 * amount. Every active exception is read (page by page) so the counts are
 * whole. One answer is one page: at most `maxLines` lines, 15 per group, the
 * groups in order; it says how many more there are (`omitted`), how to narrow
 * the question, and where the next page starts (`more.offset`). Pages are
 * laid out from the first, so page 1 is the same whatever was asked before.
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
  const byKey = new Map<string, ExceptionItem[]>();
  const perDay = dayMinutes(deps);
  for (const i of items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const key =
      view === 'aging'
        ? bucketOf(businessMinutesBetween(deps.policy.calendar, i.createdAt, deps.clock.now()) / perDay)
        : i.definitionId;
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  }
  const order = view === 'aging' ? BUCKETS.filter((b) => byKey.has(b)) : [...byKey.keys()];
  const groups = order.map((key) => ({ key, list: byKey.get(key)!, size: byKey.get(key)!.length, before: 0 }));
  const pageLines = Math.max(1, options.maxLines ?? EXCEPTIONS_ANSWER_LINES);
  const offset = Math.max(0, options.offset ?? 0);
  // Walk the pages from the first to the one holding `offset` (the last page at most).
  let start = 0;
  let take = pageLayout(groups, pageLines);
  for (;;) {
    const count = take.reduce((a, b) => a + b, 0);
    if (count === 0 || start + count > offset || start + count >= items.length) break;
    groups.forEach((g, n) => {
      g.before += take[n]!;
    });
    start += count;
    take = pageLayout(groups, pageLines);
  }
  const shownHere = take.reduce((a, b) => a + b, 0);
  let omitted = 0;
  const text = groups
    .flatMap((g, n) => {
      const left = g.size - g.before - take[n]!;
      if (g.before > 0 && take[n] === 0 && left === 0) return [];
      const shown = g.list.slice(g.before, g.before + take[n]!).map((i) => line(deps, i));
      omitted += left;
      if (left > 0) shown.push(shown.length ? `…and ${left} more` : `${left} not shown`);
      const earlier = g.before > 0 ? `, ${g.before} on earlier pages` : '';
      return [`*${g.key}* (${g.size}${earlier})\n${shown.join('\n')}`];
    })
    .join('\n\n');
  const total = `${items.length} open exception${items.length === 1 ? '' : 's'}`;
  const range = start > 0 ? `; ${start + 1}–${start + shownHere}` : '';
  const after = start > 0 ? 'more after this page.' : 'more not shown here.';
  const tail = omitted ? `\n\n${omitted} ${after}${options.moreHint ?? narrower(view, type)}` : '';
  return {
    text: `${total}${range}:\n\n${text}${tail}`,
    ...(omitted ? { omitted, more: { offset: start + shownHere, remaining: omitted } } : {}),
  };
}
