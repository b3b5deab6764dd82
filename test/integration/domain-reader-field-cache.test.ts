/**
 * The domain reader learns which fields Odoo stores from the gateway's cached
 * `fields_get` (type, relation, store): one call per model per process, shared
 * with the gateway's own value normalisation, never a second one of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Domain } from '../../src/flows/types.js';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';

describe('domain reader and gateway share one fields_get per model (fake Odoo 17)', () => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;

  beforeAll(async () => {
    odoo = await FakeOdooServer.start({ version: 17 });
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: odoo.db, username: 'admin', apiKey: 'admin' });
  });
  afterAll(async () => {
    gateway?.close();
    await odoo?.stop();
  });

  it('reads a dotted domain path with one fields_get per model, asked with store', async () => {
    const be = await gateway.create('res.country', { name: 'Belgium', code: 'BE' });
    const vendor = odoo.addPartner('Azure Interior');
    odoo.write('res.partner', vendor, { country_id: be });
    const buyer = odoo.addUser({ login: 'bob', name: 'Bob Buyer', email: 'bob@acme.test' });
    const product = odoo.addProduct('Desk');
    const po = odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: buyer,
      state: 'to approve',
      lines: [{ productId: product, qty: 1, priceUnit: 10 }],
    });
    const from = odoo.calls.length;
    const source = new OdooDocumentSource(gateway);
    const domain: Domain = [['partner_id.country_id.code', '=', 'BE']];

    const first = await source.readForDomains('purchase.order', [po], [domain]);
    await source.readForDomains('purchase.order', [po], [domain]);
    // The gateway's own reads of these models need no other fields_get.
    await gateway.read('res.partner', [vendor], ['name']);

    expect(first.unread).toEqual(new Map());
    expect(first.records.get(po)?.partner_id).toMatchObject({ country_id: { code: 'BE' } });
    const fieldsGets = odoo.calls.slice(from).filter((c) => c.modelMethod === 'fields_get');
    expect(fieldsGets.map((c) => c.model).sort()).toEqual(['purchase.order', 'res.country', 'res.partner']);
    for (const call of fieldsGets) expect(call.kwargs.attributes).toContain('store');
  });
});
