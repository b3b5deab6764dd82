/**
 * The subjects a draft can attach a figure to, built from the facts sent:
 * this document, each document named by reference (earlier ones, the order
 * a bill matches, where a last price comes from), each product, and the
 * usual amount; each with the figures that are its own.
 */
import { claimsIn } from './draft-clauses.js';
import type { PromptFacts } from './prompt-facts.js';
import { attachFlag, fig, policy, signedFigures } from './subject-flags.js';
import { DOCUMENT, productPatterns, refPattern, USUAL } from './subject-mentions.js';

export interface Figure {
  value: number;
  percent: boolean;
  /** A policy value (a threshold, a limit, a year): it may go with anything, and has no direction. */
  policy?: boolean;
  /** Set on a change (a price change, a variance): its sign says up or down, and this names it in a rejection. */
  change?: string;
}

export interface Subject {
  key: string;
  kind: 'document' | 'reference' | 'product' | 'usual';
  label: string;
  /** The figures a clause naming only this subject may use. */
  figures: Figure[];
  /** What identifies it (a total, a product's prices): no other subject borrows these from a flag. */
  core: Figure[];
  dates: string[];
  /** Products: the documents their prices are compared with, so naming one beside the product adds no subject. */
  linked: Set<string>;
  /** Its facts in words, for a rejection: after a percentage, and after a number or date. */
  whose: { percent: string; number: string };
  /** How a draft names it. */
  patterns: RegExp[];
  /** Products: the last word of the name ("chairs"), which hints at it without naming it. */
  hint?: RegExp;
}

