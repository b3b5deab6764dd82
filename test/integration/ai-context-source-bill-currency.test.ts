import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { summariseFacts } from '../../src/flows/summarise-facts.js';
import { OdooContextSource } from '../../src/odoo/context-source.js';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';

/**
 * A vendor bill against its purchase order across currencies, against the
 * fake Odoo over XML-RPC. The fake seeds EUR as the company currency and
 * USD at 1.1 per EUR since 2020-01-01: the bill's `amount_total_signed` and
 * the order's `currency_rate` put both in euros.
 */
describe('OdooContextSource: a bill against an order in another currency', () => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;
  let chair: number;
  let desk: number;

  beforeEach(async () => {
    odoo = await FakeOdooServer.start({ version: 17, db: 'acme', now: () => new Date('2026-12-01T09:00:00Z') });
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: 'admin', apiKey: 'admin' });
    chair = odoo.addProduct('Office Chair');
    desk = odoo.addProduct('Desk');
  });
  afterEach(async () => {
    gateway.close();
    await odoo.stop();
  });

  /** A confirmed order of 10 chairs and 2 desks, all received; its id, name and line ids. */
  function order(vendor: number, currency: 'EUR' | 'USD', chairPrice: number, deskPrice: number) {
    const id = odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: odoo.adminUid,
      currency,
      state: 'purchase',
      dateOrder: new Date('2026-11-02T10:00:00Z'),
      lines: [
        { productId: chair, qty: 10, priceUnit: chairPrice },
        { productId: desk, qty: 2, priceUnit: deskPrice },
      ],
    });
    const lines = odoo.record('purchase.order', id)!.order_line as number[];
    for (const l of lines) {
      const qty = odoo.record('purchase.order.line', l)!.product_qty;
      odoo.write('purchase.order.line', l, { qty_received: qty });
    }
    return { id, name: String(odoo.record('purchase.order', id)!.name), lines: lines as [number, number] };
  }

  async function gatherBill(
    vendor: number,
    po: { id: number; lines: [number, number] },
    currency: 'EUR' | 'USD',
    chairPrice: number,
    deskPrice: number,
  ) {
    const bill = odoo.addVendorBill({
      partnerId: vendor,
      purchaseOrderId: po.id,
      currency,
      invoiceDate: '2026-11-20',
      lines: [
        { qty: 10, priceUnit: chairPrice, purchaseLineId: po.lines[0] },
        { qty: 2, priceUnit: deskPrice, purchaseLineId: po.lines[1] },
      ],
    });
    const doc = await new OdooDocumentSource(gateway).load('account.move', bill, ['invoice_user_id']);
    const from = odoo.calls.length;
    const facts = await new OdooContextSource(gateway).gather('account.move', bill, doc!.snapshot, []);
    const calls = odoo.calls
      .slice(from)
      .filter((c) => c.service === 'object' && c.modelMethod !== 'fields_get')
      .map((c) => `${c.model}.${c.modelMethod}`);
    const flags = riskFlags(facts, { priceIncreasePct: 10 });
    return { facts, flags, summary: summariseFacts('account.move', facts, flags), calls };
  }

  it('finds no variance in a USD bill 10% above its EUR order as written, equal in company currency', async () => {
    const vendor = odoo.addPartner('Dollar Desks Inc');
    const po = order(vendor, 'EUR', 100, 400);
    // 10 × 110 + 2 × 440 = 1,980 USD against 10 × 100 + 2 × 400 = 1,800 EUR: at 1.1 dollars per euro, the same.
    const { facts, flags, summary, calls } = await gatherBill(vendor, po, 'USD', 110, 440);
    expect(facts).toMatchObject({ amount: 1980, currency: 'USD', companyAmount: 1800 });
    expect(facts.bill).toEqual({
      orderReference: po.name,
      orderAmount: 1800,
      orderCurrency: 'EUR',
      variance: 0,
      variancePct: 0,
      lines: [
        {
          product: 'Office Chair',
          ordered: 10,
          received: 10,
          billed: 10,
          orderPrice: 100,
          billPrice: 110,
          priceChangePct: 0,
        },
        { product: 'Desk', ordered: 2, received: 2, billed: 2, orderPrice: 400, billPrice: 440, priceChangePct: 0 },
      ],
    });
    expect(flags.map((f) => f.code)).toEqual(['new_vendor']);
    expect(summary).toContain(
      `it matches ${po.name} with a variance of 0.00 in company currency, as the order is in EUR`,
    );
    // No read beyond the same-currency ones: the order's currency and rate come with it.
    expect(calls).toEqual([
      'account.move.read',
      'account.move.search_read',
      'account.move.line.read',
      'purchase.order.line.read',
      'purchase.order.read',
    ]);
  });

  it('flags a USD bill that looks like its EUR order as written but costs more in company currency, and says why', async () => {
    const vendor = odoo.addPartner('Transatlantic Office');
    const po = order(vendor, 'EUR', 100, 400);
    // 10 × 120 + 2 × 400 = 2,000 USD (1,818.18 EUR) against 1,800 EUR; the chair at 120 USD is 109.09 EUR, the desk
    // at 400 USD is 363.64 EUR: the bare numbers say +11.1% overall, +20% and 0%; in euros +1.0%, +9.1% and −9.1%.
    const { facts, flags } = await gatherBill(vendor, po, 'USD', 120, 400);
    expect(facts.bill).toMatchObject({ orderCurrency: 'EUR', variance: 18.18, variancePct: 1 });
    expect(facts.bill?.lines?.map((l) => l.priceChangePct)).toEqual([9.1, -9.1]);
    expect(flags.map((f) => f.code)).toEqual(['new_vendor']);

    // 10 × 130 USD = 1,181.82 EUR: +18.2% in company currency on the chair, +10.1% on the bill.
    const dearer = await gatherBill(vendor, po, 'USD', 130, 440);
    expect(dearer.flags.filter((f) => f.code !== 'new_vendor').map((f) => [f.code, f.reason])).toEqual([
      [
        'bill_variance',
        `the bill differs from ${po.name} by 10.1% in company currency, as the bill is in USD and the order in EUR (limit 5%)`,
      ],
      [
        'bill_price_above_order',
        `Office Chair: billed at 130.00 USD per unit against the 100.00 EUR ordered on ${po.name}: 18.2% above in company currency, as the currencies differ (limit 10%)`,
      ],
    ]);
  });

  it('compares a bill in its order currency as written, even when it is not the company currency', async () => {
    const vendor = odoo.addPartner('Dollar Chairs Inc');
    const po = order(vendor, 'USD', 100, 400);
    const { facts, flags, summary } = await gatherBill(vendor, po, 'USD', 120, 400);
    expect(facts.bill).toEqual({
      orderReference: po.name,
      orderAmount: 1800,
      variance: 200,
      variancePct: 11.1,
      lines: [
        {
          product: 'Office Chair',
          ordered: 10,
          received: 10,
          billed: 10,
          orderPrice: 100,
          billPrice: 120,
          priceChangePct: 20,
        },
        { product: 'Desk', ordered: 2, received: 2, billed: 2, orderPrice: 400, billPrice: 400, priceChangePct: 0 },
      ],
    });
    expect(flags.filter((f) => f.code !== 'new_vendor').map((f) => [f.code, f.reason])).toEqual([
      ['bill_variance', `the bill differs from ${po.name} by 11.1% (limit 5%)`],
      [
        'bill_price_above_order',
        `Office Chair: billed at 120.00 per unit, 20.0% above the 100.00 ordered on ${po.name} (limit 10%)`,
      ],
    ]);
    expect(summary).toContain(`it matches ${po.name} with a variance of 200.00 USD`);
  });
});
