import { randomBytes } from 'node:crypto';
import type { FakeOdooServer } from './odoo/fake-odoo-server.js';
import type { SandboxClock } from './sandbox-clock.js';

/** The demo company's customers, their unpaid invoices and a card payment that failed. */
export interface SandboxReceivables {
  customers: { deco: number; gemini: number };
  /** Posted, not paid; due 45 and 10 days before the sandbox started (only the first is past the 30-day policy). */
  invoices: { overdue: number; dueRecently: number };
  /** A Stripe payment of the recent invoice, refused (`state = error`). */
  failedPayment: number;
  /** A posted customer invoice, not paid, due 45 days ago by the sandbox clock. */
  newOverdueInvoice(): number;
  /** Another refused card payment of the recent invoice (its reference gets `-1`, `-2`... as in Odoo). */
  newFailedPayment(): number;
}

const DAY_MS = 86_400_000;

/** What Stripe says in `last_payment_error.message`, which Odoo keeps as the transaction's `state_message`. */
const DECLINES = ['Your card has insufficient funds.', 'Your card was declined.', 'Your card has expired.'];

/** Seeds two customers, two posted unpaid invoices (45 and 10 days past due) and a failed payment. */
export function seedReceivables(
  odoo: FakeOdooServer,
  clock: SandboxClock,
  products: { chair: number; desk: number },
  accountant: number,
): SandboxReceivables {
  const day = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);
  const customers = {
    deco: odoo.addPartner('Deco Addict', 'payables@deco-addict.example'),
    gemini: odoo.addPartner('Gemini Furniture', 'payables@gemini-furniture.example'),
  };
  // An account.move like the vendor bills, with move_type out_invoice: posted by Ann on 30-day terms.
  const invoice = (
    partnerId: number,
    daysPastDue: number,
    lines: Array<{ productId: number; qty: number; priceUnit: number }>,
  ) =>
    odoo.addVendorBill({
      moveType: 'out_invoice',
      partnerId,
      invoiceUserId: accountant,
      state: 'posted',
      invoiceDate: day(daysPastDue + 30),
      invoiceDateDue: day(daysPastDue),
      lines,
    });
  const invoices = {
    overdue: invoice(customers.deco, 45, [{ productId: products.desk, qty: 8, priceUnit: 890 }]),
    dueRecently: invoice(customers.gemini, 10, [{ productId: products.chair, qty: 6, priceUnit: 240 }]),
  };
  let declines = 0;
  const newFailedPayment = () =>
    odoo.addPaymentTransaction({
      partnerId: customers.gemini,
      amount: Number(odoo.record('account.move', invoices.dueRecently)!.amount_total),
      invoiceIds: [invoices.dueRecently],
      state: 'error',
      stateMessage: DECLINES[declines++ % DECLINES.length]!,
      providerReference: `pi_${randomBytes(12).toString('hex')}`,
    });
  return {
    customers,
    invoices,
    failedPayment: newFailedPayment(),
    newOverdueInvoice: () => invoice(customers.deco, 45, [{ productId: products.desk, qty: 3, priceUnit: 890 }]),
    newFailedPayment,
  };
}
