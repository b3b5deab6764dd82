import type { BusinessCalendar } from '../business-hours.js';
import type { Weekday } from '../policy.js';
import { DIGEST_CATCH_UP_MINUTES } from './jobs.js';

const WEEKDAYS: Record<string, Weekday> = {
  Sun: 'sun',
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in a zone: local date, weekday and minutes since midnight. */
export interface LocalMoment {
  date: string;
  weekday: Weekday;
  minutes: number;
}

export function localMoment(at: Date, timeZone: string): LocalMoment {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: WEEKDAYS[get('weekday')] ?? 'mon',
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/**
 * The local date a digest at `at` (HH:MM) is due for now, in the calendar's
 * zone; null when it is not due: not a working day, a holiday, before the
 * time, or more than the catch-up window after it.
 */
export function dueDigestDate(calendar: BusinessCalendar, at: string, now: Date): string | null {
  const local = localMoment(now, calendar.timeZone);
  if (!calendar.workingDays.includes(local.weekday) || calendar.holidays.includes(local.date)) return null;
  const target = Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));
  const late = local.minutes - target;
  return late >= 0 && late < DIGEST_CATCH_UP_MINUTES ? local.date : null;
}
