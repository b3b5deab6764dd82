/**
 * Vendor bills (`addons/account/models/account_move.py`, with the fields
 * `purchase` and Enterprise `account_3way_match` add). Amounts are computed
 * from the lines without taxes; `*_signed` amounts are negative for bills and
 * `amount_total_signed` is in the company currency, converted at the rate of
 * the bill date (`invoice_date`, else `date`), as Odoo's lines are.
 */
import {
  char,
  children,
  computed,
  date,
  dayOf,
  flag,
  m2o,
  num,
  o2m,
  round2,
  sel,
  text,
  toCompanyCurrency,
} from './fake-odoo-fields.js';
import type { ComputeContext, FakeModel, FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';

export const MOVE_TYPES: Array<[string, string]> = [
  ['entry', 'Journal Entry'],
  ['out_invoice', 'Customer Invoice'],
  ['out_refund', 'Customer Credit Note'],
  ['in_invoice', 'Vendor Bill'],
  ['in_refund', 'Vendor Credit Note'],
  ['out_receipt', 'Sales Receipt'],
  ['in_receipt', 'Purchase Receipt'],
];

function moveLineSubtotal(line: StoredRecord): number {
  const qty = Number(line.quantity) || 0;
  const price = Number(line.price_unit) || 0;
  return round2(qty * price * (1 - (Number(line.discount) || 0) / 100));
}

function moveTotal(move: StoredRecord, ctx: ComputeContext): number {
  return round2(children(ctx, 'account.move.line', 'move_id', move.id).reduce((s, l) => s + moveLineSubtotal(l), 0));
}

/** −1 for what the company owes (bills, customer refunds), +1 otherwise. */
function sign(move: StoredRecord): number {
  return ['in_invoice', 'out_refund', 'in_receipt'].includes(String(move.move_type)) ? -1 : 1;
}

/** Unpaid: the whole total is due (the fake registers no payments). */
/** The company-currency amount at the rate Odoo's lines use: the bill date, else the accounting date, else today. */
function inCompanyCurrency(move: StoredRecord, ctx: ComputeContext, amount: number): number {
  return toCompanyCurrency(ctx, amount, move.currency_id, move.company_id, dayOf(ctx, move.invoice_date || move.date));
}

function residual(move: StoredRecord, ctx: ComputeContext): number {
  return move.payment_state === 'paid' || move.payment_state === 'in_payment' ? 0 : moveTotal(move, ctx);
}

export function accountModels(_version: FakeOdooVersion): FakeModel[] {
  const monetary = (label: string, fn: (m: StoredRecord, ctx: ComputeContext) => number) =>
    computed(num('monetary', label), fn);
  return [
    {
      name: 'account.move',
      description: 'Journal Entry',
      order: 'date desc, name desc, id desc',
      recName: 'name',
      mailThread: true,
      fields: {
        name: { ...char('Number'), default: '/' },
        move_type: sel('Type', MOVE_TYPES, 'entry'),
        state: sel(
          'Status',
          [
            ['draft', 'Draft'],
            ['posted', 'Posted'],
            ['cancel', 'Cancelled'],
          ],
          'draft',
        ),
        date: date('Date'),
        partner_id: m2o('res.partner', 'Partner'),
        ref: char('Reference'),
        invoice_origin: char('Origin'),
        invoice_date: date('Invoice/Bill Date'),
        invoice_date_due: date('Due Date'),
        invoice_user_id: m2o('res.users', 'Salesperson'),
        currency_id: m2o('res.currency', 'Currency'),
        company_id: m2o('res.company', 'Company'),
        company_currency_id: computed(m2o('res.currency', 'Company Currency'), (m, ctx) => {
          const company = ctx.all('res.company').find((c) => c.id === m.company_id);
          return company?.currency_id ?? false;
        }),
        narration: { type: 'html', string: 'Terms and Conditions' },
        invoice_line_ids: o2m('account.move.line', 'move_id', 'Invoice lines'),
        amount_untaxed: monetary('Untaxed Amount', moveTotal),
        amount_tax: monetary('Tax', () => 0),
        amount_total: monetary('Total', moveTotal),
        amount_residual: monetary('Amount Due', residual),
        amount_total_signed: monetary('Total Signed', (m, ctx) =>
          inCompanyCurrency(m, ctx, sign(m) * moveTotal(m, ctx)),
        ),
        amount_total_in_currency_signed: monetary('Total in Currency Signed', (m, ctx) => sign(m) * moveTotal(m, ctx)),
        amount_residual_signed: monetary('Amount Due Signed', (m, ctx) =>
          inCompanyCurrency(m, ctx, sign(m) * residual(m, ctx)),
        ),
        payment_state: sel(
          'Payment Status',
          [
            ['not_paid', 'Not Paid'],
            ['in_payment', 'In Payment'],
            ['paid', 'Paid'],
            ['partial', 'Partially Paid'],
            ['reversed', 'Reversed'],
            ['invoicing_legacy', 'Invoicing App Legacy'],
          ],
          'not_paid',
        ),
        // account_3way_match (Enterprise): may this bill be paid, judged from received quantities.
        release_to_pay: sel(
          'Release To Pay',
          [
            ['yes', 'Yes'],
            ['no', 'No'],
            ['exception', 'Exception'],
          ],
          'no',
        ),
        release_to_pay_manual: sel('Should Be Paid', [
          ['yes', 'Yes'],
          ['no', 'No'],
          ['exception', 'Exception'],
        ]),
        force_release_to_pay: flag('Force Status', false),
      },
    },
    {
      name: 'account.move.line',
      description: 'Journal Item',
      order: 'id',
      recName: 'name',
      fields: {
        move_id: m2o('account.move', 'Journal Entry'),
        product_id: m2o('product.product', 'Product'),
        name: text('Label'),
        quantity: { ...num('float', 'Quantity'), default: 1 },
        price_unit: num('float', 'Unit Price'),
        discount: num('float', 'Discount (%)'),
        price_subtotal: computed(num('monetary', 'Subtotal'), moveLineSubtotal),
        price_total: computed(num('monetary', 'Total'), moveLineSubtotal),
        purchase_line_id: m2o('purchase.order.line', 'Purchase Order Line'),
        purchase_order_id: computed(m2o('purchase.order', 'Purchase Order'), (l, ctx) => {
          const line = ctx.all('purchase.order.line').find((p) => p.id === l.purchase_line_id);
          return line?.order_id ?? false;
        }),
        currency_id: computed(m2o('res.currency', 'Currency'), (l, ctx) => {
          const move = ctx.all('account.move').find((m) => m.id === l.move_id);
          return move?.currency_id ?? false;
        }),
      },
    },
  ];
}
