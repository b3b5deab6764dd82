/**
 * The second half of the fact check: a figure must belong to what the draft
 * attaches it to. "Office Chair is up 20%" is rejected when 20% is the
 * desk's change, even though 20% is among the facts sent.
 *
 * The rule is conservative, because a false rejection only costs the AI
 * draft (the card keeps its fact-based summary) while a false acceptance can
 * mislead an approver, and a faithful draft must still pass:
 *
 * - the draft is split into clauses (draft-clauses.ts);
 * - a clause that names exactly one subject (a product, a document by
 *   reference, this document, the usual amount) may use only that subject's
 *   figures, the figures any clause may use (thresholds, limits quoted in
 *   flags, years), and, when it compares ("25% above P00090"), this
 *   document's own totals. Naming a product beside this document or beside
 *   the document its last price comes from still names one subject; the
 *   vendor is never a subject, since every figure is the vendor's;
 * - a clause that names several subjects, or none, or hints at another
 *   ("the desk", "the other lines"), keeps only the check that each figure
 *   exists among the facts;
 * - a clause copied from a fact sent (a flag's reason) is that fact;
 * - "up 20%" (or "20% lower") is rejected when every fact of 20% in scope is
 *   a change the other way.
 */
import type { NumberClaim } from './claim-parsers.js';
import { blank, claimsIn, dateSpans, type Span, splitClauses } from './draft-clauses.js';
import type { PromptFacts } from './prompt-facts.js';
import { type Figure, type Subject, type SubjectIndex, subjectIndex } from './subject-index.js';
import { findMentions, type Mention } from './subject-mentions.js';

/** Figures and dates that exist among the facts sent: a claim that is not among them is the existence check's to report. */
export interface KnownFacts {
  numbers: number[];
  dates: Set<string>;
}

interface Scope {
  subject: Subject;
  figures: Figure[];
  dates: string[];
}

const NUMBER = '(\\d{1,3}(?:[ ,.]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)';
const HEDGE = '(?:by\\s+|of\\s+)?(?:about\\s+|around\\s+|roughly\\s+|nearly\\s+|almost\\s+|some\\s+|over\\s+)?';
const PERCENT = '\\s?(?:%|percent\\b)';
const UP_BEFORE = new RegExp(
  `\\b(?:up(?!\\s+to\\b)|rose|risen|rising|rises|increased|increases|increase|rise|jumped|climbed|grew|higher|dearer|raised)\\s+${HEDGE}${NUMBER}${PERCENT}`,
  'gi',
);
const DOWN_BEFORE = new RegExp(
  `\\b(?:down|fell|fallen|falling|falls|dropped|drops|drop|decreased|decreases|decrease|fall|cut|reduced|lower|cheaper|lowered)\\s+${HEDGE}${NUMBER}${PERCENT}`,
  'gi',
);
const UP_AFTER = new RegExp(`(?<![\\w.,])${NUMBER}${PERCENT}\\s+(?:higher|more|above|dearer|up)\\b`, 'gi');
const DOWN_AFTER = new RegExp(`(?<![\\w.,])${NUMBER}${PERCENT}\\s+(?:lower|less|below|cheaper|down)\\b`, 'gi');
const SIGN_BEFORE = new RegExp(`(?:^|[\\s(])([+\\-−])${NUMBER}${PERCENT}`, 'g');

/** Each reading with its own rounding, and a percentage only with a percentage. */
const near = (claim: NumberClaim, f: Figure) =>
  (!claim.percent || f.percent) && claim.readings.some((r) => Math.abs(r.value - Math.abs(f.value)) <= r.tolerance);
const signed = (n: number) => `${n > 0 ? '+' : ''}${n.toFixed(1)}%`;
/** The digits of a claim, to tell one already reported. */
const digitsOf = (raw: string) => raw.replace(/\s?(?:%|percent)$/i, '').trim();

/** One line per figure the draft attaches to a subject it does not belong to, or whose direction is wrong. */
export function attachmentReasons(draft: string, sent: PromptFacts, known: KnownFacts): string[] {
  const index = subjectIndex(sent);
  const mentions = findMentions(index, draft);
  const names = mentions.filter((m) => m.role === 'subject' || m.role === 'vendor');
  const blanked = blank(draft, names);
  const hasFigure = (p: Span) => {
    const c = claimsIn(blanked.slice(p.start, p.end));
    return c.dates.length > 0 || c.numbers.length > 0;
  };
  const reasons: string[] = [];
  for (const c of splitClauses(draft, [...names, ...dateSpans(draft)], hasFigure)) {
    if (quoted(draft.slice(c.start, c.end), index.texts)) continue;
    const scope = scopeOf(
      index,
      mentions.filter((m) => m.start >= c.start && m.end <= c.end),
    );
    reasons.push(...checkClause(blanked.slice(c.start, c.end), scope, index, known));
  }
  return reasons;
}

