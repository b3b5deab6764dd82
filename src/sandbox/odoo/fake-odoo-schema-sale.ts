/**
 * Sale orders (`addons/sale`, with `sale_margin`'s `margin`,
 * `margin_percent` (a fraction: 0.25 is 25 %) and `purchase_price`).
 * 16 has a `done` state; 17+ replaced it with the `locked` flag.
 */
import {
  char,
  children,
  computed,
  datetime,
  flag,
  m2o,
  num,
  o2m,
  orderCurrencyRate,
  round2,
  sel,
  text,
} from './fake-odoo-fields.js';
import type { ComputeContext, FakeModel, FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';

export function saleStates(version: FakeOdooVersion): Array<[string, string]> {
  const states: Array<[string, string]> = [
    ['draft', 'Quotation'],
    ['sent', 'Quotation Sent'],
    ['sale', 'Sales Order'],
  ];
  if (version <= 16) states.push(['done', 'Locked']);
  states.push(['cancel', 'Cancelled']);
  return states;
}

function lineSubtotal(line: StoredRecord): number {
  const qty = Number(line.product_uom_qty) || 0;
  return round2(qty * (Number(line.price_unit) || 0) * (1 - (Number(line.discount) || 0) / 100));
}

function lineMargin(line: StoredRecord): number {
  return round2(lineSubtotal(line) - (Number(line.purchase_price) || 0) * (Number(line.product_uom_qty) || 0));
}

const orderLines = (order: StoredRecord, ctx: ComputeContext) => children(ctx, 'sale.order.line', 'order_id', order.id);
const orderUntaxed = (order: StoredRecord, ctx: ComputeContext) =>
  round2(orderLines(order, ctx).reduce((s, l) => s + lineSubtotal(l), 0));
const orderMargin = (order: StoredRecord, ctx: ComputeContext) =>
  round2(orderLines(order, ctx).reduce((s, l) => s + lineMargin(l), 0));

export function saleModels(version: FakeOdooVersion): FakeModel[] {
  return [
    {
      name: 'sale.order',
      description: 'Sales Order',
      order: 'date_order desc, id desc',
      recName: 'name',
      mailThread: true,
      fields: {
        name: char('Order Reference'),
        partner_id: m2o('res.partner', 'Customer'),
        user_id: m2o('res.users', 'Salesperson'),
        state: sel('Status', saleStates(version), 'draft'),
        ...(version >= 17 ? { locked: flag('Locked', false) } : {}),
        date_order: datetime('Order Date'),
        currency_id: m2o('res.currency', 'Currency'),
        company_id: m2o('res.company', 'Company'),
        currency_rate: computed(num('float', 'Currency Rate'), orderCurrencyRate),
        client_order_ref: char('Customer Reference'),
        order_line: o2m('sale.order.line', 'order_id', 'Order Lines'),
        amount_untaxed: computed(num('monetary', 'Untaxed Amount'), orderUntaxed),
        amount_tax: computed(num('monetary', 'Taxes'), () => 0),
        amount_total: computed(num('monetary', 'Total'), orderUntaxed),
        margin: computed(num('monetary', 'Margin'), orderMargin),
        margin_percent: computed(num('float', 'Margin (%)'), (o, ctx) => {
          const untaxed = orderUntaxed(o, ctx);
          return untaxed ? orderMargin(o, ctx) / untaxed : 0;
        }),
      },
    },
    {
      name: 'sale.order.line',
      description: 'Sales Order Line',
      order: 'order_id, sequence, id',
      recName: 'name',
      fields: {
        order_id: m2o('sale.order', 'Order Reference'),
        sequence: { ...num('integer', 'Sequence'), default: 10 },
        product_id: m2o('product.product', 'Product'),
        name: text('Description'),
        product_uom_qty: { ...num('float', 'Quantity'), default: 1 },
        price_unit: num('float', 'Unit Price'),
        discount: num('float', 'Discount (%)'),
        purchase_price: num('float', 'Cost'),
        price_subtotal: computed(num('monetary', 'Subtotal'), lineSubtotal),
        price_total: computed(num('monetary', 'Total'), lineSubtotal),
        margin: computed(num('float', 'Margin'), lineMargin),
        margin_percent: computed(num('float', 'Margin (%)'), (l) => {
          const subtotal = lineSubtotal(l);
          return subtotal ? lineMargin(l) / subtotal : 0;
        }),
      },
    },
  ];
}
