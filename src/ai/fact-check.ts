import { attachmentReasons } from './attach-claims.js';
import { takeDates, takeNumbers, takeReferences } from './claim-parsers.js';
import type { PromptFacts } from './prompt-facts.js';

export interface FactCheckResult {
  ok: boolean;
  /** One line per claim that matches no fact sent, for the log. */
  reasons: string[];
}

const normRef = (r: string) => r.toUpperCase().replace(/[^A-Z0-9]/g, '');

interface Allowed {
  numbers: number[];
  dates: Set<string>;
  refs: Set<string>;
  text: string;
  vendor: string | null;
}

function collect(sent: PromptFacts): Allowed {
  const strings: string[] = [];
  const numbers: number[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') strings.push(v);
    else if (typeof v === 'number') numbers.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(sent);
  const dates = new Set<string>();
  const refs = new Set<string>();
  for (const s of strings) {
    const d = takeDates(s);
    for (const x of d.dates) for (const r of x.readings) dates.add(r);
    const r = takeReferences(d.rest);
    for (const x of r.refs) refs.add(normRef(x));
    refs.add(normRef(s));
    for (const n of takeNumbers(r.rest)) numbers.push(...n.values);
  }
  for (const d of dates) numbers.push(Number(d.slice(0, 4)));
  const vendor = typeof sent.vendor === 'string' && !/^\[\w+\]$/.test(sent.vendor) ? sent.vendor : null;
  return { numbers, dates, refs, text: strings.join('\n').toLowerCase(), vendor };
}

/**
 * Runs of capitalised words (Deco Addict): names the draft may only repeat,
 * never invent. A possessive ends a name ("Azure Interior's Office Chair" is
 * two), and a name may be in the plural ("Office Chairs").
 */
function properNames(draft: string): string[] {
  const out: string[] = [];
  for (const m of draft.matchAll(/\b[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)+/g)) {
    const before = draft.slice(0, m.index).trimEnd();
    const sentenceStart = before === '' || /[.!?:]$/.test(before);
    const words = m[0].split(/\s+/);
    const run = sentenceStart ? words.slice(1).join(' ') : m[0];
    for (const name of run.split(/'s(?=\s|$)/).map((n) => n.trim())) if (name.split(/\s+/).length >= 2) out.push(name);
  }
  return out;
}

const knownName = (text: string, name: string) =>
  [name, name.replace(/e?s$/, '')].some((n) => text.includes(n.toLowerCase()));

/**
 * Every number, amount, percentage, date, document reference and name in
 * the draft must match a fact that was sent, allowing for formatting
 * (1,234.50 / 1.234,50 / 1.2k) and rounding to the digits shown. Where a
 * clause names one subject (a product, a document, the usual amount), its
 * figures must be that subject's, and "up"/"down" must agree with the sign
 * of the change (attach-claims.ts). Anything else rejects the draft: an
 * approver must never read an invented or misplaced figure.
 */
export function factCheck(draft: string, sent: PromptFacts): FactCheckResult {
  const allowed = collect(sent);
  const reasons: string[] = [];
  const d = takeDates(draft);
  for (const x of d.dates)
    if (!x.readings.some((r) => allowed.dates.has(r))) reasons.push(`date "${x.raw}" is not among the facts sent`);
  const r = takeReferences(d.rest);
  for (const ref of r.refs)
    if (!allowed.refs.has(normRef(ref))) reasons.push(`reference "${ref}" is not among the facts sent`);
  for (const n of takeNumbers(r.rest)) {
    const hit = n.values.some((v) => allowed.numbers.some((f) => Math.abs(Math.abs(v) - Math.abs(f)) <= n.tolerance));
    if (!hit) reasons.push(`${n.percent ? 'percentage' : 'number'} "${n.raw}" matches no fact sent`);
  }
  if (allowed.vendor && !draft.toLowerCase().includes(allowed.vendor.toLowerCase()))
    reasons.push(`the vendor "${allowed.vendor}" is not named`);
  for (const name of properNames(r.rest))
    if (!knownName(allowed.text, name)) reasons.push(`name "${name}" is not among the facts sent`);
  reasons.push(...attachmentReasons(draft, sent, allowed));
  return { ok: reasons.length === 0, reasons };
}
