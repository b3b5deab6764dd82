import type { BillLineFact } from '../flows/context-ports.js';
import type { OdooGateway } from '../flows/ports.js';
import type { OdooRecord } from '../flows/types.js';
import { ids, link, num, pct, readInBatches, str } from './context-reads.js';
import type { CompanyAmounts } from './profiles/company-amount.js';
import { orderRate } from './purchase-price-facts.js';

/**
 * A bill's lines against their order lines (`purchase_line_id`): ordered,
 * received and billed quantities and prices, bill lines of one order line
 * added up. Every line of the bill is read (in batches, see READ_BATCH),
 * then every order line they point at. Only the lines of one order (the
 * first one met) are kept, so every line compares with the order the facts
 * name.
 */
export async function billLineFacts(
  odoo: OdooGateway,
  move: OdooRecord,
): Promise<{ orderId: number | null; lines: BillLineFact[] }> {
  const none = { orderId: null, lines: [] };
  const lineIds = ids(move.invoice_line_ids);
  // Without the Purchase app, bill lines have no purchase_line_id to read.
  if (lineIds.length === 0 || !('purchase_line_id' in (await odoo.fields('account.move.line')))) return none;
  const billed = new Map<number, { qty: number; price: number }>();
  for (const l of await readInBatches(odoo, 'account.move.line', lineIds, [
    'quantity',
    'price_unit',
    'purchase_line_id',
  ])) {
    const orderLine = link(l.purchase_line_id);
    if (!orderLine) continue;
    const seen = billed.get(orderLine.id);
    const price = num(l.price_unit) ?? 0;
    billed.set(orderLine.id, {
      qty: (seen?.qty ?? 0) + (num(l.quantity) ?? 0),
      price: seen ? Math.max(seen.price, price) : price,
    });
  }
  if (billed.size === 0) return none;
  const orderLines = await readInBatches(
    odoo,
    'purchase.order.line',
    [...billed.keys()],
    ['order_id', 'product_id', 'name', 'product_qty', 'qty_received', 'price_unit'],
  );
  const orderId = link(orderLines[0]?.order_id)?.id ?? null;
  const lines = orderLines
    .filter((p) => link(p.order_id)?.id === orderId)
    .map((p): BillLineFact => {
      const b = billed.get(p.id)!;
      const orderPrice = num(p.price_unit) ?? 0;
      return {
        product: link(p.product_id)?.name ?? str(p.name) ?? `order line ${p.id}`,
        ordered: num(p.product_qty) ?? 0,
        received: num(p.qty_received) ?? 0,
        billed: Math.round(b.qty * 1e6) / 1e6,
        orderPrice,
        billPrice: b.price,
        priceChangePct: pct(b.price, orderPrice),
      };
    });
  return { orderId, lines };
}

/**
 * The lines of a bill whose order is in another currency: each price
 * divided by its own document's rate (company-currency units to the
 * document's currency), so the change compares in the company currency;
 * null when a rate is missing. The prices themselves stay as written.
 */
function linesInCompanyCurrency(lines: BillLineFact[], billRate: number | null, poRate: number | null): BillLineFact[] {
  return lines.map((l) => {
    const change = billRate && poRate ? pct(l.billPrice / billRate, l.orderPrice / poRate) : null;
    // `+ 0` turns the -0 a rounding below zero gives into 0.
    return { ...l, priceChangePct: change === null ? null : change + 0 };
  });
}

/**
 * A bill and its order in different currencies, both in the company
 * currency at their own rates: the bill's `amount_total_signed` (else its
 * rate at the bill date) and the order's `currency_rate`, through
 * CompanyAmounts; line prices at the rates those totals imply (no read
 * per line).
 */
export async function billInCompanyCurrency(
  amounts: CompanyAmounts,
  move: OdooRecord,
  po: OdooRecord,
  amount: number | null,
  orderAmount: number | null,
  lines: BillLineFact[],
) {
  const bill = await amounts.convert({
    model: 'account.move',
    rec: move,
    amountField: 'amount_total',
    amount,
    currency: link(move.currency_id),
    date: str(move.invoice_date),
  });
  const order = await amounts.convert({
    model: 'purchase.order',
    rec: po,
    amountField: 'amount_total',
    amount: orderAmount,
    currency: link(po.currency_id),
    date: str(po.date_order),
  });
  const rateOf = (own: number | null, company: number | null) => (own && company ? own / company : null);
  return {
    amount: bill.amount,
    orderAmount: order.amount,
    lines: linesInCompanyCurrency(
      lines,
      rateOf(amount, bill.amount),
      orderRate(po.currency_rate) ?? rateOf(orderAmount, order.amount),
    ),
  };
}
