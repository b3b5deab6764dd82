import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  isWorkingTime,
  nextWorkingInstant,
} from '../../src/flows/business-hours.js';
import type { Weekday } from '../../src/flows/policy.js';

const ZONES = ['Europe/Brussels', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Auckland', 'UTC'];
const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const clock = (m: number) =>
  m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Random calendars: 1–3 disjoint ranges (some in the small hours, where DST changes happen), random days and holidays. */
const calendarArb: fc.Arbitrary<BusinessCalendar> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  workingDays: fc.subarray(DAYS, { minLength: 1 }),
  hours: fc
    .uniqueArray(fc.integer({ min: 0, max: 48 }), { minLength: 2, maxLength: 6 })
    .filter((a) => a.length % 2 === 0)
    .map((a) => {
      const cuts = [...a].sort((x, y) => x - y).map((h) => h * 30);
      const ranges: Array<{ start: string; end: string }> = [];
      for (let i = 0; i < cuts.length; i += 2) ranges.push({ start: clock(cuts[i]!), end: clock(cuts[i + 1]!) });
      return ranges;
    }),
  holidays: fc.uniqueArray(
    fc
      .date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    { maxLength: 20 },
  ),
});
/** Sundays when one of ZONES changes its clocks in 2026. */
const TRANSITIONS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01'];
const instantArb = fc.oneof(
  fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 86_400_000, max: 86_400_000 }))
    .map(([day, ms]) => new Date(Date.parse(`${day}T00:00:00Z`) + ms)),
);
const minutesArb = fc.integer({ min: 0, max: 20_000 });

describe('business-hours properties', () => {
  it('businessMinutesBetween(from, addBusinessMinutes(from, m)) is m', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (c, from, m) => {
        expect(businessMinutesBetween(c, from, addBusinessMinutes(c, from, m))).toBe(m);
      }),
    );
  });

  it('is monotonic: more minutes never give an earlier instant', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (c, from, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessMinutes(c, from, lo).getTime()).toBeLessThanOrEqual(
          addBusinessMinutes(c, from, hi).getTime(),
        );
      }),
    );
  });

  it('lands on working time, or on the end of a working interval when minutes were used up', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (c, from, m) => {
        const r = addBusinessMinutes(c, from, m);
        const endOfInterval = m > 0 && !isWorkingTime(c, r) && isWorkingTime(c, new Date(r.getTime() - 1));
        expect(isWorkingTime(c, r) || endOfInterval).toBe(true);
        expect(r.getTime()).toBeGreaterThanOrEqual(from.getTime());
      }),
    );
  });

  it('adds in steps: add(a + b) equals add(add(a), b) for b > 0', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, fc.integer({ min: 1, max: 20_000 }), (c, from, a, b) => {
        const once = addBusinessMinutes(c, from, a + b).getTime();
        const twice = addBusinessMinutes(c, addBusinessMinutes(c, from, a), b).getTime();
        expect(twice).toBe(once);
      }),
    );
  });

  it('counts additively over split ranges', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (c, x, y, z) => {
        const [a, b, d] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(businessMinutesBetween(c, a, b) + businessMinutesBetween(c, b, d)).toBeCloseTo(
          businessMinutesBetween(c, a, d),
          6,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('nextWorkingInstant(t) is t exactly when t is working time', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (c, t) => {
        expect(nextWorkingInstant(c, t).getTime() === t.getTime()).toBe(isWorkingTime(c, t));
      }),
    );
  });
});
