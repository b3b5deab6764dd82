/**
 * Payment transactions (`addons/payment/models/payment_transaction.py`),
 * minimal: enough for the failed-payment exception preset (`state = error`).
 * `provider_id` is a many2one to `payment.provider` in Odoo; the fake keeps
 * the provider's name as a char so no provider model is needed.
 */
import { char, m2o, num, sel, text } from './fake-odoo-fields.js';
import type { FakeModel, FakeOdooVersion } from './fake-odoo-schema.js';

export function paymentModels(_version: FakeOdooVersion): FakeModel[] {
  return [
    {
      name: 'payment.transaction',
      description: 'Payment Transaction',
      order: 'id desc',
      recName: 'reference',
      mailThread: false,
      fields: {
        reference: char('Reference'),
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
        amount: num('monetary', 'Amount'),
        currency_id: m2o('res.currency', 'Currency'),
        partner_id: m2o('res.partner', 'Customer'),
        provider_id: char('Provider'),
        state_message: text('Message'),
      },
    },
  ];
}
