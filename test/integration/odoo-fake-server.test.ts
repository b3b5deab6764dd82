/**
 * The fake against the reference's checklist, through the `xmlrpc` package's
 * own client (not our transport), so both sides are not wrong together.
 */

import { afterEach, describe, expect, it } from 'vitest';
import xmlrpc from 'xmlrpc';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';

let odoo: FakeOdooServer | undefined;
afterEach(async () => {
  await odoo?.stop();
  odoo = undefined;
});

type Fault = Error & { faultCode: unknown; faultString: string; res?: { statusCode: number } };

function call(service: 'common' | 'object', method: string, params: unknown[]): Promise<unknown> {
  const client = xmlrpc.createClient(`${odoo?.url}/xmlrpc/2/${service}`);
  return new Promise((resolve, reject) => {
    client.methodCall(method, params, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

async function fault(promise: Promise<unknown>): Promise<Fault> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toHaveProperty('faultCode');
  return err as Fault;
}

const kw = (
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
  uid = 2,
  pw = 'admin',
) => call('object', 'execute_kw', ['odoo', uid, pw, model, method, args, kwargs]);

async function seedOrder(server: FakeOdooServer) {
  return server.addPurchaseOrder({
    partnerId: server.addPartner('Acme'),
    userId: server.adminUid,
    lines: [{ productId: server.addProduct('Chair'), qty: 2, priceUnit: 10.5 }],
    state: 'to approve',
  });
}

describe('FakeOdooServer', () => {
  it('answers version, authenticate (uid or False) and accepts API keys as passwords', async () => {
    odoo = await FakeOdooServer.start({ version: 19 });
    const uid = odoo.addUser({ login: 'svc', name: 'Service', apiKey: 'key-1' });
    expect(await call('common', 'version', [])).toMatchObject({ server_serie: '19.0', protocol_version: 1 });
    expect(await call('common', 'authenticate', ['odoo', 'admin', 'admin', {}])).toBe(2);
    expect(await call('common', 'authenticate', ['odoo', 'svc', 'key-1', {}])).toBe(uid);
    expect(await call('common', 'authenticate', ['odoo', 'admin', 'bad', {}])).toBe(false);
  });

  it('answers Fault 3 for bad credentials and Fault 4 for private methods, with HTTP 200', async () => {
    odoo = await FakeOdooServer.start();
    const denied = await fault(kw('res.users', 'read', [[2]], {}, 2, 'wrong'));
    expect(denied).toMatchObject({ faultCode: 3, faultString: 'Access Denied' });
    expect(denied.res?.statusCode).toBe(200);
    expect(await fault(kw('res.users', 'read', [[2]], {}, 99, 'admin'))).toMatchObject({ faultCode: 3 });
    expect(await fault(kw('res.users', '_compute_share', [[2]]))).toMatchObject({ faultCode: 4 });
  });

  it('applies button_cancel, then answers the None-marshal Fault 1', async () => {
    odoo = await FakeOdooServer.start();
    const id = await seedOrder(odoo);
    const err = await fault(kw('purchase.order', 'button_cancel', [[id]]));
    expect(err.faultCode).toBe(1);
    expect(err.faultString).toMatch(/TypeError: cannot marshal None unless allow_none is enabled\n$/);
    expect(odoo.record('purchase.order', id)?.state).toBe('cancel');
  });

  it('marshals like Odoo: False for empty, [id, name], naive UTC datetimes', async () => {
    odoo = await FakeOdooServer.start({ now: () => new Date('2026-01-02T03:04:05.678Z') });
    const id = await seedOrder(odoo);
    const [row] = (await kw('purchase.order', 'read', [[id]], {
      fields: ['partner_id', 'origin', 'write_date', 'amount_total'],
    })) as Array<Record<string, unknown>>;
    expect(row).toEqual({
      id,
      partner_id: [expect.any(Number), 'Acme'],
      origin: false,
      write_date: '2026-01-02 03:04:05',
      amount_total: 21,
    });
  });

  it('applies Odoo approval rules to button_approve and button_confirm', async () => {
    odoo = await FakeOdooServer.start({ version: 19 });
    const buyer = odoo.addUser({
      login: 'buyer',
      name: 'Buyer',
      password: 'pw',
      groups: ['purchase.group_purchase_user'],
    });
    const big = odoo.addPurchaseOrder({
      partnerId: odoo.addPartner('Acme'),
      userId: buyer,
      lines: [{ productId: odoo.addProduct('Server'), qty: 1, priceUnit: 9000 }],
    });
    expect(await kw('purchase.order', 'button_confirm', [[big]], {}, buyer, 'pw')).toBe(true);
    expect(odoo.record('purchase.order', big)?.state).toBe('to approve');
    expect(await kw('purchase.order', 'button_approve', [[big]], {}, buyer, 'pw')).toEqual({});
    expect(odoo.record('purchase.order', big)?.state).toBe('to approve');
    await kw('purchase.order', 'button_approve', [[big]]);
    expect(odoo.record('purchase.order', big)).toMatchObject({ state: 'purchase', write_uid: 2 });
    expect(odoo.calls.at(-1)).toMatchObject({
      service: 'object',
      model: 'purchase.order',
      modelMethod: 'button_approve',
      uid: 2,
    });
  });

  it('refuses purchase records to users without the purchase group (Fault 4)', async () => {
    odoo = await FakeOdooServer.start();
    odoo.addUser({ login: 'emp', name: 'Employee', password: 'pw' });
    const uid = (await call('common', 'login', ['odoo', 'emp', 'pw'])) as number;
    const err = await fault(kw('purchase.order', 'search', [[]], {}, uid, 'pw'));
    expect(err).toMatchObject({ faultCode: 4 });
    expect(err.faultString).toMatch(/not allowed to access 'Purchase Order'/);
  });

  it('escapes a str chatter body on 17+ unless body_is_html, and refuses body_is_html on 16', async () => {
    odoo = await FakeOdooServer.start({ version: 17 });
    const id = await seedOrder(odoo);
    await kw('purchase.order', 'message_post', [[id]], { body: '<b>x</b>' });
    await kw('purchase.order', 'message_post', [[id]], { body: '<b>y</b>', body_is_html: true });
    expect(odoo.messages('purchase.order', id).map((m) => m.body)).toEqual(['&lt;b&gt;x&lt;/b&gt;', '<b>y</b>']);
    await odoo.stop();
    odoo = await FakeOdooServer.start({ version: 16 });
    const old = await seedOrder(odoo);
    expect(await fault(kw('purchase.order', 'message_post', [[old]], { body: 'z', body_is_html: true }))).toMatchObject(
      { faultCode: 1 },
    );
  });

  it('hides archived records unless the domain mentions active, and honours active_test', async () => {
    odoo = await FakeOdooServer.start();
    const gone = odoo.addUser({ login: 'gone', name: 'Gone', active: false });
    expect(await kw('res.users', 'search', [[['login', '=', 'gone']]])).toEqual([]);
    expect(
      await kw('res.users', 'search', [
        [
          ['login', '=', 'gone'],
          ['active', 'in', [true, false]],
        ],
      ]),
    ).toEqual([gone]);
    expect(await kw('res.users', 'search_count', [[['login', '=', 'gone']]], { context: { active_test: false } })).toBe(
      1,
    );
  });

  it('fails on demand and answers non-POST and unknown paths like a web server', async () => {
    odoo = await FakeOdooServer.start();
    odoo.failNext(1, 'http502');
    const err = (await call('common', 'version', []).catch((e: unknown) => e)) as Fault;
    expect(err.res?.statusCode).toBe(502);
    expect(await call('common', 'version', [])).toMatchObject({ protocol_version: 1 });
    expect((await fetch(`${odoo.url}/xmlrpc/2/common`)).status).toBe(405);
    expect((await fetch(`${odoo.url}/jsonrpc`, { method: 'POST' })).status).toBe(404);
  });
});
