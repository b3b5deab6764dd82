import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';
import { RecordingLogger } from '../fakes/recording-logger.js';

/** The fake's clock: "today" for `res.currency.rate`. */
const TODAY = '2026-03-02';

/**
 * Totals in the company currency (issue #3) from a real XML-RPC gateway
 * against the fake Odoo: the record's company-currency field, the order's
 * own rate, the rate of the document's date, and today's rate only without
 * a date. The fake seeds EUR as the company currency and USD at 1.1 per EUR
 * since 2020-01-01.
 */
describe('OdooDocumentSource: amounts in the company currency', () => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;
  let log: RecordingLogger;
  let source: OdooDocumentSource;
  let vendor: number;
  let product: number;

  const currency = async (name: string) => (await gateway.search('res.currency', [['name', '=', name]]))[0]!;
  const addRate = async (name: string, day: string, rate: number) =>
    gateway.create('res.currency.rate', { currency_id: await currency(name), name: day, rate, company_id: 1 });
  const via = () => log.at('debug').find((r) => r.msg === 'document total in the company currency')?.fields;

  beforeEach(async () => {
    odoo = await FakeOdooServer.start({ version: 17, db: 'acme', now: () => new Date(`${TODAY}T09:00:00Z`) });
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: 'admin', apiKey: 'admin' });
    log = new RecordingLogger();
    source = new OdooDocumentSource(gateway, log);
    vendor = odoo.addPartner('Azure Interior');
    product = odoo.addProduct('Office Chair');
  });
  afterEach(async () => {
    gateway.close();
    await odoo.stop();
  });

  it("compares a EUR order of a USD company at the order's own rate, not today's", async () => {
    await gateway.callMethod('res.company', 'write', [1], { vals: { currency_id: await currency('USD') } });
    await addRate('USD', TODAY, 1.25);
    const po = odoo.addPurchaseOrder({
      partnerId: vendor,
      userId: odoo.adminUid,
      currency: 'EUR',
      dateOrder: new Date('2025-06-01T10:00:00Z'),
      lines: [{ productId: product, qty: 10, priceUnit: 100 }],
    });
    // Odoo's currency_rate: EUR per USD on 2025-06-01 (1 / 1.1); today it is 1 / 1.25.
    const [row] = await gateway.read('purchase.order', [po], ['currency_rate']);
    expect(row?.currency_rate).toBeCloseTo(1 / 1.1, 9);
    const [eur] = await gateway.read('res.currency', [await currency('EUR')], ['rate']);
    expect(eur?.rate).toBeCloseTo(0.8, 9);

    const doc = await source.load('purchase.order', po, ['user_id']);
    expect(doc?.snapshot).toMatchObject({ amount: 1000, currency: 'EUR' });
    expect(doc?.companyAmount).toBe(1100);
    expect(via()).toMatchObject({ odooModel: 'purchase.order', odooId: po, companyAmount: 1100 });
    expect(String(via()?.via)).toMatch(/^currency_rate /);
  });

  it('uses the sale order’s currency_rate the same way', async () => {
    await addRate('USD', TODAY, 1.25);
    const so = odoo.addSaleOrder({
      partnerId: vendor,
      userId: odoo.adminUid,
      currency: 'USD',
      dateOrder: new Date('2025-06-01T10:00:00Z'),
      lines: [{ productId: product, qty: 1, priceUnit: 1100 }],
    });
    expect((await source.load('sale.order', so, ['user_id']))?.companyAmount).toBe(1000);
  });

  it('takes an invoice’s amount_total_signed as it is', async () => {
    await addRate('USD', TODAY, 1.25);
    const bill = odoo.addVendorBill({
      partnerId: vendor,
      currency: 'USD',
      invoiceDate: '2025-06-01',
      lines: [{ productId: product, qty: 1, priceUnit: 110 }],
    });
    const [row] = await gateway.read('account.move', [bill], ['amount_total_signed']);
    expect(row?.amount_total_signed).toBe(-100);
    const doc = await source.load('account.move', bill, ['invoice_user_id']);
    expect(doc?.snapshot.amount).toBe(110);
    expect(doc?.companyAmount).toBe(100);
    expect(via()).toMatchObject({ via: 'amount_total_signed', companyAmount: 100 });
  });

  it('converts a model without either at the rate in effect on its date', async () => {
    await addRate('USD', '2025-01-01', 1.3);
    await addRate('USD', '2025-09-01', 1.2);
    await addRate('USD', TODAY, 1.25);
    const request = odoo.addApprovalRequest({ name: 'Laptop', ownerId: odoo.adminUid, approverIds: [], amount: 1300 });
    await gateway.callMethod('approval.request', 'write', [request], {
      vals: { currency_id: await currency('USD'), date: '2025-06-01 09:00:00' },
    });
    const doc = await source.load('approval.request', request, ['request_owner_id']);
    expect(doc?.companyAmount).toBe(1000);
    expect(via()).toMatchObject({ via: 'rate of 2025-06-01', companyAmount: 1000 });
  });

  it("falls back to today's rate only when the document has no date", async () => {
    await addRate('USD', '2025-01-01', 1.3);
    await addRate('USD', TODAY, 1.25);
    const request = odoo.addApprovalRequest({ name: 'Desk', ownerId: odoo.adminUid, approverIds: [], amount: 125 });
    await gateway.callMethod('approval.request', 'write', [request], { vals: { currency_id: await currency('USD') } });
    const doc = await source.load('approval.request', request, ['request_owner_id']);
    expect(doc?.companyAmount).toBe(100);
    expect(String(via()?.via)).toMatch(/^today's rate 1\.25/);
  });

  it('uses the earliest rate for a date before any rate, as Odoo does', async () => {
    const request = odoo.addApprovalRequest({ name: 'Chair', ownerId: odoo.adminUid, approverIds: [], amount: 110 });
    await gateway.callMethod('approval.request', 'write', [request], {
      vals: { currency_id: await currency('USD'), date: '2019-05-01 09:00:00' },
    });
    expect((await source.load('approval.request', request, ['request_owner_id']))?.companyAmount).toBe(100);
  });

  it('needs no rate for a document in the company currency', async () => {
    const request = odoo.addApprovalRequest({ name: 'Pens', ownerId: odoo.adminUid, approverIds: [], amount: 42 });
    const before = odoo.calls.length;
    expect((await source.load('approval.request', request, ['request_owner_id']))?.companyAmount).toBe(42);
    expect(odoo.calls.slice(before).some((c) => c.model === 'res.currency.rate')).toBe(false);
  });
});
