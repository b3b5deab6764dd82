import { afterEach, describe, expect, it } from 'vitest';
import { walkRecords } from '../../src/flows/paged.js';
import type { OdooGateway } from '../../src/flows/ports.js';
import type { Domain } from '../../src/flows/types.js';
import { OdooDocumentSource } from '../../src/odoo/profiles/document-source.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';
import { FakeOdooGateway } from '../fakes/fake-odoo-gateway.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { RecordingLogger } from '../fakes/recording-logger.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A fake Odoo whose clock stands still, so every record written has one `write_date`, as in a mass action. */
async function setup() {
  const odoo = await FakeOdooServer.start({ now: () => new Date('2026-11-25T10:00:00Z') });
  cleanups.push(() => odoo.stop());
  odoo.addUser({
    login: 'bot@example.com',
    name: 'Approval Bot',
    email: 'bot@example.com',
    groups: ['purchase.group_purchase_manager'],
    apiKey: 'k3y',
  });
  const gateway = new XmlRpcOdooGateway({ url: odoo.url, db: odoo.db, username: 'bot@example.com', apiKey: 'k3y' });
  cleanups.push(() => gateway.close());
  return { odoo, gateway };
}

const NAMES = ['Paged A', 'Paged B', 'Paged C'];
const PAGED = [['name', 'in', NAMES]] as Domain;

/** The same paging contract for the XML-RPC adapter (against the fake server) and the in-memory fake. */
const adapters: Array<[string, () => Promise<{ gateway: OdooGateway; addPartner(name: string): number }>]> = [
  [
    'XmlRpcOdooGateway',
    async () => {
      const { odoo, gateway } = await setup();
      return { gateway, addPartner: (name) => odoo.addPartner(name) };
    },
  ],
  [
    'FakeOdooGateway',
    async () => {
      const gateway = new FakeOdooGateway(new FixedClock());
      return { gateway, addPartner: (name) => gateway.put('res.partner', { name }) };
    },
  ],
];

describe.each(adapters)('%s search paging', (_name, make) => {
  it('takes offset, limit and order, ties broken by id, so offset pages cover every record once', async () => {
    const { gateway, addPartner } = await make();
    // Three names for 1,050 partners: long runs of equal sort keys, where only the id keeps pages apart.
    const ids = Array.from({ length: 1050 }, (_, i) => addPartner(NAMES[i % 3]!));

    const all = await gateway.search('res.partner', PAGED, { order: 'name desc' });
    const byName = (name: string) => ids.filter((_, i) => NAMES[i % 3] === name);
    expect(all).toEqual([...byName('Paged C'), ...byName('Paged B'), ...byName('Paged A')]);

    const pages: number[][] = [];
    for (let offset = 0; ; offset += 400) {
      const page = await gateway.search('res.partner', PAGED, { order: 'name desc', offset, limit: 400 });
      pages.push(page);
      if (page.length < 400) break;
    }
    expect(pages.map((p) => p.length)).toEqual([400, 400, 250]);
    expect(pages.flat()).toEqual(all);

    const rows = await gateway.searchRead('res.partner', PAGED, ['name'], { order: 'id asc', offset: 1000, limit: 10 });
    expect(rows.map((r) => r.id)).toEqual(ids.slice(1000, 1010));
    expect(await gateway.search('res.partner', PAGED, { order: 'id asc', offset: 2000 })).toEqual([]);
  });
});

describe('OdooDocumentSource over XML-RPC', () => {
  it('a poller walks all 1,200 orders of one write_date through the document source, 500 at a time', async () => {
    const { odoo, gateway } = await setup();
    const partnerId = odoo.addPartner('Acme Supplies');
    const productId = odoo.addProduct('Desk');
    const buyer = odoo.addUser({ login: 'bea', name: 'Bea Buyer', groups: ['purchase.group_purchase_user'] });
    const order = (state: string) =>
      odoo.addPurchaseOrder({ partnerId, userId: buyer, state, lines: [{ productId, qty: 1, priceUnit: 10 }] });
    const waiting: number[] = [];
    for (let i = 0; i < 1200; i++) {
      waiting.push(order('to approve'));
      if (i % 100 === 0) order('draft');
    }
    const log = new RecordingLogger();
    const seen: number[] = [];

    const walk = await walkRecords(
      { documents: new OdooDocumentSource(gateway), log },
      {
        model: 'purchase.order',
        domain: [['state', '=', 'to approve']],
        since: new Date('2026-11-25T09:59:00Z'),
        afterId: 0,
        what: 'purchase.order records for flow purchase-orders',
      },
      async (rows) => {
        for (const r of rows) {
          expect(r.writeDate).toEqual(new Date('2026-11-25T10:00:00Z'));
          seen.push(r.id);
        }
      },
    );

    expect(walk).toEqual({ read: 1200, afterId: 0, done: true });
    expect(seen).toEqual(waiting);
    expect(log.at('info').map((r) => r.msg)).toEqual([
      'polled 500 purchase.order records for flow purchase-orders so far',
      'polled 1,000 purchase.order records for flow purchase-orders so far',
    ]);
  });
});
