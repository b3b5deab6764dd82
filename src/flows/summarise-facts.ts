import type { CaseFacts, RiskFlag } from './context-ports.js';
import { formatAmount, modelLabel } from './format.js';
import { median } from './risk-flags.js';

/** The deterministic two-sentence summary: what it is, how it compares, what is unusual. Built only from facts. */
export function summariseFacts(model: string, f: CaseFacts, flags: RiskFlag[]): string {
  const from = f.partner ? ` from ${f.partner}` : '';
  const on = f.date ? ` dated ${f.date}` : '';
  const first = `${modelLabel(model)} ${f.reference}${from}: ${formatAmount(f.amount, f.currency)}${on}.`;
  const parts: string[] = [];
  const usual = median(f.history.map((h) => h.amount));
  if (f.history.length > 0 && usual !== null)
    parts.push(
      `the median of the last ${f.history.length} is ${formatAmount(usual, f.currency)} (latest ${f.history[0]!.reference})`,
    );
  else if (f.kind === 'purchase' || f.kind === 'bill') parts.push('there is no earlier document from this vendor');
  if (f.bill?.orderReference)
    parts.push(
      `it matches ${f.bill.orderReference}${f.bill.variance !== null ? ` with a variance of ${formatAmount(f.bill.variance, f.currency)}` : ''}`,
    );
  if (f.sale?.maxDiscountPct !== null && f.sale?.maxDiscountPct !== undefined)
    parts.push(`the largest discount is ${f.sale.maxDiscountPct.toFixed(1)}%`);
  if (f.sale?.marginPct !== null && f.sale?.marginPct !== undefined)
    parts.push(`the margin is ${f.sale.marginPct.toFixed(1)}%`);
  const unusual = flags.length > 0 ? `flagged: ${flags.map((x) => x.reason).join('; ')}` : 'nothing unusual';
  const second = `${parts.length > 0 ? `${capital(parts.join(', '))}; ` : ''}${parts.length > 0 ? unusual : capital(unusual)}.`;
  return `${first} ${second}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
