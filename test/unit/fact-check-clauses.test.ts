import { describe, expect, it } from 'vitest';
import { blank, claimsIn, dateSpans, type Span, splitClauses } from '../../src/ai/draft-clauses.js';

/** The clauses of a text, with names (given as strings) protected and not read as figures. */
function clauses(text: string, names: string[] = []): string[] {
  const spans: Span[] = names.map((n) => ({ start: text.indexOf(n), end: text.indexOf(n) + n.length }));
  const blanked = blank(text, spans);
  const hasFigure = (p: Span) => {
    const c = claimsIn(blanked.slice(p.start, p.end));
    return c.dates.length > 0 || c.numbers.length > 0;
  };
  return splitClauses(text, [...spans, ...dateSpans(text)], hasFigure).map((c) => text.slice(c.start, c.end).trim());
}

describe('splitClauses', () => {
  it('splits at sentences, commas, semicolons and "and", "while", "but", "whereas"', () => {
    expect(
      clauses('Chair is up 20%, desk up 5%; lamp 3% and bin 4%. Pen 2% while cup 1%, but mug 7% whereas jug 8%.'),
    ).toEqual([
      'Chair is up 20%',
      ', desk up 5%',
      '; lamp 3%',
      'and bin 4%.',
      'Pen 2%',
      'while cup 1%',
      ', but mug 7%',
      'whereas jug 8%.',
    ]);
  });

  it('never splits a number, in either decimal convention, nor a date', () => {
    expect(clauses('It totals 1,250.50 EUR, or 1.250,50 EUR, dated Nov 20, 2026. Next 2.5% here.')).toEqual([
      'It totals 1,250.50 EUR',
      ', or 1.250,50 EUR',
      ', dated Nov 20, 2026.',
      'Next 2.5% here.',
    ]);
  });

  it('never splits inside a protected name, and reads no figure in it', () => {
    expect(clauses('Tables and Chairs 2000 is up 5%, fine.', ['Tables and Chairs 2000'])).toEqual([
      'Tables and Chairs 2000 is up 5%, fine.',
    ]);
  });

  it('joins a part without figures to the next one, or to the previous one at the end of a sentence', () => {
    expect(clauses('For Office Chair, up 20%. Up 5%, for the desk.')).toEqual([
      'For Office Chair, up 20%.',
      'Up 5%, for the desk.',
    ]);
    expect(clauses('Office Chair and Standing Desk are up 5% and 20%.')).toEqual([
      'Office Chair and Standing Desk are up 5%',
      'and 20%.',
    ]);
  });

  it('does not end a sentence at an abbreviation', () => {
    expect(clauses('Chair 20% vs. desk 5%.')).toEqual(['Chair 20% vs. desk 5%.']);
  });
});
