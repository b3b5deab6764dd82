import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { OdooContextSource } from '../../src/odoo/context-source.js';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';

/**
 * Last prices and the vendor's usual amount across currencies, against the
 * fake Odoo over XML-RPC. The fake seeds EUR as the company currency and
 * USD at 1.1 per EUR since 2020-01-01; `purchase.order.currency_rate` is
 * Odoo's rate at each order's date.
 */
describe('OdooContextSource: comparing like with like across currencies', () => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;
  let chair: number;

  beforeEach(async () => {
    odoo = await FakeOdooServer.start({ version: 17, db: 'acme', now: () => new Date('2026-12-01T09:00:00Z') });
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: 'admin', apiKey: 'admin' });
    chair = odoo.addProduct('Office Chair');
  });
  afterEach(async () => {
    gateway.close();
    await odoo.stop();
  });

  const usdRateFrom = async (day: string, rate: number) => {
    const [usd] = await gateway.search('res.currency', [['name', '=', 'USD']]);
    await gateway.create('res.currency.rate', { currency_id: usd!, name: day, rate, company_id: 1 });
  };

  const order = (
    vendor: number,
    currency: 'EUR' | 'USD',
    day: string,
    lines: Array<[product: number, price: number]>,
    state = 'purchase',
  ) =>
    odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: odoo.adminUid,
      currency,
      state,
      dateOrder: new Date(`${day}T10:00:00Z`),
      lines: lines.map(([productId, priceUnit]) => ({ productId, qty: 1, priceUnit })),
    });

  const nameOf = (id: number) => String(odoo.record('purchase.order', id)!.name);

  /** The facts, their flags at a 10% price limit, the summary, and the ORM calls gathering the facts made. */
  async function gather(id: number, thresholds: number[] = []) {
    const doc = await new OdooDocumentSource(gateway).load('purchase.order', id, ['user_id']);
    const from = odoo.calls.length;
    const facts = await new OdooContextSource(gateway).gather('purchase.order', id, doc!.snapshot, thresholds);
    const calls = odoo.calls
      .slice(from)
      .filter((c) => c.service === 'object' && c.modelMethod !== 'fields_get')
      .map((c) => `${c.model}.${c.modelMethod}`);
    const flags = riskFlags(facts, { priceIncreasePct: 10 });
    return { facts, flags, summary: summariseFacts('purchase.order', facts, flags), calls };
  }

  it('compares a last price paid in USD in the company currency: +20% as written is +2.0% in euros', async () => {
    // 0.85 dollars per euro from October: the USD order's currency_rate.
    await usdRateFrom('2026-10-01', 0.85);
    const last = order(odoo.addPartner('Dollar Desks Inc'), 'USD', '2026-10-15', [[chair, 150]]);
    const id = order(odoo.addPartner('Euro Seating'), 'EUR', '2026-11-20', [[chair, 180]], 'to approve');

    const { facts, flags, summary, calls } = await gather(id);
    // 180 EUR against 150 / 0.85 = 176.47 EUR: +2.0%, not the +20% of the bare numbers.
    expect(facts.prices).toEqual([
      {
        product: 'Office Chair',
        unitPrice: 180,
        lastPrice: 150,
        lastReference: nameOf(last),
        lastCurrency: 'USD',
        changePct: 2,
      },
    ]);
    expect(flags.map((f) => f.code)).not.toContain('price_increase');
    expect(summary).toContain(
      `last prices in another currency: Office Chair 180.00 EUR, last 150.00 USD on ${nameOf(last)} (≈ +2.0% in company currency)`,
    );
    // The USD order's rate in one more read, after the last prices.
    expect(calls).toEqual([
      'purchase.order.read',
      'purchase.order.search_read',
      'purchase.order.search',
      'purchase.order.line.read',
      'purchase.order.line.search_read',
      'purchase.order.read',
    ]);
  });

  it('flags a price that looks flat as written but rose in the company currency, and says the currencies differ', async () => {
    const vendor = odoo.addPartner('Transatlantic Office');
    // 150 USD at 1.1 dollars per euro is 136.36 EUR; 160 EUR is 17.3% more.
    const last = order(vendor, 'USD', '2026-06-01', [[chair, 150]]);
    const id = order(vendor, 'EUR', '2026-11-20', [[chair, 160]], 'to approve');
    const { facts, flags } = await gather(id);
    expect(facts.prices[0]).toMatchObject({ lastCurrency: 'USD', changePct: 17.3 });
    expect(flags.filter((f) => f.code === 'price_increase').map((f) => f.reason)).toEqual([
      `Office Chair: 160.00 EUR per unit, last 150.00 USD on ${nameOf(last)}: up 17.3% in company currency (limit 10%)`,
    ]);
  });

  it('compares prices in one currency as they are, even when it is not the company currency', async () => {
    await usdRateFrom('2026-10-01', 0.85);
    const vendor = odoo.addPartner('Dollar Chairs Inc');
    const desk = odoo.addProduct('Desk');
    // Both orders in USD, at rates 1.1 and 0.85: the vendor's price rose 10% and 20%, whatever the exchange rate did.
    const last = order(vendor, 'USD', '2026-06-01', [
      [chair, 150],
      [desk, 100],
    ]);
    const id = order(
      vendor,
      'USD',
      '2026-11-20',
      [
        [chair, 165],
        [desk, 120],
      ],
      'to approve',
    );
    const { facts, flags, summary, calls } = await gather(id);
    expect(facts.prices).toEqual([
      { product: 'Office Chair', unitPrice: 165, lastPrice: 150, lastReference: nameOf(last), changePct: 10 },
      { product: 'Desk', unitPrice: 120, lastPrice: 100, lastReference: nameOf(last), changePct: 20 },
    ]);
    expect(flags.map((f) => [f.code, f.reason])).toEqual([
      ['price_increase', `Desk: 120.00 per unit, up 20.0% from 100.00 on ${nameOf(last)} (limit 10%)`],
    ]);
    expect(summary).not.toContain('another currency');
    // No rate is read when every last price shares the order's currency.
    expect(calls).toEqual([
      'purchase.order.read',
      'purchase.order.search_read',
      'purchase.order.line.read',
      'purchase.order.line.search_read',
    ]);
  });

  it("takes the vendor's median in the company currency when the history mixes currencies", async () => {
    const vendor = odoo.addPartner('Two Currency Trading');
    // 1,000 EUR, 1,100 USD (1,000 EUR) and 2,200 USD (2,000 EUR): the median is 1,000 EUR, not 1,100.
    order(vendor, 'EUR', '2026-09-01', [[chair, 1000]]);
    order(vendor, 'USD', '2026-09-10', [[chair, 1100]]);
    const newest = order(vendor, 'USD', '2026-09-20', [[chair, 2200]]);
    const id = order(vendor, 'EUR', '2026-11-20', [[chair, 3200]], 'to approve');

    const { facts, flags, summary } = await gather(id);
    expect(facts.companyAmount).toBe(3200);
    expect(facts.history.map((h) => [h.amount, h.currency, h.companyAmount])).toEqual([
      [2200, 'USD', 2000],
      [1100, 'USD', 1000],
      [1000, 'EUR', 1000],
    ]);
    // 3,200 is 3.2 times 1,000 (above the default 3), though only 2.9 times the 1,100 of the bare numbers.
    expect(flags.filter((f) => f.code === 'amount_above_usual').map((f) => f.reason)).toEqual([
      '3,200.00 EUR is 3.2 times the median of the last 3, compared in company currency as their currencies differ (3,200.00 against 1,000.00)',
    ]);
    expect(summary).toContain(
      `The median of the last 3 is 1,000.00 in company currency, as their currencies differ (latest ${nameOf(newest)})`,
    );
  });

  it('converts the order itself too: 3,520 USD is 3,200 EUR, under three times the 1,100 EUR usual', async () => {
    const vendor = odoo.addPartner('Euro Usuals Ltd');
    order(vendor, 'EUR', '2026-09-01', [[chair, 1100]]);
    order(vendor, 'EUR', '2026-09-10', [[chair, 1100]]);
    order(vendor, 'EUR', '2026-09-20', [[chair, 1200]]);
    const id = order(vendor, 'USD', '2026-11-20', [[chair, 3520]], 'to approve');
    const { facts, flags } = await gather(id);
    expect(facts).toMatchObject({ amount: 3520, currency: 'USD', companyAmount: 3200 });
    expect(flags.map((f) => f.code)).not.toContain('amount_above_usual');
  });

  it('keeps the bare amounts when the history shares the order currency', async () => {
    const vendor = odoo.addPartner('Steady Supplies');
    order(vendor, 'USD', '2026-09-01', [[chair, 1000]]);
    order(vendor, 'USD', '2026-09-10', [[chair, 1000]]);
    order(vendor, 'USD', '2026-09-20', [[chair, 1100]]);
    const id = order(vendor, 'USD', '2026-11-20', [[chair, 3500]], 'to approve');
    const { flags, summary } = await gather(id);
    expect(flags.filter((f) => f.code === 'amount_above_usual').map((f) => f.reason)).toEqual([
      '3,500.00 USD is 3.5 times the median of the last 3 (1,000.00 USD)',
    ]);
    expect(summary).toContain('The median of the last 3 is 1,000.00 USD (latest');
  });

  it("takes a bill's usual from the company-currency totals (amount_total_signed) of the vendor's bills", async () => {
    const vendor = odoo.addPartner('Two Currency Invoicing');
    const bill = (currency: 'EUR' | 'USD', invoiceDate: string, price: number, state: 'draft' | 'posted' = 'posted') =>
      odoo.addVendorBill({
        partnerId: vendor,
        currency,
        invoiceDate,
        state,
        lines: [{ productId: chair, qty: 1, priceUnit: price }],
      });
    bill('EUR', '2026-09-01', 1000);
    bill('USD', '2026-09-10', 1100);
    bill('USD', '2026-09-20', 2200);
    const id = bill('EUR', '2026-11-20', 3200, 'draft');
    const doc = await new OdooDocumentSource(gateway).load('account.move', id, ['invoice_user_id']);
    const facts = await new OdooContextSource(gateway).gather('account.move', id, doc!.snapshot, []);
    expect(facts.companyAmount).toBe(3200);
    expect(facts.history.map((h) => [h.amount, h.currency, h.companyAmount])).toEqual([
      [2200, 'USD', 2000],
      [1100, 'USD', 1000],
      [1000, 'EUR', 1000],
    ]);
    expect(riskFlags(facts).map((f) => f.reason)).toContain(
      '3,200.00 EUR is 3.2 times the median of the last 3, compared in company currency as their currencies differ (3,200.00 against 1,000.00)',
    );
  });
});
