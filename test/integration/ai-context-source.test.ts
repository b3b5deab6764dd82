import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { OdooContextSource } from '../../src/odoo/context-source.js';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';

describe('OdooContextSource against a fake Odoo (XML-RPC)', () => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;
  let buyer: number;
  let chair: number;

  beforeAll(async () => {
    odoo = await FakeOdooServer.start({ version: 17, db: 'acme' });
    odoo.addUser({
      login: 'bot',
      name: 'Bot',
      email: 'bot@acme.test',
      groups: ['purchase.group_purchase_manager'],
      apiKey: 'k',
    });
    buyer = odoo.addUser({
      login: 'bob',
      name: 'Bob Buyer',
      email: 'bob@acme.test',
      groups: ['purchase.group_purchase_user'],
    });
    chair = odoo.addProduct('Office Chair');
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: 'bot', apiKey: 'k' });
  });
  afterAll(async () => {
    gateway.close();
    await odoo.stop();
  });

  async function factsFor(id: number, thresholds: number[] = []) {
    const doc = await new OdooDocumentSource(gateway).load('purchase.order', id, ['user_id']);
    return new OdooContextSource(gateway).gather('purchase.order', id, doc!.snapshot, thresholds);
  }

  it('reads the vendor history, last prices and reference, and flags what is unusual', async () => {
    const vendor = odoo.addPartner('Azure Interior');
    const order = (price: number, state: string, day: string, qty = 2) =>
      odoo.addPurchaseOrder({
        partnerId: vendor,
        userId: buyer,
        state,
        dateOrder: new Date(`${day}T10:00:00Z`),
        lines: [{ productId: chair, qty, priceUnit: price }],
      });
    order(100, 'purchase', '2026-09-01');
    order(100, 'purchase', '2026-10-01');
    const last = order(150, 'purchase', '2026-11-01');
    odoo.write('purchase.order', last, { partner_ref: 'INV-77' });
    order(90, 'cancel', '2026-11-10');
    const id = order(180, 'to approve', '2026-11-20', 10);
    odoo.write('purchase.order', id, { partner_ref: 'inv 77' });

    const f = await factsFor(id, [5000]);
    const lastName = String(odoo.record('purchase.order', last)!.name);
    expect(f).toMatchObject({
      kind: 'purchase',
      partner: 'Azure Interior',
      amount: 1800,
      newPartner: false,
      partnerRef: 'inv 77',
    });
    expect(f.history.map((h) => [h.date, h.amount])).toEqual([
      ['2026-11-01', 300],
      ['2026-10-01', 200],
      ['2026-09-01', 200],
    ]);
    expect(f.prices).toEqual([
      { product: 'Office Chair', unitPrice: 180, lastPrice: 150, lastReference: lastName, changePct: 20 },
    ]);
    expect(riskFlags(f).map((x) => x.code)).toEqual(['price_increase', 'amount_above_usual', 'duplicate_reference']);
  });

  it('knows a new vendor', async () => {
    const vendor = odoo.addPartner('Deco Addict');
    const id = odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: buyer,
      state: 'to approve',
      lines: [{ productId: chair, qty: 1, priceUnit: 10 }],
    });
    const f = await factsFor(id);
    expect(f.newPartner).toBe(true);
    expect(f.history).toEqual([]);
    expect(riskFlags(f).map((x) => x.code)).toEqual(['new_vendor']);
  });

  it('reads a bill against its order line by line: ordered, received, billed, prices and the variance', async () => {
    const vendor = odoo.addPartner('Wood Corner');
    const desk = odoo.addProduct('Desk');
    const po = odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: buyer,
      state: 'purchase',
      lines: [
        { productId: chair, qty: 10, priceUnit: 100 },
        { productId: desk, qty: 2, priceUnit: 400 },
      ],
    });
    const [chairLine, deskLine] = odoo.record('purchase.order', po)!.order_line as number[];
    // The receipts: 6 chairs and both desks arrived.
    odoo.write('purchase.order.line', chairLine!, { qty_received: 6 });
    odoo.write('purchase.order.line', deskLine!, { qty_received: 2 });
    const bill = odoo.addVendorBill({
      partnerId: vendor,
      purchaseOrderId: po,
      ref: 'WC-1001',
      lines: [
        { qty: 5, priceUnit: 100, purchaseLineId: chairLine! },
        { qty: 3, priceUnit: 100, purchaseLineId: chairLine! },
        { qty: 2, priceUnit: 460, purchaseLineId: deskLine! },
      ],
    });
    const doc = await new OdooDocumentSource(gateway).load('account.move', bill, ['invoice_user_id']);
    const f = await new OdooContextSource(gateway).gather('account.move', bill, doc!.snapshot, []);
    const order = String(odoo.record('purchase.order', po)!.name);
    expect(f.kind).toBe('bill');
    expect(f.partnerRef).toBe('WC-1001');
    expect(f.bill).toEqual({
      orderReference: order,
      orderAmount: 1800,
      // 8 × 100 + 2 × 460 billed against 10 × 100 + 2 × 400 ordered.
      variance: -80,
      variancePct: -4.4,
      lines: [
        {
          product: 'Office Chair',
          ordered: 10,
          received: 6,
          billed: 8,
          orderPrice: 100,
          billPrice: 100,
          priceChangePct: 0,
        },
        { product: 'Desk', ordered: 2, received: 2, billed: 2, orderPrice: 400, billPrice: 460, priceChangePct: 15 },
      ],
    });
    expect(riskFlags(f).map((x) => [x.code, x.reason])).toEqual([
      ['new_vendor', 'first bill from Wood Corner'],
      ['billed_over_received', `Office Chair: 8 billed but 6 received of 10 ordered on ${order}`],
      [
        'bill_price_above_order',
        `Desk: billed at 460.00 per unit, 15.0% above the 400.00 ordered on ${order} (limit 10%)`,
      ],
    ]);
  });
});
