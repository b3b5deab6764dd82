import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  isWorkingTime,
  nextWorkingInstant,
  validateCalendar,
  withTimeZone,
} from '../../src/flows/business-hours.js';

function calendar(overrides: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    timeZone: 'Europe/Brussels',
    workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    hours: [{ start: '09:00', end: '17:00' }],
    holidays: [],
    ...overrides,
  };
}

const lunch = calendar({
  hours: [
    { start: '09:00', end: '12:30' },
    { start: '13:30', end: '17:30' },
  ],
});
const always = calendar({
  workingDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  hours: [{ start: '00:00', end: '24:00' }],
});
const at = (iso: string) => new Date(iso);
const add = (c: BusinessCalendar, from: string, minutes: number) =>
  addBusinessMinutes(c, at(from), minutes).toISOString();
const iso = (s: string) => at(s).toISOString();

describe('addBusinessMinutes', () => {
  it('skips the weekend: Friday 16:00 + 2h is Monday 10:00', () => {
    expect(add(calendar(), '2026-01-16T16:00:00+01:00', 120)).toBe(iso('2026-01-19T10:00:00+01:00'));
  });

  it('skips the lunch break', () => {
    expect(add(lunch, '2026-01-14T12:00:00+01:00', 60)).toBe(iso('2026-01-14T14:00:00+01:00'));
    expect(add(lunch, '2026-01-14T12:45:00+01:00', 30)).toBe(iso('2026-01-14T14:00:00+01:00'));
  });

  it('skips holidays: Christmas on a Friday', () => {
    const c = calendar({ holidays: ['2026-12-25'] });
    expect(add(c, '2026-12-24T16:00:00+01:00', 120)).toBe(iso('2026-12-28T10:00:00+01:00'));
  });

  it('starts counting at the next opening when started outside working time', () => {
    expect(add(calendar(), '2026-01-17T11:00:00+01:00', 30)).toBe(iso('2026-01-19T09:30:00+01:00'));
    expect(add(calendar(), '2026-01-14T07:00:00+01:00', 60)).toBe(iso('2026-01-14T10:00:00+01:00'));
    expect(add(calendar(), '2026-01-14T20:00:00+01:00', 60)).toBe(iso('2026-01-15T10:00:00+01:00'));
  });

  it('handles exact boundaries', () => {
    expect(add(calendar(), '2026-01-14T17:00:00+01:00', 0)).toBe(iso('2026-01-15T09:00:00+01:00'));
    expect(add(calendar(), '2026-01-14T09:00:00+01:00', 0)).toBe(iso('2026-01-14T09:00:00+01:00'));
    // Using up a working day exactly ends at closing time, not at the next opening.
    expect(add(calendar(), '2026-01-14T16:00:00+01:00', 60)).toBe(iso('2026-01-14T17:00:00+01:00'));
    expect(add(calendar(), '2026-01-14T16:00:00+01:00', 61)).toBe(iso('2026-01-15T09:01:00+01:00'));
  });

  it('steps through a 30-business-day expiry by intervals, quickly', () => {
    const started = performance.now();
    expect(add(calendar(), '2026-01-05T09:00:00+01:00', 30 * 8 * 60)).toBe(iso('2026-02-13T17:00:00+01:00'));
    expect(businessMinutesBetween(calendar(), at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toBe(261 * 480);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('throws a user error for a calendar it cannot use, rather than looping', () => {
    const run = () => addBusinessMinutes(calendar({ workingDays: [] }), at('2026-01-14T09:00:00Z'), 60);
    expect(run).toThrow(AppError);
    expect(run).toThrow(expect.objectContaining({ code: 'config.bad_calendar', kind: 'user' }));
  });

  it('rejects negative or non-finite minutes and invalid dates', () => {
    expect(() => addBusinessMinutes(calendar(), at('2026-01-14T09:00:00Z'), -1)).toThrow(AppError);
    expect(() => addBusinessMinutes(calendar(), at('2026-01-14T09:00:00Z'), Number.NaN)).toThrow(AppError);
    expect(() => addBusinessMinutes(calendar(), new Date(Number.NaN), 1)).toThrow(AppError);
  });
});

describe('daylight saving time', () => {
  it('Europe/Brussels, last Sunday of March: a working week keeps its 40 hours', () => {
    expect(add(calendar(), '2026-03-27T16:00:00+01:00', 120)).toBe(iso('2026-03-30T10:00:00+02:00'));
    expect(businessMinutesBetween(calendar(), at('2026-03-23T00:00:00+01:00'), at('2026-04-06T00:00:00+02:00'))).toBe(
      10 * 480,
    );
  });

  it('Europe/Brussels: the Sunday has 23 hours in March and 25 in October', () => {
    const sunday = (from: string, to: string) => businessMinutesBetween(always, at(from), at(to));
    expect(sunday('2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23 * 60);
    expect(sunday('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25 * 60);
    expect(add(always, '2026-03-29T00:00:00+01:00', 23 * 60)).toBe(iso('2026-03-30T00:00:00+02:00'));
  });

  it('Europe/Brussels: a range starting in the skipped hour opens when the clocks jump', () => {
    const night = calendar({ workingDays: ['sun'], hours: [{ start: '02:30', end: '04:00' }] });
    expect(add(night, '2026-03-29T00:00:00+01:00', 0)).toBe(iso('2026-03-29T03:00:00+02:00'));
    expect(businessMinutesBetween(night, at('2026-03-29T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(60);
  });

  it('Europe/Brussels: an ambiguous opening time takes its earlier instant', () => {
    const night = calendar({ workingDays: ['sun'], hours: [{ start: '02:30', end: '04:00' }] });
    expect(add(night, '2026-10-25T00:00:00+02:00', 0)).toBe(iso('2026-10-25T02:30:00+02:00'));
    expect(businessMinutesBetween(night, at('2026-10-25T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(150);
  });

  it('America/New_York, second Sunday of March and first of November', () => {
    const ny = calendar({ timeZone: 'America/New_York' });
    expect(add(ny, '2026-03-06T16:00:00-05:00', 120)).toBe(iso('2026-03-09T10:00:00-04:00'));
    expect(add(ny, '2026-10-30T16:00:00-04:00', 120)).toBe(iso('2026-11-02T10:00:00-05:00'));
    const nyAlways = { ...always, timeZone: 'America/New_York' };
    expect(businessMinutesBetween(nyAlways, at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(
      25 * 60,
    );
  });
});

describe('time zones', () => {
  it('Asia/Kolkata, a half-hour offset', () => {
    const kolkata = calendar({ timeZone: 'Asia/Kolkata' });
    expect(add(kolkata, '2026-01-15T16:30:00+05:30', 60)).toBe(iso('2026-01-16T09:30:00+05:30'));
    expect(isWorkingTime(kolkata, at('2026-01-15T03:30:00Z'))).toBe(true);
    expect(isWorkingTime(kolkata, at('2026-01-15T03:29:59Z'))).toBe(false);
  });

  it('withTimeZone reads the same hours in the approver zone', () => {
    const base = calendar();
    const kolkata = withTimeZone(base, 'Asia/Kolkata');
    expect(kolkata).toEqual({ ...base, timeZone: 'Asia/Kolkata' });
    expect(nextWorkingInstant(kolkata, at('2026-01-15T00:00:00Z')).toISOString()).toBe(
      iso('2026-01-15T09:00:00+05:30'),
    );
    expect(withTimeZone(base, 'Asia/Kolkata')).toBe(kolkata);
  });

  it('withTimeZone keeps the calendar zone for an empty or unknown zone', () => {
    const base = calendar();
    expect(withTimeZone(base, null)).toBe(base);
    expect(withTimeZone(base, '')).toBe(base);
    expect(withTimeZone(base, 'Mars/Olympus_Mons')).toBe(base);
  });
});

describe('isWorkingTime and nextWorkingInstant', () => {
  it('includes the opening and excludes the closing instant', () => {
    expect(isWorkingTime(calendar(), at('2026-01-14T09:00:00+01:00'))).toBe(true);
    expect(isWorkingTime(calendar(), at('2026-01-14T16:59:59.999+01:00'))).toBe(true);
    expect(isWorkingTime(calendar(), at('2026-01-14T17:00:00+01:00'))).toBe(false);
    expect(isWorkingTime(lunch, at('2026-01-14T13:00:00+01:00'))).toBe(false);
    expect(isWorkingTime(calendar(), at('2026-01-17T12:00:00+01:00'))).toBe(false);
  });

  it('nextWorkingInstant returns the instant itself during working time', () => {
    const t = at('2026-01-14T11:11:11.111+01:00');
    expect(nextWorkingInstant(calendar(), t).getTime()).toBe(t.getTime());
    expect(nextWorkingInstant(lunch, at('2026-01-14T12:30:00+01:00')).toISOString()).toBe(
      iso('2026-01-14T13:30:00+01:00'),
    );
  });
});

describe('businessMinutesBetween', () => {
  it('counts working minutes in [from, to), zero when to is not after from', () => {
    expect(businessMinutesBetween(lunch, at('2026-01-14T12:00:00+01:00'), at('2026-01-14T14:00:00+01:00'))).toBe(60);
    expect(businessMinutesBetween(calendar(), at('2026-01-16T16:00:00+01:00'), at('2026-01-19T10:00:00+01:00'))).toBe(
      120,
    );
    expect(businessMinutesBetween(calendar(), at('2026-01-19T10:00:00Z'), at('2026-01-16T10:00:00Z'))).toBe(0);
  });
});

describe('validateCalendar', () => {
  it('accepts a sound calendar, including an end of 24:00', () => {
    expect(validateCalendar(lunch)).toBeNull();
    expect(validateCalendar(always)).toBeNull();
  });

  it.each([
    ['an unknown zone', { timeZone: 'Europe/Atlantis' }, /time zone "Europe\/Atlantis" is not known/],
    ['no working days', { workingDays: [] }, /no working days/],
    ['an unknown day', { workingDays: ['mon', 'fun'] as never }, /"fun"/],
    ['no hours', { hours: [] }, /no working hours/],
    ['an inverted range', { hours: [{ start: '17:00', end: '09:00' }] }, /cannot cross midnight/],
    ['an empty range', { hours: [{ start: '09:00', end: '09:00' }] }, /end at or before/],
    ['a malformed time', { hours: [{ start: '9:00', end: '17:00' }] }, /HH:MM/],
    ['24:00 as a start', { hours: [{ start: '24:00', end: '24:00' }] }, /HH:MM/],
    [
      'overlapping ranges',
      {
        hours: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '13:30' },
        ],
      },
      /overlap/,
    ],
    ['an impossible date', { holidays: ['2026-02-30'] }, /"2026-02-30" is not a real date/],
    ['a month 13', { holidays: ['2026-13-01'] }, /not a real date/],
    ['a date in another format', { holidays: ['25/12/2026'] }, /YYYY-MM-DD/],
  ])('rejects %s', (_name, overrides, message) => {
    expect(validateCalendar(calendar(overrides as Partial<BusinessCalendar>))).toMatch(message);
  });
});
