import { describe, expect, it } from 'vitest';
import { redactDeep, redactText } from '../../src/ai/redact.js';

describe('redactText', () => {
  it.each([
    ['mail anna.berg@vendor.example now', 'mail [email] now'],
    ['call +49 30 1234 5678 today', 'call [phone] today'],
    ['call (555) 123-4567', 'call [phone]'],
    ['call 030 1234567', 'call [phone]'],
    ['pay DE89 3704 0044 0532 0130 00 please', 'pay [iban] please'],
    ['pay DE89370400440532013000', 'pay [iban]'],
    ['card 4111 1111 1111 1111 used', 'card [card] used'],
  ])('masks %s', (input, masked) => {
    expect(redactText(input)).toBe(masked);
  });

  it('leaves amounts, percentages, dates and references alone', () => {
    const s =
      'P00042: 1,250.50 EUR, up 20.0% since 2026-11-20 (20.11.2026), INV/2026/0017, BILL/2026/00007, INV-0012345, 12 units';
    expect(redactText(s)).toBe(s);
  });

  it('masks strings anywhere in a structure and keeps numbers', () => {
    expect(redactDeep({ a: ['x@y.io', 3], b: { c: '+1 415 555 0100' }, d: null })).toEqual({
      a: ['[email]', 3],
      b: { c: '[phone]' },
      d: null,
    });
  });
});
