/** How a risk flag's figures are attached to the subjects it names (subject-index.ts). */
import { claimsIn, type Span, splitClauses } from './draft-clauses.js';
import type { Figure, SubjectIndex } from './subject-index.js';
import { findMentions } from './subject-mentions.js';

export const fig = (value: number, percent = false, change?: string): Figure => ({
  value,
  percent,
  ...(change ? { change } : {}),
});
export const policy = (value: number, percent = false): Figure => ({ value, percent, policy: true });

/** Policy values quoted by flags: limits, windows, the count of folded lines. */
const POLICY = /\b(?:limit|more than|within)\s+([\d.,]+)|\b(\d+) more (?:lines|products)\b/gi;

/** The numbers of a text as figures; a percentage written with a minus ("by -25.0%") is a fall. */
export function signedFigures(text: string): Figure[] {
  const negative = new Set([...text.matchAll(/(?:^|[\s(])[-−]([\d.,]+)\s?%/g)].map((m) => m[1]));
  return claimsIn(text).numbers.flatMap((n) =>
    n.values.map((v) => {
      const minus = n.percent && negative.has(n.raw.replace(/\s?%$/, ''));
      return fig(minus ? -v : v, n.percent, minus ? 'a risk flag' : undefined);
    }),
  );
}

/**
 * A flag's figures belong to the subjects its clause names ("P00099 ...
 * brings the total to 9,750.00 EUR"), or to this document when it names
 * none; never to a subject whose identifying figure it is not (the amount of
 * this order stays off the usual amount).
 */
export function attachFlag(index: SubjectIndex, flag: string): void {
  const values: Span[] = [];
  for (const m of flag.matchAll(POLICY)) {
    const digits = m[1] ?? m[2]!;
    const end = m.index + m[0].length;
    const claim = claimsIn(`${digits}${flag[end] === '%' ? '%' : ''}`).numbers[0];
    if (claim) index.global.push(...claim.values.map((v) => policy(v, claim.percent)));
    values.push({ start: m.index + m[0].lastIndexOf(digits), end: m.index + m[0].lastIndexOf(digits) + digits.length });
  }
  const mentions = findMentions(index, flag);
  const names = mentions.filter((m) => m.role === 'subject' || m.role === 'vendor');
  const doc = index.subjects.get('document')!;
  for (const c of splitClauses(flag, names, () => true)) {
    const keys = new Set(
      mentions.filter((m) => m.role === 'subject' && m.start >= c.start && m.end <= c.end).map((m) => m.key!),
    );
    const owners = keys.size > 0 ? [...keys].map((k) => index.subjects.get(k)!) : [doc];
    if (!owners.includes(doc)) owners.push(doc);
    const text = flag.slice(c.start, c.end);
    for (const f of signedFigures(blankNames(text, [...names, ...values], c.start)))
      for (const s of owners) {
        // Its own figure is there already, with its sign; another's identifying figure is not lent.
        const own = s.figures.some((x) => same(x, f)) || s.core.some((x) => same(x, f));
        const other = [...index.subjects.values()].some((o) => o !== s && o.core.some((x) => same(x, f)));
        if (!own && !other) {
          s.figures.push(f);
          if (s === doc && keys.size === 0) index.header.push(f);
        }
      }
  }
}

const same = (a: Figure, b: Figure) => Math.abs(Math.abs(a.value) - Math.abs(b.value)) < 1e-6;

function blankNames(text: string, names: Span[], offset: number): string {
  let out = text;
  for (const n of names) {
    const s = Math.max(0, n.start - offset);
    const e = Math.min(text.length, n.end - offset);
    if (e > s) out = out.slice(0, s) + ' '.repeat(e - s) + out.slice(e);
  }
  return out;
}
