import type { BillLineFact, CaseFacts, PastDocument, PriceFact, RiskFlag } from './context-ports.js';
import { formatAmount, formatNumber } from './format.js';
import type { FlowRiskLimits } from './policy.js';

/** Thresholds of the risk rules; the defaults are what a purchasing team usually asks for first. */
export interface RiskSettings {
  /**
   * A product's price rising by more than this percent raises `price_increase`
   * (against the last order) and `bill_price_above_order` (a bill against its order). Default 10.
   */
  priceIncreasePct: number;
  /** An amount above this many times the vendor's median raises `amount_above_usual`. Default 3. */
  usualFactor: number;
  /** Fewest earlier documents before "usual" means anything. Default 3. */
  minHistory: number;
  /** Orders this many days apart count as one split purchase. Default 7. */
  splitWindowDays: number;
  /** "Just under" a threshold: within this percent below it. Default 10. */
  splitMarginPct: number;
  /** A bill differing from its order by more than this percent raises `bill_variance`. Default 5. */
  billVariancePct: number;
  /** A sale order line discount above this percent raises `discount_above_limit`. Default 20. */
  maxDiscountPct: number;
  /** A sale order margin below this percent raises `margin_below_limit`. Default 10. */
  minMarginPct: number;
}

export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  priceIncreasePct: 10,
  usualFactor: 3,
  minHistory: 3,
  splitWindowDays: 7,
  splitMarginPct: 10,
  billVariancePct: 5,
  maxDiscountPct: 20,
  minMarginPct: 10,
};

/** Quantities are floats in Odoo: differences below this are rounding, not a variance. */
const QTY_EPSILON = 1e-6;

/** A flow's `risk:` limits over the global price limit (RISK_PRICE_INCREASE_PCT); keys left out keep the defaults. */
export function riskSettingsFor(limits: FlowRiskLimits | undefined, priceIncreasePct?: number): Partial<RiskSettings> {
  const out: Partial<RiskSettings> = {};
  const price = limits?.priceIncreasePct ?? priceIncreasePct;
  if (price !== undefined) out.priceIncreasePct = price;
  if (limits?.maxDiscountPct !== undefined) out.maxDiscountPct = limits.maxDiscountPct;
  if (limits?.minMarginPct !== undefined) out.minMarginPct = limits.minMarginPct;
  if (limits?.amountFactor !== undefined) out.usualFactor = limits.amountFactor;
  if (limits?.splitWindowDays !== undefined) out.splitWindowDays = limits.splitWindowDays;
  return out;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Amounts to set side by side, and whether they are in the company currency rather than the document's. */
export interface ComparableAmounts {
  /** This document's amount. */
  amount: number | null;
  /** The history with `amount` on the same footing, newest first (in the company currency: those with a rate). */
  history: PastDocument[];
  inCompanyCurrency: boolean;
}

/** Whether a past document is in another currency than this one (unknown counts as the same). */
const otherCurrency = (f: CaseFacts, h: PastDocument) => !!h.currency && !!f.currency && h.currency !== f.currency;

function inCompanyCurrency(f: CaseFacts): ComparableAmounts {
  return {
    amount: f.companyAmount ?? null,
    history: f.history.flatMap((h) => (typeof h.companyAmount === 'number' ? [{ ...h, amount: h.companyAmount }] : [])),
    inCompanyCurrency: true,
  };
}

/**
 * The vendor's "usual": in the document's currency when the history shares
 * it (as the vendor quotes), else every amount in the company currency at
 * each document's own rate.
 */
export function usualAmounts(f: CaseFacts): ComparableAmounts {
  if (!f.history.some((h) => otherCurrency(f, h)))
    return { amount: f.amount, history: f.history, inCompanyCurrency: false };
  return inCompanyCurrency(f);
}

/**
 * Amounts against the tier thresholds, which are in the company currency:
 * converted whenever this document or its history is not in it (its
 * company amount differs, or the history mixes currencies).
 */
function thresholdAmounts(f: CaseFacts): ComparableAmounts {
  const converted =
    typeof f.companyAmount === 'number' && (f.companyAmount !== f.amount || f.history.some((h) => otherCurrency(f, h)));
  return converted ? inCompanyCurrency(f) : { amount: f.amount, history: f.history, inCompanyCurrency: false };
}

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(`${a.slice(0, 10)}T00:00:00Z`) - Date.parse(`${b.slice(0, 10)}T00:00:00Z`)) / 86_400_000;
}

/**
 * Per-line flags of one code shown one by one, at most this many: beyond,
 * the first ones stay and the last flag counts the rest, so a long document
 * cannot push the other facts off the card (Slack shows 10 fields).
 */
