import { wallToInstant } from './business-hours.js';

/**
 * Midnight of a calendar date in a time zone, as an instant: the first
 * instant of that date there (on a day whose midnight the clocks skip, the
 * moment they jump).
 */
export function startOfDayIn(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(wallToInstant(timeZone, Date.UTC(y, m - 1, d)));
}

/** The end of a calendar date in a time zone (the start of the next day there): where an inclusive "until" stops. */
export function endOfDayIn(date: string, timeZone: string): Date {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return startOfDayIn(next, timeZone);
}
