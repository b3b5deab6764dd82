import { AppError } from '../errors.js';
import { type BusinessCalendar, workingDayMinutes } from './business-hours.js';

/**
 * A policy duration as written, before a calendar gives days a length:
 * `days` counts working days (`1w` = 5), `minutes` the `h`/`m` part. Kept
 * apart because how long a working day is depends on the calendar.
 */
export interface BusinessDuration {
  days: number;
  minutes: number;
}

const UNITS = 'm (minutes), h (hours), d (working days) or w (working weeks of 5 days)';
const EXAMPLES = '30m, 4h, 1h30m, 2d or 1w';
const PART = /(\d+)\s*([wdhm])/y;
const ORDER = 'wdhm';
/** Ten years of working days: anything longer is a typo, and would make timers walk millions of days. */
const MAX_DAYS = 2600;

function problemWith(text: unknown): { problem: string } | { duration: BusinessDuration } {
  if (typeof text !== 'string') {
    return { problem: `a duration must be text such as ${EXAMPLES}, not ${JSON.stringify(text) ?? String(text)}.` };
  }
  const shown = JSON.stringify(text);
  const src = text.trim();
  if (src === '') return { problem: `the duration is empty; write a number and a unit, such as ${EXAMPLES}.` };
  if (src.startsWith('-')) return { problem: `${shown} is negative; a duration counts forward, e.g. ${EXAMPLES}.` };
  const amounts: Record<string, number> = { w: 0, d: 0, h: 0, m: 0 };
  let last = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < src.length) {
    const at = PART.lastIndex;
    const m = PART.exec(src);
    if (!m) {
      return {
        problem: `${shown} is not a duration (stuck at "${src.slice(at)}"); write numbers followed by ${UNITS}, e.g. ${EXAMPLES}.`,
      };
    }
    const unit = m[2]!;
    if (ORDER.indexOf(unit) <= last) {
      return {
        problem: `${shown} repeats a unit or lists them out of order; write larger units first, once each, e.g. 1d4h or 1h30m.`,
      };
    }
    last = ORDER.indexOf(unit);
    amounts[unit] = Number(m[1]);
    while (src[PART.lastIndex] === ' ') PART.lastIndex += 1;
  }
  const duration = { days: amounts.w! * 5 + amounts.d!, minutes: amounts.h! * 60 + amounts.m! };
  if (duration.days === 0 && duration.minutes === 0) {
    return { problem: `${shown} is zero; a timer needs a positive duration such as ${EXAMPLES}.` };
  }
  if (duration.days + duration.minutes / 1440 > MAX_DAYS) {
    return { problem: `${shown} is longer than ten years of working days; check for a typo.` };
  }
  return { duration };
}

/** Null when `text` is a valid duration, else a sentence saying what is wrong, with examples (for config validation). */
export function validateDuration(text: unknown): string | null {
  const r = problemWith(text);
  return 'problem' in r ? r.problem : null;
}

/** Parses `30m`, `4h`, `1h30m`, `2d`, `1w`, `1d4h`; days stay days until a calendar is known. */
export function parseDuration(text: string): BusinessDuration {
  const r = problemWith(text);
  if ('problem' in r) {
    const message = r.problem.charAt(0).toUpperCase() + r.problem.slice(1);
    throw new AppError('config.bad_duration', 'user', message, { details: { text } });
  }
  return r.duration;
}

/** Working minutes of a parsed duration: a day lasts as long as the calendar's working hours. */
export function toBusinessMinutes(duration: BusinessDuration, calendar: Pick<BusinessCalendar, 'hours'>): number {
  return duration.days * workingDayMinutes(calendar) + duration.minutes;
}

/** `parseDuration` then `toBusinessMinutes`: `2d` with an 8-hour day is 960. */
export function parseBusinessDuration(text: string, calendar: Pick<BusinessCalendar, 'hours'>): number {
  return toBusinessMinutes(parseDuration(text), calendar);
}
