import { describe, expect, it } from 'vitest';
import { endOfDayIn, startOfDayIn } from '../../src/flows/start-of-day.js';

const dateIn = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

describe('startOfDayIn', () => {
  it('is local midnight, in winter and in summer', () => {
    expect(startOfDayIn('2026-11-25', 'Europe/Brussels').toISOString()).toBe('2026-11-24T23:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'Europe/Brussels').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'UTC').toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });

  it.each([
    ['Europe/Brussels', '2026-03-29'],
    ['Europe/Brussels', '2026-10-25'],
    ['America/Santiago', '2026-09-06'],
    ['America/Santiago', '2026-04-05'],
    ['Asia/Tokyo', '2026-01-01'],
  ])('in %s on %s is the first instant of that date there', (tz, date) => {
    const start = startOfDayIn(date, tz);
    expect(dateIn(start, tz)).toBe(date);
    expect(dateIn(new Date(start.getTime() - 1000), tz)).not.toBe(date);
  });

  it('ends a day where the next one starts', () => {
    expect(endOfDayIn('2026-11-25', 'Europe/Brussels').toISOString()).toBe('2026-11-25T23:00:00.000Z');
  });
});
