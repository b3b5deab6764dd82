import type { OdooGateway } from '../flows/ports.js';
import type { Domain, RecordLink } from '../flows/types.js';
import { link, num } from './context-reads.js';

/** Confirmed purchase states: an order in one of them was really placed (19 has no `done`; its locked orders stay `purchase`). */
export const CONFIRMED_PO = ['purchase', 'done'];

/** Lines read per product still without a price in one round, within these bounds. */
const LINES_PER_PRODUCT = 5;
const MIN_ROUND_LINES = 50;
const MAX_ROUND_LINES = 1000;

/** The price a product was last bought at, and the order it was bought on. */
export interface LastPrice {
  /** The line's `price_unit`, in `currency`. */
  price: number;
  reference: string | null;
  /** The order the line belongs to (for its `currency_rate`). */
  orderId: number | null;
  /** The line's `currency_id` (its order's currency; a related field in 16–19); null when Odoo gave none. */
  currency: RecordLink | null;
}

/**
 * The last confirmed purchase price of each product: the newest confirmed
 * `purchase.order.line` of the product (highest id) on another order of the
 * same company.
 *
 * Exact for every product, in rounds of one `search_read` each. A round
 * reads the newest lines of the products still without a price
 * (5 per product, 50 to 1 000 lines); the first line of a product is its
 * last price. A product the round did not reach (others filled it) goes to
 * the next round, and only those. A round that returns fewer lines than it
 * asked for has read every line there is, so the rest have no earlier
 * purchase. Every round settles at least the product of its first line, so
 * there are at most as many rounds as products; one round usually suffices,
 * two when a few products are bought far more often than the rest.
 *
 * Recency is the line id, not the order's `date_order`: on the line that
 * field is a non-stored related field, which Odoo 16 and 17 leave out of
 * ORDER BY (with a warning in the server log), so ordering by it would
 * silently mean the id there and the date elsewhere.
 */
export async function lastPurchasePrices(
  odoo: OdooGateway,
  orderId: number,
  companyId: number | null,
  productIds: number[],
): Promise<Map<number, LastPrice>> {
  const found = new Map<number, LastPrice>();
  let missing = [...new Set(productIds)];
  while (missing.length > 0) {
    const limit = Math.min(MAX_ROUND_LINES, Math.max(MIN_ROUND_LINES, LINES_PER_PRODUCT * missing.length));
    const domain: Domain = [
      ['product_id', 'in', missing],
      ['order_id', '!=', orderId],
      ['order_id.state', 'in', CONFIRMED_PO],
    ];
    if (companyId !== null) domain.push(['order_id.company_id', '=', companyId]);
    const rows = await odoo.searchRead(
      'purchase.order.line',
      domain,
      ['product_id', 'price_unit', 'order_id', 'currency_id'],
      { order: 'id desc', limit },
    );
    for (const row of rows) {
      const product = link(row.product_id)?.id;
      if (product === undefined || found.has(product)) continue;
      const order = link(row.order_id);
      found.set(product, {
        price: num(row.price_unit) ?? 0,
        reference: order?.name ?? null,
        orderId: order?.id ?? null,
        currency: link(row.currency_id),
      });
    }
    if (rows.length < limit) break;
    const left = missing.filter((p) => !found.has(p));
    // Cannot happen (the first line settles its product); stops a server that ignores the domain from looping.
    if (left.length === missing.length) break;
    missing = left;
  }
  return found;
}
