import { workingDayMinutes } from '../business-hours.js';
import type { CalendarPolicy } from '../policy.js';

/** Business minutes in words: "45m", "3h 20m", "2d 1h" (a day is one working day of the calendar). */
export function businessDuration(minutes: number, calendar: CalendarPolicy): string {
  const m = Math.max(0, Math.round(minutes));
  const perDay = workingDayMinutes(calendar);
  const days = perDay > 0 ? Math.floor(m / perDay) : 0;
  const rest = m - days * perDay;
  const h = Math.floor(rest / 60);
  const min = rest % 60;
  const parts = [days ? `${days}d` : '', h ? `${h}h` : '', min || (!days && !h) ? `${min}m` : ''].filter(Boolean);
  return parts.join(' ');
}

/** `2026-11-25 14:03` in the calendar's zone, with the zone named once by the caller. */
export function localTime(at: Date | string, timeZone: string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
