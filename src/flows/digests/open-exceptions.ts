import { businessMinutesBetween } from '../business-hours.js';
import type { FlowDeps } from '../deps.js';
import type { ExceptionItem } from '../exceptions/types.js';
import { listNames } from '../format.js';
import { collect, eachExceptionPage } from '../paged.js';
import { businessHoursText } from './waiting-cases.js';

/**
 * Active exceptions (open, assigned, snoozed), oldest first, of one
 * definition or all; read page by page and never cut. Empty when the bot
 * runs without exceptions.
 */
export async function activeExceptions(
  deps: Pick<FlowDeps, 'exceptions'>,
  definitionId?: string,
): Promise<ExceptionItem[]> {
  if (!deps.exceptions) return [];
  return collect(
    eachExceptionPage(deps.exceptions, {
      status: ['open', 'assigned', 'snoozed'],
      ...(definitionId ? { definitionId } : {}),
    }),
  );
}

/** Someone must act on it now: open or assigned (a snoozed one waits for its date). */
export function awaitsAction(item: ExceptionItem): boolean {
  return item.status === 'open' || item.status === 'assigned';
}

/** The exceptions assigned to one person that wait on them, oldest first. */
export function assignedTo(items: ExceptionItem[], odooUserId: number): ExceptionItem[] {
  return items.filter((i) => i.status === 'assigned' && i.assignee?.odooUserId === odooUserId);
}

/** Where an exception stands against its SLA, in business hours. */
export interface ExceptionSlaState {
  /** Why it is past its SLA (escalated, or its deadline passed), or null. */
  breach: 'escalated' | 'overdue' | null;
  /** "SLA in 2h 40m", "past SLA by 1h", "escalated"; empty without an SLA. */
  text: string;
}

export function exceptionSlaState(deps: Pick<FlowDeps, 'policy' | 'clock'>, item: ExceptionItem): ExceptionSlaState {
  const now = deps.clock.now();
  const due = item.sla.dueAt ? new Date(item.sla.dueAt) : null;
  if (due && due.getTime() <= now.getTime()) {
    const late = businessHoursText(businessMinutesBetween(deps.policy.calendar, due, now));
    return {
      breach: item.sla.escalated ? 'escalated' : 'overdue',
      text: `past SLA by ${late}${item.sla.escalated ? ', escalated' : ''}`,
    };
  }
  if (item.sla.escalated) return { breach: 'escalated', text: 'escalated' };
  if (!due) return { breach: null, text: '' };
  return {
    breach: null,
    text: `SLA in ${businessHoursText(businessMinutesBetween(deps.policy.calendar, now, due))}`,
  };
}

/** Business minutes since the exception opened, in the policy calendar. */
export function exceptionAge(deps: Pick<FlowDeps, 'policy' | 'clock'>, item: ExceptionItem): number {
  return businessMinutesBetween(deps.policy.calendar, item.createdAt, deps.clock.now());
}

/** "assigned to Marc Demo", or "unassigned (owners: …)" when nobody picked it up. */
export function exceptionOwnerText(item: ExceptionItem): string {
  if (item.assignee) return `assigned to ${item.assignee.name}`;
  const owners = [...item.owners, ...item.escalated].map((o) => o.name);
  return `unassigned (owners: ${listNames([...new Set(owners)], 3)})`;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The record's reference, with the exception's own title when it says more than the definition's. */
export function exceptionLabel(item: ExceptionItem, definitionTitle: string | null): string {
  if (!item.reference) return cut(item.title, 60);
  const ref = cut(item.reference, 40);
  return item.title === definitionTitle ? ref : `${ref} (${cut(item.title, 50)})`;
}
