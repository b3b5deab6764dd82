import { AppError } from '../errors.js';
import type { Weekday } from './policy.js';

/**
 * When approvers are expected to work: timers (remind, escalate, expire) count
 * only this time. Treated as an immutable value: the compiled form is cached
 * per object, so build a new calendar instead of mutating one.
 */
export interface BusinessCalendar {
  /** IANA zone the hours and holidays are read in, e.g. `Europe/Brussels`. */
  timeZone: string;
  workingDays: Weekday[];
  /** `HH:MM` ranges of one working day, e.g. 09:00–12:30 and 13:30–17:30; `end` may be `24:00`. */
  hours: Array<{ start: string; end: string }>;
  /** `YYYY-MM-DD` dates in the calendar's zone with no working time. */
  holidays: string[];
}

type Interval = readonly [start: number, end: number];

interface Compiled {
  tz: string;
  days: boolean[];
  ranges: Array<[number, number]>;
  holidays: Set<number>;
  dayCache: Map<number, Interval[]>;
}

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
const compiled = new WeakMap<BusinessCalendar, Compiled>();
const zoned = new WeakMap<BusinessCalendar, Map<string, BusinessCalendar>>();

/** True when this runtime's ICU knows the zone (Odoo's `res.users.tz` may hold names it does not). */
export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Minutes of a clock time `HH:MM` (or `24:00` as an end), null when malformed. */
function clockMinutes(text: string, allowMidnightEnd: boolean): number | null {
  if (allowMidnightEnd && text === '24:00') return 1440;
  const m = CLOCK.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Days since 1970-01-01 of a real calendar date `YYYY-MM-DD`, null otherwise. */
function epochDay(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / DAY_MS;
}

/** Null when the calendar is usable, else one sentence saying what is wrong and how to fix it. */
export function validateCalendar(calendar: BusinessCalendar): string | null {
  if (typeof calendar.timeZone !== 'string' || !isKnownTimeZone(calendar.timeZone)) {
    return `time zone "${calendar.timeZone}" is not known; use an IANA name such as Europe/Brussels or America/New_York.`;
  }
  if (calendar.workingDays.length === 0)
    return 'no working days are listed; give at least one, e.g. [mon, tue, wed, thu, fri].';
  const badDay = calendar.workingDays.find((d) => !WEEKDAYS.includes(d));
  if (badDay !== undefined) return `working day "${badDay}" is not one of mon, tue, wed, thu, fri, sat, sun.`;
  if (calendar.hours.length === 0)
    return 'no working hours are listed; give at least one range, e.g. {start: "09:00", end: "17:00"}.';
  const ranges: Array<[number, number, string]> = [];
  for (const h of calendar.hours) {
    const label = `${h.start}–${h.end}`;
    const start = clockMinutes(h.start, false);
    const end = clockMinutes(h.end, true);
    if (start === null || end === null) return `working hours ${label} must be HH:MM times, e.g. 09:00–17:30.`;
    if (end <= start) {
      return `working hours ${label} end at or before they start; a range cannot cross midnight, so split it into two days' ranges.`;
    }
    ranges.push([start, end, label]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    const [prev, cur] = [ranges[i - 1]!, ranges[i]!];
    if (cur[0] < prev[1])
      return `working hours ${prev[2]} and ${cur[2]} overlap; make each range end before the next starts.`;
  }
  const badDate = calendar.holidays.find((d) => epochDay(d) === null);
  if (badDate !== undefined) return `holiday "${badDate}" is not a real date written YYYY-MM-DD, e.g. 2026-12-25.`;
  return null;
}

/** Minutes in one working day of the calendar: what `1d` means in a business duration. */
export function workingDayMinutes(calendar: Pick<BusinessCalendar, 'hours'>): number {
  return calendar.hours.reduce((sum, h) => {
    const start = clockMinutes(h.start, false);
    const end = clockMinutes(h.end, true);
    if (start === null || end === null || end <= start) {
      throw new AppError(
        'config.bad_calendar',
        'user',
        `Working hours ${h.start}–${h.end} must be HH:MM times, start before end.`,
      );
    }
    return sum + end - start;
  }, 0);
}

function compile(calendar: BusinessCalendar): Compiled {
  const hit = compiled.get(calendar);
  if (hit) return hit;
  const problem = validateCalendar(calendar);
  if (problem) {
    throw new AppError('config.bad_calendar', 'user', `The business-hours calendar cannot be used: ${problem}`, {
      details: { timeZone: calendar.timeZone },
    });
  }
  const c: Compiled = {
    tz: calendar.timeZone,
    days: WEEKDAYS.map((d) => calendar.workingDays.includes(d)),
    ranges: calendar.hours
      .map((h): [number, number] => [clockMinutes(h.start, false)!, clockMinutes(h.end, true)!])
      .sort((a, b) => a[0] - b[0]),
    holidays: new Set(calendar.holidays.map((d) => epochDay(d)!)),
    dayCache: new Map(),
  };
  compiled.set(calendar, c);
  return c;
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall clock of instant `t` in `tz`, as milliseconds of a UTC timeline (whole seconds). */
function wallClock(tz: string, t: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** Offset of `tz` from UTC at instant `t`, in milliseconds. */
function offsetAt(tz: string, t: number): number {
  return wallClock(tz, t) - Math.floor(t / 1000) * 1000;
}

/**
 * The first instant whose wall clock in `tz` is at or after wall time `local`:
 * an ambiguous time (clocks set back) gives its earlier instant, a time in a
 * gap (clocks set forward) gives the moment the clocks jump, so a working
 * range loses the skipped time and nothing else.
 */
export function wallToInstant(tz: string, local: number): number {
  const before = offsetAt(tz, local - DAY_MS);
  const after = offsetAt(tz, local + DAY_MS);
  const valid = [local - before, local - after].filter((t) => wallClock(tz, t) === local);
  if (valid.length > 0) return Math.min(...valid);
  let lo = Math.min(local - before, local - after); // wall clock before `local`
  let hi = Math.max(local - before, local - after); // wall clock after `local`
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallClock(tz, mid) >= local) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Working intervals (instants) of the local date `day` (days since 1970-01-01 in the zone). */
function dayIntervals(c: Compiled, day: number): Interval[] {
  const hit = c.dayCache.get(day);
  if (hit) return hit;
  let list: Interval[] = [];
  if (c.days[(((day + 4) % 7) + 7) % 7] && !c.holidays.has(day)) {
    const midnight = day * DAY_MS;
    // One offset for the whole day unless the zone changes offset around it (two formatter calls per day).
    const o = offsetAt(c.tz, midnight - 15 * 3_600_000);
    const steady = o === offsetAt(c.tz, midnight + DAY_MS + 15 * 3_600_000);
    const at = (minute: number) =>
      steady ? midnight + minute * MIN_MS - o : wallToInstant(c.tz, midnight + minute * MIN_MS);
    list = c.ranges.map(([s, e]): Interval => [at(s), at(e)]);
  }
  if (c.dayCache.size >= 4096) c.dayCache.clear();
  c.dayCache.set(day, list);
  return list;
}

/** Working intervals in time order, from the one containing (or following) instant `t`. */
function* intervalsFrom(c: Compiled, t: number): Generator<Interval> {
  let day = Math.floor(wallClock(c.tz, t) / DAY_MS) - 1;
  let idle = 0;
  for (;;) {
    const list = dayIntervals(c, day);
    for (const iv of list) if (iv[1] > t && iv[1] > iv[0]) yield iv;
    // Holidays are finite, so only a calendar without any working time runs idle for long.
    idle = list.some((iv) => iv[1] > iv[0]) || c.holidays.has(day) ? 0 : idle + 1;
    if (idle > 14) {
      throw new AppError(
        'config.no_working_time',
        'user',
        `The business-hours calendar in ${c.tz} has no working time, so no timer can ever fire; give it working days and hours.`,
      );
    }
    day += 1;
  }
}

function instantOf(d: Date, name: string): number {
  const t = d.getTime();
  if (Number.isNaN(t))
    throw new AppError('business_hours.bad_instant', 'internal', `Business-hours ${name} is an invalid Date.`);
  return t;
}

/**
 * The instant when `minutes` of working time have elapsed after `from`
 * (counting from the next opening when `from` is outside working time). A
 * result that exactly uses up an interval is that interval's end; `0` gives
 * the next working instant at or after `from`.
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  const c = compile(calendar);
  const start = instantOf(from, 'start');
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new AppError(
      'business_hours.bad_minutes',
      'internal',
      `Cannot add ${minutes} business minutes: give a finite number, zero or more.`,
    );
  }
  let remaining = Math.round(minutes * MIN_MS);
  for (const [s, e] of intervalsFrom(c, start)) {
    const begin = Math.max(s, start);
    if (remaining === 0) return new Date(begin);
    if (remaining <= e - begin) return new Date(begin + remaining);
    remaining -= e - begin;
  }
  throw new AppError('internal.unreachable', 'internal', 'The working-interval sequence ended.');
}

/** Working minutes in [from, to); 0 when `to` is not after `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const c = compile(calendar);
  const [a, b] = [instantOf(from, 'start'), instantOf(to, 'end')];
  if (b <= a) return 0;
  let total = 0;
  for (const [s, e] of intervalsFrom(c, a)) {
    if (s >= b) break;
    total += Math.min(e, b) - Math.max(s, a);
  }
  return total / MIN_MS;
}

/** True when `at` lies inside a working interval (start included, end excluded). */
export function isWorkingTime(calendar: BusinessCalendar, at: Date): boolean {
  const t = instantOf(at, 'instant');
  const next = intervalsFrom(compile(calendar), t).next();
  return !next.done && next.value[0] <= t;
}

/** `at` itself when it is working time, else the next opening. */
export function nextWorkingInstant(calendar: BusinessCalendar, at: Date): Date {
  return addBusinessMinutes(calendar, at, 0);
}

/**
 * The same days, hours and holidays read in an approver's own zone (Odoo's
 * `res.users.tz`). An empty or unknown zone keeps the calendar's zone: a
 * user's odd profile setting must not stop their timers.
 */
export function withTimeZone(calendar: BusinessCalendar, tz: string | null): BusinessCalendar {
  if (!tz || tz === calendar.timeZone || !isKnownTimeZone(tz)) return calendar;
  let byZone = zoned.get(calendar);
  if (!byZone) {
    byZone = new Map();
    zoned.set(calendar, byZone);
  }
  let result = byZone.get(tz);
  if (!result) {
    result = { ...calendar, timeZone: tz };
    byZone.set(tz, result);
  }
  return result;
}
