import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { BusinessCalendar } from '../../src/flows/business-hours.js';
import { parseBusinessDuration, parseDuration, toBusinessMinutes, validateDuration } from '../../src/flows/duration.js';

function hours(...ranges: Array<[string, string]>): Pick<BusinessCalendar, 'hours'> {
  return { hours: ranges.map(([start, end]) => ({ start, end })) };
}
const eightHours = hours(['09:00', '17:00']);
const withLunch = hours(['09:00', '12:30'], ['13:30', '17:30']);

describe('parseDuration', () => {
  it.each([
    ['30m', { days: 0, minutes: 30 }],
    ['4h', { days: 0, minutes: 240 }],
    ['1h30m', { days: 0, minutes: 90 }],
    ['2d', { days: 2, minutes: 0 }],
    ['1w', { days: 5, minutes: 0 }],
    ['1w2d4h15m', { days: 7, minutes: 255 }],
    [' 1d 4h ', { days: 1, minutes: 240 }],
    ['90m', { days: 0, minutes: 90 }],
  ])('reads %j', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it.each([
    ['4x', /"4x" is not a duration.*30m, 4h, 1h30m, 2d or 1w/],
    ['-1h', /negative/],
    ['', /empty/],
    ['   ', /empty/],
    ['h', /"h" is not a duration/],
    ['1.5h', /not a duration/],
    ['30m1h', /out of order/],
    ['1h1h', /repeats a unit/],
    ['0m', /is zero/],
    ['0d0h', /is zero/],
    ['9999w', /longer than ten years/],
  ])('rejects %j with a user error that says how to write one', (text, message) => {
    let caught: unknown;
    try {
      parseDuration(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: 'config.bad_duration', kind: 'user' });
    expect((caught as AppError).message).toMatch(message);
    expect((caught as AppError).message).toMatch(/^[A-Z"]/);
  });

  it('reads back what it is given, for any combination of units', () => {
    const part = fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, (w, d, h, m) => {
        fc.pre([w, d, h, m].some((n) => n !== undefined));
        const text = [w && `${w}w`, d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join('');
        expect(parseDuration(text)).toEqual({ days: (w ?? 0) * 5 + (d ?? 0), minutes: (h ?? 0) * 60 + (m ?? 0) });
      }),
    );
  });

  it('never throws anything but a config.bad_duration AppError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        try {
          parseDuration(text);
        } catch (err) {
          expect(err).toMatchObject({ code: 'config.bad_duration', kind: 'user' });
        }
      }),
    );
  });
});

describe('business minutes', () => {
  it('gives a day the length of the calendar working day', () => {
    expect(parseBusinessDuration('2d', eightHours)).toBe(960);
    expect(parseBusinessDuration('1w', eightHours)).toBe(2400);
    expect(parseBusinessDuration('4h', eightHours)).toBe(240);
    expect(parseBusinessDuration('1h30m', eightHours)).toBe(90);
    expect(parseBusinessDuration('1d', withLunch)).toBe(450);
    expect(toBusinessMinutes({ days: 1, minutes: 30 }, withLunch)).toBe(480);
  });

  it('throws a user error when the calendar hours are malformed', () => {
    expect(() => parseBusinessDuration('1d', hours(['17:00', '09:00']))).toThrow(AppError);
  });
});

describe('validateDuration', () => {
  it('returns null for a valid duration and a sentence otherwise', () => {
    expect(validateDuration('1h30m')).toBeNull();
    expect(validateDuration('4x')).toMatch(/not a duration.*e\.g\. 30m/);
    expect(validateDuration(4)).toMatch(/must be text such as 30m/);
    expect(validateDuration(undefined)).toMatch(/must be text/);
  });
});
