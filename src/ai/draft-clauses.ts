/** Splits a draft into the clauses a figure can belong to, for the attachment check (attach-claims.ts). */
import { type NumberClaim, takeDates, takeNumbers, takeReferences } from './claim-parsers.js';

export interface Span {
  start: number;
  end: number;
}

/** What a piece of text claims: its dates, and its numbers once dates and references are taken out. */
export function claimsIn(text: string): { dates: Array<{ raw: string; readings: string[] }>; numbers: NumberClaim[] } {
  const d = takeDates(text);
  return { dates: d.dates, numbers: takeNumbers(takeReferences(d.rest).rest) };
}

/** Where each date of the text is, so a clause boundary is never cut through "Nov 20, 2026". */
export function dateSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const { raw } of takeDates(text).dates)
    for (let at = text.indexOf(raw); at >= 0; at = text.indexOf(raw, at + 1))
      spans.push({ start: at, end: at + raw.length });
  return spans;
}

/** The text with these spans replaced by spaces of the same length: names no longer read as figures. */
export function blank(text: string, spans: Span[]): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

/** "vs." or "e.g." end no sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:vs|approx|ca|e\.g|i\.e|etc|no|nr|inc|ltd|co|corp|mr|mrs|ms|dr|st|[a-z])\.$/i;
const SOFT_BOUNDARY = /[;,]|\b(?:and|while|but|whereas)\b/gi;

/**
 * Clauses by position: sentences, then `,` `;` "and" "while" "but"
 * "whereas", never inside a protected span (a name, a date) nor in a number
 * (1,250.50). A part without a figure joins the next one, or the previous
 * one at the end of a sentence, so "For Office Chair, up 20%" stays one
 * clause and "Office Chair and Standing Desk are up 5% and 20%" does not
 * pin 5% on the desk alone.
 */
export function splitClauses(text: string, protect: Span[], hasFigure: (part: Span) => boolean): Span[] {
  const inside = (i: number) => protect.some((p) => i > p.start && i < p.end);
  const sentences: Span[] = [];
  let from = 0;
  for (const m of text.matchAll(/[.!?]+(?=\s|$)/g)) {
    if (inside(m.index)) continue;
    if (m[0] === '.' && ABBREVIATION.test(text.slice(Math.max(0, m.index - 8), m.index + 1))) continue;
    sentences.push({ start: from, end: m.index + m[0].length });
    from = m.index + m[0].length;
  }
  if (text.slice(from).trim() !== '') sentences.push({ start: from, end: text.length });
  const clauses: Span[] = [];
  for (const s of sentences) {
    const cuts = [s.start];
    for (const m of text.slice(s.start, s.end).matchAll(SOFT_BOUNDARY)) {
      const i = s.start + m.index;
      if (inside(i)) continue;
      if (m[0] === ',' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue;
      if (i > cuts.at(-1)!) cuts.push(i);
    }
    const merged: Span[] = [];
    let pending: number | null = null;
    cuts.forEach((start, k) => {
      const part = { start, end: cuts[k + 1] ?? s.end };
      if (!hasFigure(part)) pending ??= start;
      else {
        merged.push({ start: pending ?? start, end: part.end });
        pending = null;
      }
    });
    if (pending !== null) {
      if (merged.length > 0) merged.at(-1)!.end = s.end;
      else merged.push({ start: pending, end: s.end });
    }
    clauses.push(...merged);
  }
  return clauses;
}