export const MAX_LINE_FLAGS = 3;

/** Keeps the first MAX_LINE_FLAGS - 1 items' flags and folds the rest into one flag saying `more(rest)`. */
function folded<T>(code: RiskFlag['code'], items: T[], reason: (x: T) => string, more: (rest: T[]) => string) {
  if (items.length <= MAX_LINE_FLAGS) return items.map((x): RiskFlag => ({ code, reason: reason(x) }));
  const kept = items.slice(0, MAX_LINE_FLAGS - 1);
  return [
    ...kept.map((x): RiskFlag => ({ code, reason: reason(x) })),
    { code, reason: more(items.slice(kept.length)) },
  ];
}

/** The item with the largest `value`, first one on a tie. */
function largest<T>(items: T[], value: (x: T) => number): T {
  return items.reduce((best, x) => (value(x) > value(best) ? x : best));
}

function billLineFlags(f: CaseFacts, s: RiskSettings): RiskFlag[] {
  const order = f.bill?.orderReference ?? 'the order';
  const lines = f.bill?.lines ?? [];
  // An order in another currency: the price changes are in the company currency.
  const foreign = f.bill?.orderCurrency ?? null;
  const over = lines.filter((l) => l.billed > l.received + QTY_EPSILON);
  const dearer = lines.filter(
    (l): l is BillLineFact & { priceChangePct: number } =>
      l.priceChangePct !== null && l.priceChangePct > s.priceIncreasePct,
  );
  return [
    ...folded(
      'billed_over_received',
      over,
      (l) =>
        `${l.product}: ${formatNumber(l.billed)} billed but ${formatNumber(l.received)} received of ${formatNumber(l.ordered)} ordered on ${order}`,
      (rest) => {
        const top = largest(rest, (l) => l.billed - l.received);
        return `${rest.length} more lines of ${order} are billed over what was received, the most ${top.product} (${formatNumber(top.billed)} billed, ${formatNumber(top.received)} received)`;
      },
    ),
    ...folded(
      'bill_price_above_order',
      dearer,
      (l) =>
        foreign
          ? `${l.product}: billed at ${formatAmount(l.billPrice, f.currency)} per unit against the ${formatAmount(l.orderPrice, foreign)} ordered on ${order}: ${l.priceChangePct.toFixed(1)}% above in company currency, as the currencies differ (limit ${s.priceIncreasePct}%)`
          : `${l.product}: billed at ${formatAmount(l.billPrice, null)} per unit, ${l.priceChangePct.toFixed(1)}% above the ${formatAmount(l.orderPrice, null)} ordered on ${order} (limit ${s.priceIncreasePct}%)`,
      (rest) => {
        const top = largest(rest, (l) => l.priceChangePct);
        return `${rest.length} more lines are billed more than ${s.priceIncreasePct}% above the prices ordered on ${order}${foreign ? ' in company currency, as the currencies differ' : ''}, the most ${top.product} (${top.priceChangePct.toFixed(1)}% above)`;
      },
    ),
  ];
}

/** A price change in another currency, as the card says it: `≈ +2.1% in company currency`. */
export function changeInCompanyCurrency(changePct: number | null): string {
  if (changePct === null) return 'no exchange rate to compare them';
  return `≈ ${changePct > 0 ? '+' : ''}${changePct.toFixed(1)}% in company currency`;
}

function priceFlags(f: CaseFacts, s: RiskSettings): RiskFlag[] {
  const up = f.prices.filter(
    (p): p is PriceFact & { changePct: number; lastPrice: number } =>
      p.changePct !== null && p.changePct > s.priceIncreasePct && p.lastPrice !== null,
  );
  return folded(
    'price_increase',
    up,
    (p) =>
      p.lastCurrency
        ? `${p.product}: ${formatAmount(p.unitPrice, f.currency)} per unit, last ${formatAmount(p.lastPrice, p.lastCurrency)} on ${p.lastReference ?? 'the last order'}: up ${p.changePct.toFixed(1)}% in company currency (limit ${s.priceIncreasePct}%)`
        : `${p.product}: ${formatAmount(p.unitPrice, null)} per unit, up ${p.changePct.toFixed(1)}% from ${formatAmount(p.lastPrice, null)} on ${p.lastReference ?? 'the last order'} (limit ${s.priceIncreasePct}%)`,
    (rest) => {
      const top = largest(rest, (p) => p.changePct);
      return `${rest.length} more products cost more than ${s.priceIncreasePct}% above their last price, the most ${top.product} (up ${top.changePct.toFixed(1)}%)`;
    },
  );
}

