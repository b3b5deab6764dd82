import type { CardFact } from '../card.js';
import { formatNumber } from '../format.js';
import type { OdooGateway } from '../ports.js';
import type { FieldValue } from '../types.js';

function linkOf(v: FieldValue | undefined): { id: number; name: string } | null {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  return typeof v === 'number' ? { id: v, name: String(v) } : null;
}
function num(v: FieldValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}
function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${formatNumber(Math.round(n * 10_000) / 10_000)}`;
}
function money(n: number): string {
  return n.toFixed(2);
}

/** One bill line against its purchase order line. */
export interface VarianceLine {
  product: string;
  ordered: number;
  received: number;
  billed: number;
  orderPrice: number;
  billPrice: number;
  /** Currency codes, set when they differ: the prices are then not compared as written. */
  orderCurrency?: string | undefined;
  billCurrency?: string | undefined;
}

const otherCurrencies = (l: VarianceLine) =>
  l.orderCurrency !== undefined && l.billCurrency !== undefined && l.orderCurrency !== l.billCurrency;

/** "Office Chair: ordered 10 @ 150.00 · received 8 · billed 10 @ 155.00 → 2 billed not received; price +5.00" */
export function describeVariance(l: VarianceLine): string {
  const diffs: string[] = [];
  const notReceived = l.billed - l.received;
  if (notReceived !== 0)
    diffs.push(
      notReceived > 0
        ? `${formatNumber(notReceived)} billed but not received`
        : `${formatNumber(-notReceived)} received but not billed`,
    );
  if (l.billed !== l.ordered) diffs.push(`billed qty ${signed(l.billed - l.ordered)} vs ordered`);
  const apart = otherCurrencies(l);
  if (apart) diffs.push(`prices in different currencies (ordered in ${l.orderCurrency}, billed in ${l.billCurrency})`);
  else if (l.billPrice !== l.orderPrice) diffs.push(`price ${signed(l.billPrice - l.orderPrice)} per unit`);
  const cur = (c: string | undefined) => (apart && c ? ` ${c}` : '');
  const head = `${l.product}: ordered ${formatNumber(l.ordered)} @ ${money(l.orderPrice)}${cur(l.orderCurrency)} · received ${formatNumber(l.received)} · billed ${formatNumber(l.billed)} @ ${money(l.billPrice)}${cur(l.billCurrency)}`;
  return `${head} → ${diffs.length ? diffs.join('; ') : 'no difference'}`;
}

/**
 * Ordered, received and billed quantities and prices per bill line, read
 * through `purchase_line_id` (the bill line's link to its PO line).
 */
export async function billVariance(
  odoo: OdooGateway,
  billId: number,
): Promise<{ lines: VarianceLine[]; facts: CardFact[]; details: string[] }> {
  const billLines = await odoo.searchRead(
    'account.move.line',
    [
      ['move_id', '=', billId],
      ['purchase_line_id', '!=', false],
    ],
    ['product_id', 'name', 'quantity', 'price_unit', 'purchase_line_id', 'currency_id'],
  );
  const poLineIds = [...new Set(billLines.map((l) => linkOf(l.purchase_line_id)?.id).filter((x) => x !== undefined))];
  const poLines = poLineIds.length
    ? await odoo.read('purchase.order.line', poLineIds, [
        'product_qty',
        'qty_received',
        'price_unit',
        'order_id',
        'currency_id',
      ])
    : [];
  const lines: VarianceLine[] = billLines.map((l) => {
    const po = poLines.find((p) => p.id === linkOf(l.purchase_line_id)?.id);
    return {
      product: linkOf(l.product_id)?.name ?? (typeof l.name === 'string' ? l.name : 'Line'),
      ordered: num(po?.product_qty),
      received: num(po?.qty_received),
      billed: num(l.quantity),
      orderPrice: num(po?.price_unit),
      billPrice: num(l.price_unit),
      orderCurrency: linkOf(po?.currency_id)?.name,
      billCurrency: linkOf(l.currency_id)?.name,
    };
  });
  const differing = lines.filter(
    (l) => l.billed !== l.received || l.billed !== l.ordered || otherCurrencies(l) || l.billPrice !== l.orderPrice,
  );
  const orders = [...new Set(poLines.map((p) => linkOf(p.order_id)?.name).filter((x) => x !== undefined))];
  const facts: CardFact[] = [
    ...(orders.length ? [{ label: 'Purchase order', value: orders.join(', ') }] : []),
    { label: 'Lines with a difference', value: `${differing.length} of ${lines.length}` },
  ];
  const details = (differing.length ? differing : lines).slice(0, 10).map(describeVariance);
  if (!lines.length)
    details.push('No bill line is linked to a purchase order line; compare the bill with the order in Odoo.');
  return { lines, facts, details };
}