/** A clause that is a piece of a fact sent, word for word. */
function quoted(clause: string, texts: string[]): boolean {
  const norm = clause
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:]*(?:(?:and|while|but|whereas)\b)?[\s,;:]*/, '')
    .replace(/[\s.,;:!?]+$/, '');
  return norm.length >= 12 && texts.some((t) => t.includes(norm));
}

/** The one subject the clause is about, and what it may say of it; null when it is not clear. */
function scopeOf(index: SubjectIndex, mentions: Mention[]): Scope | null {
  const keys = [...new Set(mentions.filter((m) => m.role === 'subject').map((m) => m.key!))];
  const hinted = mentions.some((m) => m.role === 'hint' && !keys.includes(m.key!));
  if (keys.length === 0 || hinted || mentions.some((m) => m.role === 'other')) return null;
  const named = keys.map((k) => index.subjects.get(k)!);
  const products = named.filter((s) => s.kind === 'product');
  if (products.length > 1) return null;
  const main = products[0] ?? (named.length === 1 ? named[0]! : null);
  if (!main) return null;
  const doc = index.subjects.get('document')!;
  const scope: Scope = { subject: main, figures: [...main.figures, ...index.global], dates: [...main.dates] };
  const widen = (figures: Figure[], dates: string[]) => {
    scope.figures.push(...figures);
    scope.dates.push(...dates);
  };
  for (const s of named) {
    if (s === main) continue;
    if (s === doc) widen(index.header, doc.dates);
    else if (main.linked.has(s.key)) widen(s.core, s.dates);
    else return null;
  }
  if (main !== doc && mentions.some((m) => m.role === 'compare')) widen(index.header, doc.dates);
  return scope;
}

function checkClause(text: string, scope: Scope | null, index: SubjectIndex, known: KnownFacts): string[] {
  const reasons: string[] = [];
  const wrong = new Set<string>();
  const claims = claimsIn(text);
  if (scope) {
    const { subject } = scope;
    if (scope.dates.length > 0)
      for (const d of claims.dates)
        if (d.readings.some((r) => known.dates.has(r)) && !d.readings.some((r) => scope.dates.includes(r)))
          reasons.push(`date "${d.raw}" is attached to ${subject.label}, ${subject.whose.number}`);
    for (const n of claims.numbers) {
      const exists = n.values.some((v) => known.numbers.some((f) => Math.abs(v - Math.abs(f)) <= n.tolerance));
      if (!exists || scope.figures.some((f) => near(n, f))) continue;
      wrong.add(digitsOf(n.raw));
      reasons.push(
        `${n.percent ? 'percentage' : 'number'} "${n.raw}" is attached to ${subject.label}, ${n.percent ? subject.whose.percent : subject.whose.number}`,
      );
    }
  }
  for (const { phrase, claim, up } of directions(text)) {
    if (wrong.has(digitsOf(claim.raw))) continue;
    const candidates = (scope ? scope.figures : index.all).filter((f) => f.percent && !f.policy && near(claim, f));
    const against = candidates.filter((f) => f.change && (up ? f.value < 0 : f.value > 0));
    if (candidates.length > 0 && against.length === candidates.length)
      reasons.push(`"${phrase}" says ${up ? 'up' : 'down'}, but ${against[0]!.change} is ${signed(against[0]!.value)}`);
  }
  return reasons;
}

/** Percentages the text gives a direction: "up 20%", "fell by 5%", "15% above", "+20%". */
function directions(text: string): Array<{ phrase: string; claim: NumberClaim; up: boolean }> {
  const out: Array<{ phrase: string; claim: NumberClaim; up: boolean }> = [];
  const seen = new Set<number>();
  const take = (re: RegExp, up: (m: RegExpMatchArray) => boolean) => {
    for (const m of text.matchAll(re)) {
      const digits = m.slice(1).find((g) => g !== undefined && /\d/.test(g))!;
      const at = m.index! + m[0].indexOf(digits);
      const claim = claimsIn(`${digits}%`).numbers[0];
      if (!claim || seen.has(at)) continue;
      seen.add(at);
      out.push({ phrase: m[0].trim(), claim: { ...claim, raw: `${digits}%` }, up: up(m) });
    }
  };
  take(UP_BEFORE, () => true);
  take(DOWN_BEFORE, () => false);
  take(UP_AFTER, () => true);
  take(DOWN_AFTER, () => false);
  take(SIGN_BEFORE, (m) => m[1] === '+');
  return out;
}
