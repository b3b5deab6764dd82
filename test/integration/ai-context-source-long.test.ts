import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskFlags } from '../../src/flows/risk-flags.js';
import { OdooContextSource } from '../../src/odoo/context-source.js';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';

/**
 * Long documents and busy vendors: the facts read every line and find the
 * last price of every product, within the call bound documented on
 * OdooContextSource (the fake server records each call).
 */
describe('OdooContextSource on long documents (fake Odoo, XML-RPC)', () => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;
  let buyer: number;

  beforeAll(async () => {
    odoo = await FakeOdooServer.start({ version: 17, db: 'acme' });
    odoo.addUser({
      login: 'bot',
      name: 'Bot',
      email: 'bot@acme.test',
      groups: ['purchase.group_purchase_manager', 'account.group_account_manager'],
      apiKey: 'k',
    });
    buyer = odoo.addUser({
      login: 'bob',
      name: 'Bob Buyer',
      email: 'bob@acme.test',
      groups: ['purchase.group_purchase_user'],
    });
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: 'bot', apiKey: 'k' });
  });
  afterAll(async () => {
    gateway.close();
    await odoo.stop();
  });

  const products = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => odoo.addProduct(`${prefix} ${String(i + 1).padStart(3, '0')}`));

  const order = (vendor: number, state: string, lines: Array<[product: number, price: number]>) =>
    odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: buyer,
      state,
      lines: lines.map(([productId, priceUnit]) => ({ productId, qty: 1, priceUnit })),
    });

  /** The facts of a document and the ORM calls gathering them made (`fields_get` aside: the gateway caches it). */
  async function gather(model: string, id: number) {
    const doc = await new OdooDocumentSource(gateway).load(model, id, []);
    const from = odoo.calls.length;
    const facts = await new OdooContextSource(gateway).gather(model, id, doc!.snapshot, []);
    const calls = odoo.calls
      .slice(from)
      .filter((c) => c.service === 'object' && c.modelMethod !== 'fields_get')
      .map((c) => `${c.model}.${c.modelMethod}`);
    return { facts, calls };
  }

  /** The bound documented on OdooContextSource for a purchase order of `lines` lines and `products` products. */
  const purchaseBound = (lines: number, products: number) => 3 + Math.ceil(lines / 200) + products;

  it('finds the last price of every product when the vendor buys one of them far more often', async () => {
    const vendor = odoo.addPartner('Busy Supplies');
    const [chair, desk, lamp] = products('Busy item', 3) as [number, number, number];
    const others = products('Busy other', 10);
    const lampOrder = order(vendor, 'purchase', [[lamp, 40]]);
    order(vendor, 'purchase', [[desk, 200]]);
    // 300 newer orders with a chair and something else: 600 lines, 300 of them chairs.
    for (let i = 0; i < 300; i++)
      order(vendor, 'purchase', [
        [chair, i === 299 ? 100 : 90],
        [others[i % 10]!, 10],
      ]);
    // Neither a draft, a cancelled order nor another company's order is a price paid here.
    order(vendor, 'draft', [[desk, 1]]);
    order(vendor, 'cancel', [[lamp, 1]]);
    const otherCompany = await gateway.create('res.company', { name: 'Other Company' });
    const elsewhere = order(odoo.addPartner('Elsewhere Ltd'), 'purchase', [[lamp, 999]]);
    odoo.write('purchase.order', elsewhere, { company_id: otherCompany });

    const id = order(vendor, 'to approve', [
      [chair, 110],
      [desk, 260],
      [lamp, 40],
    ]);
    const { facts, calls } = await gather('purchase.order', id);

    const lampRef = String(odoo.record('purchase.order', lampOrder)!.name);
    expect(facts.prices.map((p) => [p.product, p.unitPrice, p.lastPrice, p.changePct])).toEqual([
      ['Busy item 001', 110, 100, 10],
      ['Busy item 002', 260, 200, 30],
      ['Busy item 003', 40, 40, 0],
    ]);
    expect(facts.prices[2]!.lastReference).toBe(lampRef);
    expect(riskFlags(facts).filter((f) => f.code === 'price_increase')).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^Busy item 002: 260\.00 per unit, up 30\.0%/) }),
    ]);
    // The newest 50 lines are all chairs; a second, narrower round finds the desk and the lamp.
    expect(calls).toEqual([
      'purchase.order.read',
      'purchase.order.search_read',
      'purchase.order.line.read',
      'purchase.order.line.search_read',
      'purchase.order.line.search_read',
    ]);
    expect(calls.length).toBeLessThanOrEqual(purchaseBound(3, 3));
  });

  it('takes as many rounds as products crowd each other out, and no more', async () => {
    const vendor = odoo.addPartner('Streaky Supplies');
    const [a, b, c] = products('Streak', 3) as [number, number, number];
    order(vendor, 'purchase', [[c, 5]]);
    for (let i = 0; i < 60; i++) order(vendor, 'purchase', [[b, 20]]);
    for (let i = 0; i < 60; i++) order(vendor, 'purchase', [[a, 10]]);
    const id = order(vendor, 'to approve', [
      [a, 10],
      [b, 20],
      [c, 6],
    ]);
    const { facts, calls } = await gather('purchase.order', id);
    expect(facts.prices.map((p) => p.lastPrice)).toEqual([10, 20, 5]);
    expect(calls.filter((x) => x === 'purchase.order.line.search_read')).toHaveLength(3);
    expect(calls.length).toBeLessThanOrEqual(purchaseBound(3, 3));
  });

  it('reads all 250 lines of an order: a price increase on line 240 is flagged', async () => {
    const vendor = odoo.addPartner('Long List Trading');
    const items = products('Part', 250);
    order(
      vendor,
      'purchase',
      items.map((p) => [p, 10]),
    );
    const id = order(
      vendor,
      'to approve',
      items.map((p, i) => [p, i === 239 ? 12 : 10]),
    );
    const { facts, calls } = await gather('purchase.order', id);
    expect(facts.prices).toHaveLength(250);
    expect(facts.prices.every((p) => p.lastPrice === 10)).toBe(true);
    expect(riskFlags(facts).map((f) => [f.code, f.reason])).toEqual([
      ['price_increase', expect.stringMatching(/^Part 240: 12\.00 per unit, up 20\.0% from 10\.00 on P\d+/)],
    ]);
    // The lines in two reads of 200; one round finds all 250 last prices.
    expect(calls).toEqual([
      'purchase.order.read',
      'purchase.order.search_read',
      'purchase.order.line.read',
      'purchase.order.line.read',
      'purchase.order.line.search_read',
    ]);
    expect(calls.length).toBeLessThanOrEqual(purchaseBound(250, 250));
  });

  it('reads all 120 lines of a bill: the price variance on line 110 is flagged', async () => {
    const vendor = odoo.addPartner('Long Bill Ltd');
    const items = products('Bolt', 120);
    const po = order(
      vendor,
      'purchase',
      items.map((p) => [p, 10]),
    );
    const poLines = odoo.record('purchase.order', po)!.order_line as number[];
    for (const line of poLines) odoo.write('purchase.order.line', line, { qty_received: 1 });
    const bill = odoo.addVendorBill({
      partnerId: vendor,
      purchaseOrderId: po,
      ref: 'LB-1',
      lines: poLines.map((_, i) => ({ qty: 1, priceUnit: i === 109 ? 15 : 10 })),
    });
    const { facts, calls } = await gather('account.move', bill);
    const poName = String(odoo.record('purchase.order', po)!.name);
    expect(facts.bill?.lines).toHaveLength(120);
    expect(facts.bill).toMatchObject({ orderReference: poName, orderAmount: 1200, variance: 5, variancePct: 0.4 });
    expect(riskFlags(facts).map((f) => [f.code, f.reason])).toEqual([
      ['new_vendor', 'first bill from Long Bill Ltd'],
      [
        'bill_price_above_order',
        `Bolt 110: billed at 15.00 per unit, 50.0% above the 10.00 ordered on ${poName} (limit 10%)`,
      ],
    ]);
    // Bill, history, its lines, their order lines, the order.
    expect(calls).toEqual([
      'account.move.read',
      'account.move.search_read',
      'account.move.line.read',
      'purchase.order.line.read',
      'purchase.order.read',
    ]);
  });

  it('sums many flagged lines up in a few flags', async () => {
    const vendor = odoo.addPartner('Pricey Parts');
    const items = products('Gear', 30);
    order(
      vendor,
      'purchase',
      items.map((p) => [p, 10]),
    );
    const id = order(
      vendor,
      'to approve',
      items.map((p, i) => [p, i === 20 ? 20 : 12]),
    );
    const { facts } = await gather('purchase.order', id);
    expect(riskFlags(facts).map((f) => [f.code, f.reason])).toEqual([
      [
        'price_increase',
        'Gear 001: 12.00 per unit, up 20.0% from 10.00 on ' + facts.prices[0]!.lastReference + ' (limit 10%)',
      ],
      [
        'price_increase',
        'Gear 002: 12.00 per unit, up 20.0% from 10.00 on ' + facts.prices[1]!.lastReference + ' (limit 10%)',
      ],
      ['price_increase', '28 more products cost more than 10% above their last price, the most Gear 021 (up 100.0%)'],
    ]);
  });
});
