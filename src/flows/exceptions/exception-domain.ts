import type { Policy } from '../policy.js';
import { startOfDayIn } from '../start-of-day.js';
import type { Domain } from '../types.js';
import type { ExceptionPolicy } from './policy.js';

/** Today's date (YYYY-MM-DD) in the calendar's time zone. */
export function todayIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The definition's Odoo domain as of `now`: `olderThan` becomes
 * `[field, '<', today − N days]`, computed in the calendar's time zone at
 * each poll, so an invoice becomes overdue without anyone touching it.
 */
export function exceptionDomain(def: ExceptionPolicy, policy: Pick<Policy, 'calendar'>, now: Date): Domain {
  if (!def.odoo) return [];
  const { when, olderThan } = def.odoo;
  if (!olderThan) return when;
  const today = todayIn(now, policy.calendar.timeZone);
  const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - olderThan.days * 86_400_000).toISOString().slice(0, 10);
  return [...when, [olderThan.field, '<', cutoff]];
}

/** The instant a snooze "until" date ends: the start of that day in the calendar's zone. */
export function snoozeEnd(date: string, policy: Pick<Policy, 'calendar'>): Date {
  return startOfDayIn(date, policy.calendar.timeZone);
}
