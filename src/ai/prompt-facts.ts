import { type CaseFacts, FACT_NAMES, type FactName, type RiskFlag } from '../flows/context-ports.js';
import { median, usualAmounts } from '../flows/risk-flags.js';
import { redactDeep } from './redact.js';

/** Exactly what is sent to the provider: an allow-list of fields, masked. The fact check compares against this. */
export type PromptFacts = Record<string, unknown>;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces a name everywhere inside a JSON-like value. */
function maskName<T>(value: T, name: string, mask: string): T {
  const re = new RegExp(escapeRegExp(name), 'gi');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, mask);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** At most this many per-line facts go into a prompt: the most changed first; the rest are counted. */
export const PROMPT_LINE_FACTS = 15;

/** The `max` items with the largest absolute change, in their original order, and how many were left out. */
function mostChanged<T>(items: T[], change: (t: T) => number | null, max = PROMPT_LINE_FACTS) {
  if (items.length <= max) return { kept: items, omitted: 0 };
  const keep = new Set(
    items
      .map((t, i) => ({ i, size: Math.abs(change(t) ?? 0) }))
      .sort((a, b) => b.size - a.size || a.i - b.i)
      .slice(0, max)
      .map((x) => x.i),
  );
  return { kept: items.filter((_, i) => keep.has(i)), omitted: items.length - max };
}

/**
 * The facts for the prompt. `allow` is the flow's `ai.facts`: only those
 * names are sent (the document kind always is); absent, every fact is. The
 * allowlist applies first and the masking of personal data after, so a
 * vendor left out does not come back inside a flag's reason either.
 */
export function promptFacts(f: CaseFacts, flags: RiskFlag[], allow?: readonly FactName[]): PromptFacts {
  // Across currencies the median is in the company currency (see usualAmounts), and says so.
  const comparable = usualAmounts(f);
  const usual = median(comparable.history.map((h) => h.amount));
  const all: Record<FactName, unknown> = {
    reference: f.reference,
    vendor: f.partner,
    amount: f.amount,
    currency: f.currency,
    date: f.date,
    vendorReference: f.partnerRef,
    newVendor: f.newPartner,
    usual:
      usual === null
        ? null
        : {
            median: Math.round(usual * 100) / 100,
            documents: comparable.history.length,
            ...(comparable.inCompanyCurrency ? { in: 'company currency' } : {}),
          },
    history: f.history.map((h) => ({
      reference: h.reference,
      date: h.date,
      amount: h.amount,
      ...(h.currency && f.currency && h.currency !== f.currency ? { currency: h.currency } : {}),
    })),
    lastPrices: mostChanged(f.prices, (p) => p.changePct).kept.map((p) => ({
      product: p.product,
      unitPrice: p.unitPrice,
      lastPrice: p.lastPrice,
      lastReference: p.lastReference,
      changePct: p.changePct,
      ...(p.lastCurrency ? { lastCurrency: p.lastCurrency, changeIn: 'company currency' } : {}),
    })),
    thresholds: f.thresholds,
    bill: f.bill?.lines ? billFacts(f.bill) : f.bill,
    sale: f.sale,
    flags: flags.map((x) => x.reason),
  };
  const pricesLeftOut = mostChanged(f.prices, (p) => p.changePct).omitted;
  if (pricesLeftOut > 0) all.lastPrices = { shown: all.lastPrices, otherProducts: pricesLeftOut };
  const sent: PromptFacts = { kind: f.kind };
  for (const name of FACT_NAMES)
    if ((!allow || allow.includes(name)) && all[name] !== undefined) sent[name] = all[name];
  const hidden = allow && !allow.includes('vendor') && f.partner?.trim() ? f.partner.trim() : null;
  return redactDeep(hidden ? maskName(sent, hidden, '[vendor]') : sent);
}

/** A bill's facts with at most PROMPT_LINE_FACTS lines: those that explain a variance first. */
function billFacts(bill: NonNullable<CaseFacts['bill']>): NonNullable<CaseFacts['bill']> & { otherLines?: number } {
  const { kept, omitted } = mostChanged(
    bill.lines ?? [],
    // Billed beyond what was received first, then the largest price change.
    (l) => (l.billed > l.received ? 1e6 : 0) + Math.abs(l.priceChangePct ?? 0),
  );
  return { ...bill, lines: kept, ...(omitted > 0 ? { otherLines: omitted } : {}) };
}
