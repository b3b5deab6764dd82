import type { CaseFacts, PriceFact, RiskFlag } from './context-ports.js';
import { formatAmount, modelLabel } from './format.js';
import { changeInCompanyCurrency, median, usualAmounts } from './risk-flags.js';

/** Last prices in another currency described one by one, at most this many; the rest are counted. */
const FOREIGN_PRICES_SHOWN = 2;

/** The deterministic two-sentence summary: what it is, how it compares, what is unusual. Built only from facts. */
export function summariseFacts(model: string, f: CaseFacts, flags: RiskFlag[]): string {
  const from = f.partner ? ` from ${f.partner}` : '';
  const on = f.date ? ` dated ${f.date}` : '';
  const first = `${modelLabel(model)} ${f.reference}${from}: ${formatAmount(f.amount, f.currency)}${on}.`;
  const parts: string[] = [];
  const comparable = usualAmounts(f);
  // Rounded to cents exactly as the facts sent to the AI are, so the summary and the facts agree.
  const middle = median(comparable.history.map((h) => h.amount));
  const usual = middle === null ? null : Math.round(middle * 100) / 100;
  if (comparable.history.length > 0 && usual !== null)
    parts.push(
      comparable.inCompanyCurrency
        ? `the median of the last ${comparable.history.length} is ${formatAmount(usual, null)} in company currency, as their currencies differ (latest ${comparable.history[0]!.reference})`
        : `the median of the last ${comparable.history.length} is ${formatAmount(usual, f.currency)} (latest ${comparable.history[0]!.reference})`,
    );
  else if (f.history.length === 0 && (f.kind === 'purchase' || f.kind === 'bill'))
    parts.push('there is no earlier document from this vendor');
  const foreign = f.prices.filter((p) => p.lastCurrency && p.lastPrice !== null);
  if (foreign.length > 0) parts.push(foreignPrices(foreign, f.currency));
  if (f.bill?.orderReference)
    parts.push(
      `it matches ${f.bill.orderReference}${f.bill.variance === null ? '' : f.bill.orderCurrency ? ` with a variance of ${formatAmount(f.bill.variance, null)} in company currency, as the order is in ${f.bill.orderCurrency}` : ` with a variance of ${formatAmount(f.bill.variance, f.currency)}`}`,
    );
  if (f.sale?.maxDiscountPct !== null && f.sale?.maxDiscountPct !== undefined)
    parts.push(`the largest discount is ${f.sale.maxDiscountPct.toFixed(1)}%`);
  if (f.sale?.marginPct !== null && f.sale?.marginPct !== undefined)
    parts.push(`the margin is ${f.sale.marginPct.toFixed(1)}%`);
  const unusual = flags.length > 0 ? `flagged: ${flags.map((x) => x.reason).join('; ')}` : 'nothing unusual';
  const second = `${parts.length > 0 ? `${capital(parts.join(', '))}; ` : ''}${parts.length > 0 ? unusual : capital(unusual)}.`;
  return `${first} ${second}`;
}

/**
 * Last prices paid in another currency than this document's: both prices as
 * they are, and the change in the company currency, so nobody reads
 * 180.00 EUR against 190.00 USD as a fall of 5%.
 */
function foreignPrices(prices: PriceFact[], currency: string | null): string {
  const shown = prices
    .slice(0, FOREIGN_PRICES_SHOWN)
    .map(
      (p) =>
        `${p.product} ${formatAmount(p.unitPrice, currency)}, last ${formatAmount(p.lastPrice, p.lastCurrency ?? null)} on ${p.lastReference ?? 'the last order'} (${changeInCompanyCurrency(p.changePct)})`,
    );
  const rest = prices.length - shown.length;
  if (rest > 0) shown.push(`${rest} more product${rest === 1 ? '' : 's'}`);
  const list = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
  return `last prices in another currency: ${list}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