export interface SubjectIndex {
  subjects: Map<string, Subject>;
  /** Figures any clause may use: tier thresholds, the limits and windows quoted in flags, counts, years. */
  global: Figure[];
  /** This document's own totals: what a comparison ("25% above P00090") brings into a clause. */
  header: Figure[];
  /** Every figure sent, signed where it is a change: the scope of a clause that names no one subject. */
  all: Figure[];
  vendor: RegExp | null;
  /** Every string sent, lower-cased, so a clause quoted from a flag is taken as the fact it is. */
  texts: string[];
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** A usable name: not empty, not a mask such as [vendor], with a letter or digit. */
const name = (v: unknown): v is string =>
  typeof v === 'string' && /[\p{L}\p{N}]/u.test(v) && !/^\[\w+\]$/.test(v.trim()) && v.trim().length >= 2;
const amt = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (n: number) => `${n.toFixed(1)}%`;
const q = (v: unknown) => (num(v) ? String(v) : '?');
const refKey = (r: string) => `ref:${r.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '')}`;

/** Builds the subjects of the facts sent, and attaches each flag's figures to the subjects its clauses name. */
export function subjectIndex(sent: PromptFacts): SubjectIndex {
  const subjects = new Map<string, Subject>();
  const header: Figure[] = [];
  const global: Figure[] = [];
  const add = (key: string, kind: Subject['kind'], label: string, patterns: RegExp[]): Subject => {
    const had = subjects.get(key);
    if (had) return had;
    const s: Subject = {
      key,
      kind,
      label,
      figures: [],
      core: [],
      dates: [],
      linked: new Set(),
      whose: { percent: '', number: '' },
      patterns,
    };
    subjects.set(key, s);
    return s;
  };
  /** A figure that is the subject's own and identifies it. */
  const identify = (s: Subject, value: number) => {
    s.figures.push(fig(value));
    s.core.push(fig(value));
  };
  const say = (s: Subject, number: string, percent = number) => {
    s.whose.number = s.whose.number ? `${s.whose.number}; ${number}` : number;
    s.whose.percent = s.whose.percent ? `${s.whose.percent}; ${percent}` : percent;
  };

  // This document.
  const reference = name(sent.reference) ? sent.reference : null;
  const doc = add('document', 'document', reference ? `this document (${reference})` : 'this document', [
    DOCUMENT,
    ...(reference ? [refPattern(reference)] : []),
    ...(name(sent.vendorReference) ? [refPattern(sent.vendorReference)] : []),
  ]);
  const date = typeof sent.date === 'string' ? sent.date.slice(0, 10) : null;
  if (date) doc.dates.push(date);
  if (num(sent.amount)) {
    header.push(fig(sent.amount));
    doc.core.push(fig(sent.amount));
    for (const t of Array.isArray(sent.thresholds) ? sent.thresholds.filter(num) : [])
      header.push(fig(Math.abs(t - sent.amount)));
  }
  say(doc, `whose amount is ${num(sent.amount) ? amt(sent.amount) : 'not known'}${date ? ` (${date})` : ''}`);
  for (const t of Array.isArray(sent.thresholds) ? sent.thresholds.filter(num) : []) global.push(policy(t));
  const sale = rec(sent.sale);
  if (sale) for (const v of [sale.maxDiscountPct, sale.marginPct]) if (num(v)) header.push(fig(v, true));

  // Earlier documents and the usual amount.
  const history = (Array.isArray(sent.history) ? sent.history : []).map(rec).filter((h): h is Rec => h !== null);
  for (const h of history) {
    if (!name(h.reference)) continue;
    const r = add(refKey(h.reference), 'reference', h.reference, [refPattern(h.reference)]);
    const d = typeof h.date === 'string' ? h.date.slice(0, 10) : null;
    if (d) r.dates.push(d);
    if (num(h.amount)) identify(r, h.amount);
    say(r, `whose amount is ${num(h.amount) ? amt(h.amount) : 'not known'}${d ? ` (${d})` : ''}`);
  }
  const usual = rec(sent.usual);
  if (usual || history.length > 0) {
    const u = add('usual', 'usual', 'the usual amount', [USUAL]);
    if (usual && num(usual.median)) identify(u, usual.median);
    if (usual && num(usual.documents)) u.figures.push(fig(usual.documents));
    u.figures.push(fig(history.length), ...history.filter((h) => num(h.amount)).map((h) => fig(h.amount as number)));
    u.dates.push(...history.map((h) => (typeof h.date === 'string' ? h.date.slice(0, 10) : '')).filter(Boolean));
    say(
      u,
      usual && num(usual.median)
        ? `which is the median ${amt(usual.median)} of the last ${num(usual.documents) ? usual.documents : history.length}`
        : `which comes from ${history.length} earlier documents`,
    );
  }

  // Products: last prices on a purchase order, order lines on a bill.
  const lp = sent.lastPrices;
  const prices = (Array.isArray(lp) ? lp : Array.isArray(rec(lp)?.shown) ? (rec(lp)!.shown as unknown[]) : [])
    .map(rec)
    .filter((p): p is Rec => p !== null && name(p.product));
  if (num(rec(lp)?.otherProducts)) global.push(policy(rec(lp)!.otherProducts as number));
  for (const p of prices) {
    const product = p.product as string;
    const s = add(`product:${product.toLowerCase()}`, 'product', product, []);
    Object.assign(s, productPatterns(product));
    const change = num(p.changePct) ? fig(p.changePct, true, `${product}'s change`) : null;
    for (const v of [p.unitPrice, p.lastPrice]) if (num(v)) identify(s, v);
    if (change) s.figures.push(change);
    say(
      s,
      `whose unit price is ${num(p.unitPrice) ? amt(p.unitPrice) : 'not known'}${num(p.lastPrice) ? ` and last price ${amt(p.lastPrice)}` : ''}`,
      change ? `whose change is ${pct(change.value)}` : 'which has no last price to compare with',
    );
    if (name(p.lastReference)) {
      s.linked.add(refKey(p.lastReference));
      const r = add(refKey(p.lastReference), 'reference', p.lastReference, [refPattern(p.lastReference)]);
      if (num(p.lastPrice)) r.figures.push(fig(p.lastPrice));
      if (change) r.figures.push(change);
      // An earlier document is described by its own amount; one known only as a price's source, by that price.
      if (!history.some((h) => h.reference === p.lastReference))
        say(
          r,
          `where ${product} was last bought${num(p.lastPrice) ? ` at ${amt(p.lastPrice)}` : ''}`,
          change ? `from which ${product}'s price changed ${pct(change.value)}` : `where ${product} was last bought`,
        );
    }
  }
  const bill = rec(sent.bill);
  if (bill) {
    const order = name(bill.orderReference) ? bill.orderReference : null;
    const o = order ? add(refKey(order), 'reference', order, [refPattern(order)]) : null;
    const variance = num(bill.variancePct)
      ? fig(bill.variancePct, true, `the variance from ${order ?? 'the order'}`)
      : null;
    const totals = [
      ...(num(bill.orderAmount) ? [fig(bill.orderAmount)] : []),
      ...(num(bill.variance) ? [fig(bill.variance)] : []),
      ...(variance ? [variance] : []),
    ];
    header.push(...totals);
    if (o) {
      o.figures.push(...totals);
      if (num(bill.orderAmount)) o.core.push(fig(bill.orderAmount));
      say(
        o,
        `whose amount is ${num(bill.orderAmount) ? amt(bill.orderAmount) : 'not known'}${num(bill.variance) ? ` (variance ${amt(bill.variance)})` : ''}`,
        variance ? `from which this bill varies by ${pct(variance.value)}` : 'which has no variance among the facts',
      );
    }
    if (num(bill.otherLines)) global.push(policy(bill.otherLines));
    for (const l of (Array.isArray(bill.lines) ? bill.lines : []).map(rec)) {
      if (!l || !name(l.product)) continue;
      const product = l.product;
      const s = add(`product:${product.toLowerCase()}`, 'product', product, []);
      if (s.patterns.length === 0) Object.assign(s, productPatterns(product));
      const change = num(l.priceChangePct)
        ? fig(l.priceChangePct, true, `${product}'s billed price against ${order ?? 'the order'}`)
        : null;
      for (const v of [l.ordered, l.received, l.billed]) if (num(v)) s.figures.push(fig(v));
      for (const v of [l.orderPrice, l.billPrice]) if (num(v)) identify(s, v);
      if (change) s.figures.push(change);
      say(
        s,
        `whose line has ${q(l.ordered)} ordered, ${q(l.received)} received and ${q(l.billed)} billed at ${num(l.billPrice) ? amt(l.billPrice) : '?'} (ordered at ${num(l.orderPrice) ? amt(l.orderPrice) : '?'})`,
        change ? `whose billed price differs from the order by ${pct(change.value)}` : 'which has no price change',
      );
      if (o) {
        s.linked.add(o.key);
        o.figures.push(...[l.ordered, l.received, l.orderPrice].filter(num).map((v) => fig(v)));
        if (change) o.figures.push(change);
      }
    }
  }
  for (const s of subjects.values())
    if (s.kind === 'product') {
      s.dates.push(...doc.dates);
      for (const k of s.linked) s.dates.push(...(subjects.get(k)?.dates ?? []));
    }
  // This document holds its lines and products.
  doc.figures.push(...header);
  for (const s of subjects.values()) if (s.kind === 'product') doc.figures.push(...s.figures);

  const texts = strings(sent);
  // A year alone ("in 2026") may go with anything.
  for (const t of texts)
    for (const d of claimsIn(t).dates) global.push(...d.readings.map((r) => policy(Number(r.slice(0, 4)))));
  const vendor = name(sent.vendor) ? refPattern(sent.vendor) : null;
  const index: SubjectIndex = { subjects, global: global.filter((f) => num(f.value)), header, all: [], vendor, texts };
  const flags = Array.isArray(sent.flags) ? sent.flags.filter((f): f is string => typeof f === 'string') : [];
  for (const t of flags) attachFlag(index, t);
  index.all = [
    ...[...subjects.values()].flatMap((s) => s.figures),
    ...index.global,
    // A flag's figures are attached above, its policy values among the global ones.
    ...texts.filter((t) => !flags.includes(t)).flatMap((t) => signedFigures(t)),
  ];
  index.texts = texts.map((t) => t.toLowerCase().replace(/\s+/g, ' '));
  return index;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}