function saleFlags(f: CaseFacts, s: RiskSettings): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const discount = f.sale?.maxDiscountPct ?? null;
  if (discount !== null && discount > s.maxDiscountPct)
    flags.push({
      code: 'discount_above_limit',
      reason: `a line is discounted ${discount.toFixed(1)}% (limit ${s.maxDiscountPct}%)`,
    });
  const margin = f.sale?.marginPct ?? null;
  if (margin !== null && margin < s.minMarginPct)
    flags.push({
      code: 'margin_below_limit',
      reason: `the margin is ${margin.toFixed(1)}% (limit ${s.minMarginPct}%)`,
    });
  return flags;
}

const normRef = (r: string) => r.replace(/[\s\-_/.]/g, '').toLowerCase();

function splitFlag(f: CaseFacts, s: RiskSettings): RiskFlag | null {
  const { amount, history, inCompanyCurrency } = thresholdAmounts(f);
  if (amount === null || !f.date) return null;
  // Thresholds are in the company currency: converted amounts are shown next to the document's own.
  const money = (n: number) => formatAmount(n, inCompanyCurrency ? null : f.currency);
  const own = inCompanyCurrency
    ? `${formatAmount(f.amount, f.currency)} (${money(amount)} in company currency)`
    : money(amount);
  for (const t of f.thresholds) {
    const floor = t * (1 - s.splitMarginPct / 100);
    if (amount < floor || amount >= t) continue;
    const near = history.filter((h) => h.date && daysBetween(h.date, f.date!) <= s.splitWindowDays && h.amount < t);
    const together = near.reduce((sum, h) => sum + h.amount, amount);
    if (near.length > 0 && together >= t)
      return {
        code: 'split_order',
        reason: `${own} is just under the ${money(t)} approval threshold, and ${near.map((h) => h.reference).join(', ')} from the same vendor within ${s.splitWindowDays} days bring${near.length === 1 ? 's' : ''} the total to ${money(together)}${inCompanyCurrency ? ' in company currency' : ''}`,
      };
  }
  return null;
}

function aboveUsualFlag(f: CaseFacts, s: RiskSettings): RiskFlag | null {
  const { amount, history, inCompanyCurrency } = usualAmounts(f);
  const usual = history.length >= s.minHistory ? median(history.map((h) => h.amount)) : null;
  if (amount === null || usual === null || usual <= 0 || amount <= s.usualFactor * usual) return null;
  const times = (amount / usual).toFixed(1);
  return {
    code: 'amount_above_usual',
    reason: inCompanyCurrency
      ? `${formatAmount(f.amount, f.currency)} is ${times} times the median of the last ${history.length}, compared in company currency as their currencies differ (${formatAmount(amount, null)} against ${formatAmount(usual, null)})`
      : `${formatAmount(amount, f.currency)} is ${times} times the median of the last ${history.length} (${formatAmount(usual, f.currency)})`,
  };
}

/** Plain rules over the facts: each flag says why, so an approver can check it in Odoo. */
export function riskFlags(f: CaseFacts, settings: Partial<RiskSettings> = {}): RiskFlag[] {
  const s = { ...DEFAULT_RISK_SETTINGS, ...settings };
  const flags: RiskFlag[] = [];
  if (f.newPartner && (f.kind === 'purchase' || f.kind === 'bill'))
    flags.push({
      code: 'new_vendor',
      reason: `first ${f.kind === 'bill' ? 'bill' : 'order'} from ${f.partner ?? 'this vendor'}`,
    });
  flags.push(...priceFlags(f, s));
  const usual = aboveUsualFlag(f, s);
  if (usual) flags.push(usual);
  const split = splitFlag(f, s);
  if (split) flags.push(split);
  if (f.partnerRef?.trim()) {
    const dup = f.history.find((h) => h.partnerRef && normRef(h.partnerRef) === normRef(f.partnerRef!));
    if (dup)
      flags.push({
        code: 'duplicate_reference',
        reason: `vendor reference ${f.partnerRef} was already used on ${dup.reference}`,
      });
  }
  if (
    f.bill?.variancePct !== null &&
    f.bill?.variancePct !== undefined &&
    Math.abs(f.bill.variancePct) > s.billVariancePct
  )
    flags.push({
      code: 'bill_variance',
      reason: `the bill differs from ${f.bill.orderReference ?? 'its order'} by ${f.bill.variancePct.toFixed(1)}%${f.bill.orderCurrency ? ` in company currency, as the bill is in ${f.currency ?? 'another currency'} and the order in ${f.bill.orderCurrency}` : ''} (limit ${s.billVariancePct}%)`,
    });
  flags.push(...billLineFlags(f, s), ...saleFlags(f, s));
  return flags;
}
