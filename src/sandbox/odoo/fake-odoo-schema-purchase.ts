/**
 * Purchase orders (`addons/purchase/models/purchase_order.py`): 16–18 have
 * the `done` (Locked) state, 19 the `locked` flag; the line's unit field is
 * `product_uom` up to 18 and `product_uom_id` on 19. The line's
 * `currency_id` is Odoo's related `order_id.currency_id` (computed here on read).
 */
import { char, computed, flag, m2o, num, orderCurrencyRate, round2 } from './fake-odoo-fields.js';
import type { ComputeContext, FakeModel, FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';

function lineSubtotal(line: StoredRecord): number {
  const qty = Number(line.product_qty) || 0;
  const price = Number(line.price_unit) || 0;
  const discount = Number(line.discount) || 0;
  return round2(qty * price * (1 - discount / 100));
}

function orderUntaxed(order: StoredRecord, ctx: ComputeContext): number {
  const lines = ctx.all('purchase.order.line').filter((l) => l.order_id === order.id);
  return round2(lines.reduce((sum, l) => sum + lineSubtotal(l), 0));
}

/** The line's related `order_id.currency_id`. */
function orderCurrency(line: StoredRecord, ctx: ComputeContext): unknown {
  return ctx.all('purchase.order').find((o) => o.id === line.order_id)?.currency_id ?? false;
}

export function purchaseStates(version: FakeOdooVersion): Array<[string, string]> {
  const states: Array<[string, string]> = [
    ['draft', 'RFQ'],
    ['sent', 'RFQ Sent'],
    ['to approve', 'To Approve'],
    ['purchase', 'Purchase Order'],
  ];
  if (version <= 18) states.push(['done', 'Locked']);
  states.push(['cancel', 'Cancelled']);
  return states;
}

export function purchaseModels(version: FakeOdooVersion): FakeModel[] {
  const uomField = version >= 19 ? 'product_uom_id' : 'product_uom';
  return [
    {
      name: 'purchase.order',
      description: 'Purchase Order',
      order: 'id desc',
      recName: 'name',
      mailThread: true,
      fields: {
        name: char('Order Reference'),
        partner_id: m2o('res.partner', 'Vendor'),
        user_id: m2o('res.users', 'Buyer'),
        date_order: { type: 'datetime', string: 'Order Deadline' },
        date_approve: { type: 'datetime', string: 'Confirmation Date' },
        state: { type: 'selection', string: 'Status', selection: purchaseStates(version), default: 'draft' },
        ...(version >= 19 ? { locked: flag('Locked', false) } : {}),
        currency_id: m2o('res.currency', 'Currency'),
        company_id: m2o('res.company', 'Company'),
        currency_rate: computed(num('float', 'Currency Rate'), orderCurrencyRate),
        origin: char('Source Document'),
        partner_ref: char('Vendor Reference'),
        notes: { type: 'html', string: 'Terms and Conditions' },
        invoice_status: {
          type: 'selection',
          string: 'Billing Status',
          selection: [
            ['no', 'Nothing to Bill'],
            ['to invoice', 'Waiting Bills'],
            ['invoiced', 'Fully Billed'],
          ],
          default: 'no',
        },
        order_line: { type: 'one2many', relation: 'purchase.order.line', inverse: 'order_id', string: 'Order Lines' },
        amount_untaxed: { type: 'monetary', string: 'Untaxed Amount', compute: orderUntaxed },
        amount_tax: { type: 'monetary', string: 'Taxes', compute: () => 0 },
        amount_total: { type: 'monetary', string: 'Total', compute: orderUntaxed },
      },
    },
    {
      name: 'purchase.order.line',
      description: 'Purchase Order Line',
      order: 'id',
      recName: 'name',
      fields: {
        order_id: m2o('purchase.order', 'Order Reference'),
        currency_id: computed(m2o('res.currency', 'Currency'), orderCurrency),
        product_id: m2o('product.product', 'Product'),
        name: { type: 'text', string: 'Description' },
        product_qty: num('float', 'Quantity'),
        price_unit: num('float', 'Unit Price'),
        discount: num('float', 'Discount (%)'),
        [uomField]: m2o('uom.uom', 'Unit of Measure'),
        date_planned: { type: 'datetime', string: 'Expected Arrival' },
        qty_received: num('float', 'Received Qty'),
        qty_invoiced: num('float', 'Billed Qty'),
        price_subtotal: { type: 'monetary', string: 'Subtotal', compute: lineSubtotal },
        price_total: { type: 'monetary', string: 'Total', compute: lineSubtotal },
      },
    },
  ];
}
