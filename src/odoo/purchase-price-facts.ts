import type { PriceFact } from '../flows/context-ports.js';
import type { OdooGateway } from '../flows/ports.js';
import type { RecordLink } from '../flows/types.js';
import { link, num, pct, readInBatches } from './context-reads.js';
import { type LastPrice, lastPurchasePrices } from './last-purchase-prices.js';

/** The purchase order whose prices are compared: its currency and `currency_rate` as read with it. */
export interface PricedOrder {
  id: number;
  companyId: number | null;
  currency: RecordLink | null;
  /** `purchase.order.currency_rate`: order-currency units per company-currency unit at the order date. */
  rate: number | null;
}

/** A usable `currency_rate`, else null (Odoo leaves it 0 without a rate). */
export const orderRate = (v: unknown): number | null => (typeof v === 'number' && v > 0 ? v : null);

/** True when both currencies are known and differ; unknown counts as the same (the comparison stays as it was). */
function otherCurrency(a: RecordLink | null, b: RecordLink | null): boolean {
  return a !== null && b !== null && a.id !== b.id;
}

/**
 * Each product of the order once, in the order of its first line, at the
 * highest unit price the order has for it, against the last price paid
 * (see `lastPurchasePrices`).
 *
 * Like with like: a last price in the order's currency compares as it is. A
 * last price in another currency compares in the company currency, each
 * price divided by its own order's `currency_rate` (the rate at that
 * order's date), so a change of vendor currency or exchange rate does not
 * pass for a price change; those orders' rates are read in one batched
 * `read` (⌈orders / 200⌉ calls), and only when some last price is in
 * another currency.
 */
export async function purchasePriceFacts(
  odoo: OdooGateway,
  order: PricedOrder,
  lineIds: number[],
): Promise<PriceFact[]> {
  const products = new Map<number, { name: string; unitPrice: number }>();
  for (const l of await readInBatches(odoo, 'purchase.order.line', lineIds, ['product_id', 'price_unit'])) {
    const p = link(l.product_id);
    if (!p) continue;
    const price = num(l.price_unit) ?? 0;
    const seen = products.get(p.id);
    products.set(p.id, { name: p.name, unitPrice: seen ? Math.max(seen.unitPrice, price) : price });
  }
  if (products.size === 0) return [];
  const last = await lastPurchasePrices(odoo, order.id, order.companyId, [...products.keys()]);
  const foreign = (l: LastPrice | null): l is LastPrice & { currency: RecordLink } =>
    l !== null && otherCurrency(l.currency, order.currency);
  const rates = await ratesOf(odoo, [...last.values()].filter(foreign));
  return [...products].map(([productId, { name, unitPrice }]): PriceFact => {
    const before = last.get(productId) ?? null;
    const fact: PriceFact = {
      product: name,
      unitPrice,
      lastPrice: before?.price ?? null,
      lastReference: before?.reference ?? null,
      changePct: before === null ? null : pct(unitPrice, before.price),
    };
    if (!foreign(before)) return fact;
    const rate = before.orderId === null ? null : (rates.get(before.orderId) ?? null);
    return {
      ...fact,
      lastCurrency: before.currency.name,
      changePct: order.rate !== null && rate !== null ? pct(unitPrice / order.rate, before.price / rate) : null,
    };
  });
}

/** The `currency_rate` of each order the prices come from (none read when `prices` is empty). */
async function ratesOf(odoo: OdooGateway, prices: LastPrice[]): Promise<Map<number, number | null>> {
  const orderIds = [...new Set(prices.flatMap((p) => (p.orderId === null ? [] : [p.orderId])))];
  const rows = await readInBatches(odoo, 'purchase.order', orderIds, ['currency_rate']);
  return new Map(rows.map((r) => [r.id, orderRate(r.currency_rate)]));
}
