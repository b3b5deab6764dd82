import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { toOdooDatetime } from '../../src/odoo/odoo-datetime.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer, type FakeOdooServerOptions } from '../../src/sandbox/odoo/fake-odoo-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const fixedNow = new Date('2026-11-25T10:00:00Z');

async function setup(options: FakeOdooServerOptions & { role?: 'manager' | 'user' } = {}) {
  const odoo = await FakeOdooServer.start({ now: () => fixedNow, ...options });
  cleanups.push(() => odoo.stop());
  const groups = options.role === 'user' ? ['purchase.group_purchase_user'] : ['purchase.group_purchase_manager'];
  const botUid = odoo.addUser({
    login: 'bot@example.com',
    name: 'Approval Bot',
    email: 'bot@example.com',
    groups,
    apiKey: 'k3y',
  });
  const gateway = gatewayFor(odoo, 'bot@example.com', 'k3y');
  return { odoo, gateway, botUid };
}

function gatewayFor(odoo: FakeOdooServer, username: string, apiKey: string, timeoutMs?: number) {
  const gateway = new XmlRpcOdooGateway({ url: odoo.url, db: odoo.db, username, apiKey, timeoutMs });
  cleanups.push(() => gateway.close());
  return gateway;
}

function anOrder(odoo: FakeOdooServer, overrides: Partial<Parameters<FakeOdooServer['addPurchaseOrder']>[0]> = {}) {
  const buyer = odoo.addUser({
    login: `buyer${Math.random()}`,
    name: 'Bea Buyer',
    groups: ['purchase.group_purchase_user'],
  });
  return odoo.addPurchaseOrder({
    partnerId: odoo.addPartner('Acme Supplies'),
    userId: buyer,
    lines: [{ productId: odoo.addProduct('Desk'), qty: 3, priceUnit: 2500 }],
    state: 'to approve',
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('XmlRpcOdooGateway against FakeOdooServer', () => {
  it('authenticates once and reports the server version', async () => {
    const { odoo, gateway, botUid } = await setup({ version: 18 });
    expect(await gateway.authenticate()).toBe(botUid);
    await gateway.authenticate();
    expect(await gateway.version()).toEqual({ serie: '18.0', major: 18, minor: 0 });
    expect(odoo.calls.filter((c) => c.method === 'authenticate')).toHaveLength(1);
  });

  it('normalises many2one, empty values, datetimes, dates and x2many', async () => {
    const { odoo, gateway } = await setup();
    const id = anOrder(odoo);
    const [order] = await gateway.read(
      'purchase.order',
      [id],
      ['name', 'partner_id', 'origin', 'amount_total', 'write_date', 'date_approve', 'order_line', 'state'],
    );
    expect(order).toEqual({
      id,
      name: 'P00001',
      partner_id: { id: expect.any(Number), name: 'Acme Supplies' },
      origin: null,
      amount_total: 7500,
      write_date: '2026-11-25T10:00:00Z',
      date_approve: null,
      order_line: [expect.any(Number)],
      state: 'to approve',
    });
    const [user] = await gateway.read('res.users', [odoo.adminUid], ['active', 'share']);
    expect(user).toEqual({ id: odoo.adminUid, active: true, share: false });
    expect(await gateway.read('purchase.order', [], ['name'])).toEqual([]);
  });

  it('searches with Odoo domains, order and limit, and takes Odoo-format datetimes', async () => {
    const { odoo, gateway } = await setup();
    const a = anOrder(odoo);
    const b = anOrder(odoo, { state: 'draft' });
    const c = anOrder(odoo);
    const since = toOdooDatetime('2026-11-25T09:59:00Z');
    expect(
      await gateway.search(
        'purchase.order',
        [
          ['state', '=', 'to approve'],
          ['write_date', '>=', since],
        ],
        { order: 'id asc' },
      ),
    ).toEqual([a, c]);
    const rows = await gateway.searchRead(
      'purchase.order',
      ['|', ['id', '=', b], ['partner_id.name', 'ilike', 'acme']],
      ['name'],
      {
        order: 'id desc',
        limit: 2,
      },
    );
    expect(rows.map((r) => r.id)).toEqual([c, b]);
    expect(await gateway.search('purchase.order', [], { order: undefined, limit: undefined })).toEqual([c, b, a]);
  });

  it('caches fields per model', async () => {
    const { odoo, gateway } = await setup({ version: 19 });
    const fields = await gateway.fields('purchase.order.line');
    expect(fields.product_uom_id).toEqual({
      type: 'many2one',
      string: 'Unit of Measure',
      relation: 'uom.uom',
      store: true,
    });
    await gateway.fields('purchase.order.line');
    expect(odoo.calls.filter((c) => c.modelMethod === 'fields_get')).toHaveLength(1);
  });

  it('treats the "cannot marshal None" fault as success (button_cancel)', async () => {
    const { odoo, gateway } = await setup();
    const id = anOrder(odoo);
    expect(await gateway.callMethod('purchase.order', 'button_cancel', [id])).toBeNull();
    expect(odoo.record('purchase.order', id)?.state).toBe('cancel');
  });

  it('button_approve does nothing for a service account that is not a purchase manager', async () => {
    const { odoo, gateway } = await setup({ role: 'user' });
    const id = anOrder(odoo);
    expect(await gateway.callMethod('purchase.order', 'button_approve', [id])).toEqual({});
    expect(odoo.record('purchase.order', id)?.state).toBe('to approve');

    const manager = await setup();
    const other = anOrder(manager.odoo);
    await manager.gateway.callMethod('purchase.order', 'button_approve', [other]);
    expect(manager.odoo.record('purchase.order', other)).toMatchObject({
      state: 'purchase',
      date_approve: '2026-11-25 10:00:00',
    });
  });

  it('posts an internal note as HTML on 17+ and 16', async () => {
    for (const version of [16, 17] as const) {
      const { odoo, gateway } = await setup({ version });
      const id = anOrder(odoo);
      const messageId = await gateway.postNote('purchase.order', id, '<p>Approved by <b>Ann</b></p>');
      expect(messageId).toEqual(expect.any(Number));
      expect(odoo.messages('purchase.order', id)).toEqual([
        expect.objectContaining({
          body: '<p>Approved by <b>Ann</b></p>',
          message_type: 'comment',
          subtype_id: odoo.ref('mail.mt_note'),
        }),
      ]);
    }
  });

  it.each([17, 19] as const)(
    'lists active internal members of a group on %i, implied groups included',
    async (version) => {
      const { odoo, gateway, botUid } = await setup({ version });
      const ann = odoo.addUser({
        login: 'ann',
        name: 'Ann',
        email: 'ann@example.com',
        groups: ['purchase.group_purchase_manager'],
        tz: 'Europe/Paris',
      });
      odoo.addUser({ login: 'old', name: 'Old', groups: ['purchase.group_purchase_manager'], active: false });
      odoo.addUser({ login: 'bob', name: 'Bob', groups: ['purchase.group_purchase_user'] });
      const managers = await gateway.groupMembers('purchase.group_purchase_manager');
      expect(managers.map((u) => u.id)).toEqual([odoo.adminUid, botUid, ann]);
      expect(managers.find((u) => u.id === ann)).toEqual({
        id: ann,
        name: 'Ann',
        login: 'ann',
        email: 'ann@example.com',
        active: true,
        share: false,
        tz: 'Europe/Paris',
      });
      const users = await gateway.groupMembers('purchase.group_purchase_user');
      expect(users.map((u) => u.login)).toContain('ann');
      expect(
        odoo.calls.some((c) => JSON.stringify(c.args).includes(version >= 19 ? 'all_group_ids' : 'groups_id')),
      ).toBe(true);
      expect((await rejection(gateway.groupMembers('purchase.no_such_group'))).code).toBe('odoo.unknown_group');
    },
  );

  it('finds a user by email or login, case-insensitively and literally', async () => {
    const { odoo, gateway } = await setup();
    const ann = odoo.addUser({ login: 'ann', name: 'Ann', email: 'Ann_Lee@Example.com' });
    const carl = odoo.addUser({ login: 'carl@example.com', name: 'Carl', email: false as unknown as null });
    odoo.addUser({ login: 'portal', name: 'Portal', email: 'p@example.com', share: true });
    odoo.addUser({ login: 'twin1', name: 'Twin', email: 'twin@example.com' });
    odoo.addUser({ login: 'twin2', name: 'Twin', email: 'twin@example.com' });
    expect((await gateway.findUserByEmail('ann_lee@example.com'))?.id).toBe(ann);
    expect(await gateway.findUserByEmail('annxlee@example.com')).toBeNull();
    expect((await gateway.findUserByEmail('CARL@example.com'))?.id).toBe(carl);
    expect(await gateway.findUserByEmail('p@example.com')).toBeNull();
    expect(await gateway.findUserByEmail('twin@example.com')).toBeNull();
    expect((await gateway.users([ann]))[0]).toMatchObject({ id: ann, email: 'Ann_Lee@Example.com', tz: null });
  });

  it('maps each kind of fault', async () => {
    const { odoo, gateway } = await setup({ role: 'user' });
    const id = anOrder(odoo);

    const denied = await rejection(gatewayFor(odoo, 'bot@example.com', 'wrong').authenticate());
    expect(denied).toMatchObject({ code: 'odoo.access_denied', kind: 'forbidden' });
    expect(denied.message).toMatch(/ODOO_API_KEY/);

    const privateCall = await rejection(gateway.callMethod('purchase.order', '_approval_allowed', [id]));
    expect(privateCall).toMatchObject({ code: 'odoo.access_error', kind: 'forbidden' });
    expect(privateCall.message).toMatch(/Private methods/);

    const missing = await rejection(gateway.callMethod('purchase.order', 'write', [999], { vals: { origin: 'x' } }));
    expect(missing).toMatchObject({ code: 'odoo.missing', kind: 'not_found' });

    const noModel = await rejection(gateway.read('purchase.nothing', [1], ['name']));
    expect(noModel).toMatchObject({
      code: 'odoo.user_error',
      kind: 'user',
      message: "Object purchase.nothing doesn't exist",
    });

    const badField = await rejection(gateway.read('purchase.order', [id], ['no_such_field']));
    expect(badField).toMatchObject({ code: 'odoo.fault', kind: 'internal' });
    expect(badField.message).toMatch(/ValueError: Invalid field 'no_such_field'/);
    expect(badField.details.traceback).toMatch(/^Traceback/);

    const wrongDb = await rejection(
      new XmlRpcOdooGateway({ url: odoo.url, db: 'nope', username: 'bot@example.com', apiKey: 'k3y' }).authenticate(),
    );
    expect(wrongDb).toMatchObject({ code: 'odoo.unknown_database', kind: 'internal' });
  });

  it('maps Odoo being down to transient errors and recovers', async () => {
    const { odoo, gateway } = await setup();
    const id = anOrder(odoo);
    await gateway.authenticate();
    const read = () => gateway.read('purchase.order', [id], ['state']);

    odoo.failNext(1, 'unreachable');
    expect(await rejection(read())).toMatchObject({ code: 'odoo.unreachable', kind: 'transient' });
    odoo.failNext(1, 'http502');
    const proxy = await rejection(read());
    expect(proxy).toMatchObject({ code: 'odoo.unreachable', kind: 'transient', details: { statusCode: 502 } });
    odoo.failNext(1, 'server_error');
    expect(await rejection(read())).toMatchObject({ code: 'odoo.server_error', kind: 'transient' });
    expect((await read())[0]?.state).toBe('to approve');

    const slow = gatewayFor(odoo, 'bot@example.com', 'k3y', 200);
    odoo.failNext(1, 'delay', 1000);
    const timedOut = await rejection(slow.authenticate());
    expect(timedOut).toMatchObject({ code: 'odoo.unreachable', kind: 'transient' });
    expect(timedOut.message).toMatch(/within 200 ms/);
    expect(await slow.authenticate()).toEqual(expect.any(Number));
  });

  it('reports a server that is not there, and a wrong URL', async () => {
    const { odoo } = await setup();
    const url = odoo.url;
    const wrongPath = new XmlRpcOdooGateway({ url: `${url}/web`, db: odoo.db, username: 'x', apiKey: 'y' });
    cleanups.push(() => wrongPath.close());
    expect(await rejection(wrongPath.version())).toMatchObject({ code: 'odoo.bad_endpoint', kind: 'internal' });
    await odoo.stop();
    const gone = new XmlRpcOdooGateway({ url, db: 'odoo', username: 'x', apiKey: 'y' });
    cleanups.push(() => gone.close());
    const err = await rejection(gone.version());
    expect(err).toMatchObject({ code: 'odoo.unreachable', kind: 'transient' });
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('re-authenticates after the key stops working', async () => {
    const { odoo, gateway, botUid } = await setup();
    await gateway.authenticate();
    odoo.write('res.users', botUid, { active: false });
    expect(await rejection(gateway.users([botUid]))).toMatchObject({ code: 'odoo.access_denied' });
    odoo.write('res.users', botUid, { active: true });
    expect(await gateway.users([botUid])).toHaveLength(1);
    expect(odoo.calls.filter((c) => c.method === 'authenticate')).toHaveLength(2);
  });

  it('builds record URLs', async () => {
    const gateway = new XmlRpcOdooGateway({ url: 'https://erp.example.com/', db: 'd', username: 'u', apiKey: 'k' });
    expect(gateway.recordUrl('purchase.order', 7)).toBe(
      'https://erp.example.com/web#id=7&model=purchase.order&view_type=form',
    );
    gateway.close();
  });
});
