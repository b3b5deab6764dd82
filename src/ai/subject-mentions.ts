/** How a draft names a subject, hints at one, or compares (subject-index.ts). */
import type { Span } from './draft-clauses.js';
import type { SubjectIndex } from './subject-index.js';

export interface Mention extends Span {
  key: string | null;
  role: 'subject' | 'hint' | 'vendor' | 'other' | 'compare';
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A reference as written, not inside a longer one (P0004 is not in P00040). */
export const refPattern = (r: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}/_-])${esc(r.trim())}(?![\\p{L}\\p{N}/_-])`, 'giu');

export const DOCUMENT =
  /\bthis (?:(?:purchase|sale|sales|vendor|expense)\s+)?(?:order|bill|invoice|expense|report|claim|quotation|quote|request|document|sheet|po)\b/gi;
export const USUAL = /\b(?:usual(?:ly)?|typical(?:ly)?|median|normal(?:ly)?|average)\b/gi;
/** Words that bring in a subject the clause does not name. */
const OTHER = /\b(?:other|others|another|rest|remaining|respectively|both)\b/gi;
/** Words that compare the subject with something, most often this document ("25% above P00090"). */
const COMPARE =
  /\b(?:above|below|over|under|than|times|twice|double|triple|half|compared|comparison|versus|vs|against|exceed(?:s|ed|ing)?|beyond|in line|close to|near(?:ly)?|similar|like|match(?:es|ed|ing)?|within|relative)\b/gi;

export function productPatterns(product: string): { patterns: RegExp[]; hint?: RegExp } {
  const names = [product.trim(), product.replace(/\[[^\]]*\]/g, '').trim()].filter(
    (n, i, a) => n && a.indexOf(n) === i,
  );
  const patterns = names.map((n) => new RegExp(`(?<![\\p{L}\\p{N}])${esc(n)}(?:s|es)?(?![\\p{L}\\p{N}])`, 'giu'));
  const words = (names.at(-1) ?? '').split(/\s+/);
  const last = words.at(-1)?.toLowerCase() ?? '';
  if (words.length < 2 || !/^\p{L}{3,}$/u.test(last)) return { patterns };
  const forms = last.endsWith('y') ? `${esc(last)}|${esc(last.slice(0, -1))}ies` : `${esc(last)}(?:s|es)?`;
  return { patterns, hint: new RegExp(`(?<![\\p{L}\\p{N}])(?:${forms})(?![\\p{L}\\p{N}])`, 'giu') };
}

/** Every name, hint and signal word of the text; a name inside a longer one (Desk in Standing Desk) is not counted. */
export function findMentions(index: SubjectIndex, text: string): Mention[] {
  const found: Mention[] = [];
  for (const s of index.subjects.values())
    for (const re of s.patterns)
      for (const m of text.matchAll(re))
        found.push({ key: s.key, role: 'subject', start: m.index, end: m.index + m[0].length });
  if (index.vendor)
    for (const m of text.matchAll(index.vendor))
      found.push({ key: null, role: 'vendor', start: m.index, end: m.index + m[0].length });
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Mention[] = [];
  const overlaps = (x: Span) => kept.some((k) => x.start < k.end && k.start < x.end);
  for (const m of found) if (!overlaps(m)) kept.push(m);
  const words: Array<[RegExp, Mention['role'], string | null]> = [
    ...[...index.subjects.values()].flatMap(
      (s): Array<[RegExp, Mention['role'], string]> => (s.hint ? [[s.hint, 'hint', s.key]] : []),
    ),
    [OTHER, 'other', null],
    [COMPARE, 'compare', null],
  ];
  for (const [re, role, key] of words)
    for (const m of text.matchAll(re)) {
      const span = { start: m.index, end: m.index + m[0].length };
      if (!overlaps(span)) kept.push({ ...span, key, role });
    }
  return kept.sort((a, b) => a.start - b.start);
}
