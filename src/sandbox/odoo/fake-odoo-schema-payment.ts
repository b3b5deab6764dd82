/**
 * Online payments (`addons/payment/models/payment_provider.py`,
 * `payment_transaction.py`, with the `invoice_ids` that `account_payment`
 * adds): enough for the failed-payment exception preset (`state = error`).
 * Like Odoo, `payment.transaction` is no mail.thread: it has no chatter and
 * no activities. The fake leaves out payment methods and tokens.
 */
import { char, computed, datetime, m2m, m2o, num, sel, text } from './fake-odoo-fields.js';
import type { FakeModel, FakeOdooVersion } from './fake-odoo-schema.js';

/** `payment.provider.code`: `none` plus the codes the provider modules add (a few of them). */
export const PROVIDER_CODES: Array<[string, string]> = [
  ['none', 'No Provider Set'],
  ['demo', 'Demo'],
  ['adyen', 'Adyen'],
  ['paypal', 'PayPal'],
  ['stripe', 'Stripe'],
];

export function paymentModels(_version: FakeOdooVersion): FakeModel[] {
  return [
    {
      name: 'payment.provider',
      description: 'Payment Provider',
      order: 'state desc, name',
      recName: 'name',
      mailThread: false,
      fields: {
        name: char('Name'),
        code: sel('Code', PROVIDER_CODES, 'none'),
        state: sel(
          'State',
          [
            ['disabled', 'Disabled'],
            ['enabled', 'Enabled'],
            ['test', 'Test Mode'],
          ],
          'disabled',
        ),
        company_id: m2o('res.company', 'Company'),
      },
    },
    {
      name: 'payment.transaction',
      description: 'Payment Transaction',
      order: 'id desc',
      recName: 'reference',
      mailThread: false,
      fields: {
        provider_id: m2o('payment.provider', 'Provider'),
        provider_code: computed(sel('Provider Code', PROVIDER_CODES), (tx, ctx) => {
          const provider = ctx.all('payment.provider').find((p) => p.id === tx.provider_id);
          return provider?.code ?? false;
        }),
        company_id: m2o('res.company', 'Company'),
        reference: char('Reference'),
        provider_reference: char('Provider Reference'),
        amount: num('monetary', 'Amount'),
        currency_id: m2o('res.currency', 'Currency'),
        state: sel(
          'Status',
          [
            ['draft', 'Draft'],
            ['pending', 'Pending'],
            ['authorized', 'Authorized'],
            ['done', 'Confirmed'],
            ['cancel', 'Canceled'],
            ['error', 'Error'],
          ],
          'draft',
        ),
        state_message: text('Message'),
        last_state_change: datetime('Last State Change Date'),
        operation: sel('Operation', [
          ['online_redirect', 'Online payment with redirection'],
          ['online_direct', 'Online direct payment'],
          ['online_token', 'Online payment by token'],
          ['validation', 'Validation of the payment method'],
          ['offline', 'Offline payment by token'],
          ['refund', 'Refund'],
        ]),
        partner_id: m2o('res.partner', 'Customer'),
        partner_name: char('Partner Name'),
        partner_email: char('Email'),
        // account_payment: the invoices this transaction pays.
        invoice_ids: m2m('account.move', 'Invoices'),
      },
    },
  ];
}
