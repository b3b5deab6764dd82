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
});
