import { describe, expect, it } from 'vitest';
import { replacesInsights, writeDateInstant } from '../../src/flows/insight-version.js';

const at = (iso: string) => Date.parse(iso);

describe('write_date as a version', () => {
  it.each([
    ['2026-11-20 09:00:00', at('2026-11-20T09:00:00Z')],
    ['2026-11-20T09:00:00Z', at('2026-11-20T09:00:00Z')],
    ['2026-11-20 09:00:00.250', at('2026-11-20T09:00:00.250Z')],
    ['2026-11-20T10:00:00+01:00', at('2026-11-20T09:00:00Z')],
    ['2026-11-20 09:00', at('2026-11-20T09:00:00Z')],
  ])('reads %s as UTC unless it names a zone', (text, ms) => {
    expect(writeDateInstant(text)).toBe(ms);
  });

  it.each([null, '', 'yesterday', '2026-13-45 99:00:00'])('has no time for %j, which sorts first', (text) => {
    expect(writeDateInstant(text)).toBeNull();
  });

  it('keeps a later version and an accepted draft of the same version', () => {
    const v = (writeDate: string | null, aiDraft: string | null = null) => ({
      writeDate,
      flags: [],
      summary: 's',
      aiDraft,
    });
    expect(replacesInsights(v('2026-11-21 00:00:00'), v('2026-11-20 00:00:00', 'd'))).toBe(true);
    expect(replacesInsights(v('2026-11-20 00:00:00', 'd'), v('2026-11-21 00:00:00'))).toBe(false);
    expect(replacesInsights(v(null), v('2026-11-20 00:00:00'))).toBe(false);
    expect(replacesInsights(v('2026-11-20 00:00:00'), v(null, 'd'))).toBe(true);
    expect(replacesInsights(v('2026-11-20 00:00:00'), v('2026-11-20 00:00:00', 'd'))).toBe(false);
    expect(replacesInsights(v('2026-11-20 00:00:00', 'e'), v('2026-11-20 00:00:00', 'd'))).toBe(true);
  });
});
