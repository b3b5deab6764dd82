/**
 * `DocumentSource.readForDomains`, the same cases against the Odoo adapter
 * (fake Odoo 17 over XML-RPC) and the in-memory fake the unit tests use, so
 * the fake cannot drift: related records nested along dotted paths with their
 * display name, missing ids left out, x2many hops reported unread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentSource } from '../../src/flows/ports.js';
import type { Domain } from '../../src/flows/types.js';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';
import { FakeDocumentSource } from '../fakes/fake-document-source.js';
import { FakeOdooGateway } from '../fakes/fake-odoo-gateway.js';
import { FixedClock } from '../fakes/fixed-clock.js';

interface World {
  source: DocumentSource;
  /** Orders from a Belgian vendor, a French one and one without a country. */
  orders: { belgian: number; french: number; nowhere: number };
  /** How many `read` calls reached Odoo for each model since the world was built. */
  reads(): Record<string, number>;
}

interface Backend {
  name: string;
  build(): Promise<World>;
}

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const backends: Backend[] = [
  {
    name: 'in-memory fake',
    async build() {
      const odoo = new FakeOdooGateway(new FixedClock());
      odoo.relate('purchase.order', 'partner_id', 'res.partner');
      odoo.relate('res.partner', 'country_id', 'res.country');
      odoo.relate('purchase.order', 'order_line', 'purchase.order.line', 'one2many');
      odoo.put('res.country', { id: 1, name: 'Belgium', code: 'BE' });
      odoo.put('res.country', { id: 2, name: 'France', code: 'FR' });
      odoo.put('res.partner', { id: 11, name: 'Azure Interior', country_id: { id: 1, name: 'Belgium' } });
      odoo.put('res.partner', { id: 12, name: 'Gemini Furniture', country_id: { id: 2, name: 'France' } });
      odoo.put('res.partner', { id: 13, name: 'Nowhere Ltd', country_id: null });
      const order = (partner: number, name: string) =>
        odoo.put('purchase.order', { state: 'to approve', partner_id: { id: partner, name }, order_line: [] });
      const source = new FakeDocumentSource(odoo);
      const models: string[] = [];
      const read = odoo.read.bind(odoo);
      odoo.read = async (model, ids, fields) => {
        models.push(model);
        return read(model, ids, fields);
      };
      return {
        source,
        orders: {
          belgian: order(11, 'Azure Interior'),
          french: order(12, 'Gemini Furniture'),
          nowhere: order(13, 'Nowhere Ltd'),
        },
        reads: () => countBy(models),
      };
    },
  },
  {
    name: 'Odoo 17 over XML-RPC',
    async build() {
      const odoo = await FakeOdooServer.start({ version: 17 });
      const gateway = new XmlRpcOdooGateway({ url: odoo.url, db: odoo.db, username: 'admin', apiKey: 'admin' });
      closers.push(async () => {
        gateway.close();
        await odoo.stop();
      });
      const be = await gateway.create('res.country', { name: 'Belgium', code: 'BE' });
      const fr = await gateway.create('res.country', { name: 'France', code: 'FR' });
      const partner = (name: string, country: number | false) => {
        const id = odoo.addPartner(name);
        odoo.write('res.partner', id, { country_id: country });
        return id;
      };
      const buyer = odoo.addUser({ login: 'bob', name: 'Bob Buyer', email: 'bob@acme.test' });
      const product = odoo.addProduct('Office Chair');
      const order = (partnerId: number) =>
        odoo.addPurchaseOrder({
          partnerId,
          userId: buyer,
          state: 'to approve',
          lines: [{ productId: product, qty: 1, priceUnit: 10 }],
        });
      const orders = {
        belgian: order(partner('Azure Interior', be)),
        french: order(partner('Gemini Furniture', fr)),
        nowhere: order(partner('Nowhere Ltd', false)),
      };
      const from = odoo.calls.length;
      return {
        source: new OdooDocumentSource(gateway),
        orders,
        reads: () =>
          countBy(
            odoo.calls
              .slice(from)
              .filter((c) => c.modelMethod === 'read')
              .map((c) => c.model ?? ''),
          ),
      };
    },
  },
];

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

describe.each(backends)('readForDomains: $name', (backend) => {
  const country: Domain = [['partner_id.country_id.code', '=', 'BE']];

  it('nests the related records of dotted paths, reading each model once for all records', async () => {
    const w = await backend.build();
    const ids = [w.orders.belgian, w.orders.french, w.orders.nowhere];

    const read = await w.source.readForDomains('purchase.order', ids, [[['state', '=', 'to approve']], country]);

    expect(read.unread.size).toBe(0);
    expect(w.reads()).toEqual({ 'purchase.order': 1, 'res.partner': 1, 'res.country': 1 });
    const belgian = read.records.get(w.orders.belgian);
    expect(belgian).toMatchObject({
      id: w.orders.belgian,
      state: 'to approve',
      partner_id: { display_name: 'Azure Interior', country_id: { display_name: 'Belgium', code: 'BE' } },
    });
    expect(read.records.get(w.orders.nowhere)).toMatchObject({ partner_id: { country_id: null } });
  });

  it('leaves out ids that do not exist', async () => {
    const w = await backend.build();

    const read = await w.source.readForDomains('purchase.order', [w.orders.french, 99_999], [country]);

    expect([...read.records.keys()]).toEqual([w.orders.french]);
  });

  it('reports a path through a list of records as unread, and still reads the rest', async () => {
    const w = await backend.build();

    const read = await w.source.readForDomains(
      'purchase.order',
      [w.orders.belgian],
      [[['order_line.product_id', '=', 1]], country],
    );

    expect([...read.unread.keys()]).toEqual(['order_line.product_id']);
    expect(read.records.get(w.orders.belgian)).toMatchObject({ partner_id: { country_id: { code: 'BE' } } });
  });
});
