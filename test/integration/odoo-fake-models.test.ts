/**
 * The fake's document models beyond purchase orders (HR, vendor bills, sale
 * orders, activities, currencies), driven over XML-RPC with the `xmlrpc`
 * package's client and through XmlRpcOdooGateway.
 */

import { afterEach, describe, expect, it } from 'vitest';
import xmlrpc from 'xmlrpc';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer, type FakeOdooVersion } from '../../src/sandbox/odoo/fake-odoo-server.js';

let odoo: FakeOdooServer | undefined;
afterEach(async () => {
  await odoo?.stop();
  odoo = undefined;
});

type Fault = Error & { faultCode: number; faultString: string };

function kw(
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
  as: { uid: number; key: string } = { uid: 2, key: 'admin' },
): Promise<unknown> {
  const client = xmlrpc.createClient(`${odoo?.url}/xmlrpc/2/object`);
  const params = ['odoo', as.uid, as.key, model, method, args, kwargs];
  return new Promise((resolve, reject) => {
    client.methodCall('execute_kw', params, (err, value) => (err ? reject(err) : resolve(value)));
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

const NONE = /TypeError: cannot marshal None unless allow_none is enabled\n$/;

async function start(version: FakeOdooVersion = 17) {
  odoo = await FakeOdooServer.start({ version, now: () => new Date('2025-03-14T10:00:00Z') });
  return odoo;
}

function user(server: FakeOdooServer, login: string, groups?: string[]) {
  const uid = server.addUser({ login, name: login[0]?.toUpperCase() + login.slice(1), apiKey: `${login}-key`, groups });
  return { uid, key: `${login}-key` };
}

describe('fake Odoo: employees', () => {
  it('reads the org chart, and serves non-HR users the public fields only', async () => {
    const server = await start(18);
    const boss = user(server, 'boss');
    const clerk = user(server, 'clerk');
    const bossEmp = server.addEmployee({ name: 'Boss', userId: boss.uid, workEmail: 'boss@acme.test' });
    const dept = server.addDepartment({ name: 'Finance', managerEmployeeId: bossEmp });
    const emp = server.addEmployee({ name: 'Clerk', userId: clerk.uid, parentId: bossEmp, departmentId: dept });
    const [row] = (await kw('hr.employee', 'read', [[emp]], {
      fields: ['parent_id', 'department_id', 'user_id', 'expense_manager_id'],
    })) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({
      parent_id: [bossEmp, 'Boss'],
      department_id: [dept, 'Finance'],
      user_id: [clerk.uid, 'Clerk'],
    });
    expect(row?.expense_manager_id).toBe(false);
    const chain = await kw('hr.employee', 'search_read', [[['user_id', '=', clerk.uid]]], {
      fields: ['parent_id'],
    });
    expect(chain).toEqual([{ id: emp, parent_id: [bossEmp, 'Boss'] }]);
    const viaDept = await kw('hr.department', 'search_read', [[['manager_id.user_id', '=', boss.uid]]], {
      fields: ['name'],
    });
    expect(viaDept).toEqual([{ id: dept, name: 'Finance' }]);

    // clerk has no HR rights: private fields are refused, public ones and hr.employee.public are fine.
    const denied = await fault(kw('hr.employee', 'read', [[emp]], { fields: ['private_email'] }, clerk));
    expect(denied).toMatchObject({ faultCode: 4 });
    expect(denied.faultString).toContain('not available on the public employee profile');
    expect(await kw('hr.employee', 'read', [[emp]], { fields: ['parent_id'] }, clerk)).toEqual([
      { id: emp, parent_id: [bossEmp, 'Boss'] },
    ]);
    expect(await kw('hr.employee.public', 'read', [[emp]], { fields: ['parent_id', 'work_email'] }, clerk)).toEqual([
      { id: emp, parent_id: [bossEmp, 'Boss'], work_email: false },
    ]);
    expect((await fault(kw('hr.employee', 'write', [[emp], { name: 'X' }], {}, clerk))).faultCode).toBe(4);
    const fields = (await kw('hr.employee', 'fields_get', [], { attributes: ['type', 'relation'] })) as Record<
      string,
      unknown
    >;
    expect(fields.expense_manager_id).toEqual({ type: 'many2one', relation: 'res.users' });
  });
});

describe('fake Odoo: vendor bills', () => {
  it('computes company-currency amounts from USD and posts with action_post → False', async () => {
    const server = await start(17);
    const partner = server.addPartner('Globex');
    const product = server.addProduct('Paper');
    const bill = server.addVendorBill({
      partnerId: partner,
      lines: [{ productId: product, qty: 10, priceUnit: 11 }],
      currency: 'USD',
      ref: 'INV-42',
      releaseToPay: 'yes',
    });
    const [row] = (await kw('account.move', 'read', [[bill]], {
      fields: [
        'name',
        'state',
        'amount_total',
        'amount_residual',
        'amount_total_signed',
        'amount_total_in_currency_signed',
        'currency_id',
        'release_to_pay',
        'invoice_line_ids',
      ],
    })) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({
      name: '/',
      state: 'draft',
      amount_total: 110,
      amount_residual: 110,
      amount_total_signed: -100,
      amount_total_in_currency_signed: -110,
      currency_id: [2, 'USD'],
      release_to_pay: 'yes',
    });
    const lines = await kw('account.move.line', 'read', [row?.invoice_line_ids], {
      fields: ['product_id', 'price_subtotal'],
    });
    expect(lines).toEqual([{ id: expect.any(Number), product_id: [product, 'Paper'], price_subtotal: 110 }]);
    expect(await kw('account.move', 'action_post', [[bill]])).toBe(false);
    expect(server.record('account.move', bill)).toMatchObject({ state: 'posted', name: 'BILL/2025/00001' });
    const again = await fault(kw('account.move', 'action_post', [[bill]]));
    expect(again).toMatchObject({ faultCode: 2 });
  });

  it('refuses action_post without the caller’s Billing group; cancel and draft answer None', async () => {
    const server = await start(16);
    const clerk = user(server, 'clerk');
    const bill = server.addVendorBill({ partnerId: server.addPartner('Acme'), lines: [{ qty: 1, priceUnit: 5 }] });
    const denied = await fault(kw('account.move', 'action_post', [[bill]], {}, clerk));
    expect(denied).toMatchObject({ faultCode: 4, faultString: "You don't have the access rights to post an invoice." });
    expect(server.record('account.move', bill)?.state).toBe('draft');
    expect((await fault(kw('account.move', 'button_cancel', [[bill]]))).faultString).toMatch(NONE);
    expect(server.record('account.move', bill)?.state).toBe('cancel');
    expect((await fault(kw('account.move', 'button_cancel', [[bill]]))).faultCode).toBe(2);
    expect((await fault(kw('account.move', 'button_draft', [[bill]]))).faultString).toMatch(NONE);
    expect(server.record('account.move', bill)?.state).toBe('draft');
  });

  it('links a bill to its purchase order', async () => {
    const server = await start(18);
    const partnerId = server.addPartner('Acme');
    const po = server.addPurchaseOrder({
      partnerId,
      userId: server.adminUid,
      lines: [{ productId: server.addProduct('Desk'), qty: 1, priceUnit: 300 }],
      state: 'purchase',
    });
    const bill = server.addVendorBill({
      partnerId,
      purchaseOrderId: po,
      lines: [{ qty: 1, priceUnit: 300 }],
      invoiceDate: null,
    });
    const found = await kw('account.move.line', 'search_read', [[['purchase_line_id.order_id', '=', po]]], {
      fields: ['move_id', 'purchase_order_id'],
    });
    expect(found).toEqual([{ id: expect.any(Number), move_id: [bill, '/'], purchase_order_id: [po, 'P00001'] }]);
    expect(server.record('account.move', bill)?.invoice_origin).toBe('P00001');
    const noDate = await fault(kw('account.move', 'action_post', [[bill]]));
    expect(noDate.faultString).toBe('The Bill/Refund date is required to validate this document.');
  });
});

describe('fake Odoo: sale orders', () => {
  it('16: confirms draft orders (True), computes margins, and has the done state', async () => {
    const server = await start(16);
    const sales = user(server, 'sally', ['sales_team.group_sale_salesman']);
    const so = server.addSaleOrder({
      partnerId: server.addPartner('Initech'),
      userId: sales.uid,
      lines: [{ productId: server.addProduct('Widget'), qty: 4, priceUnit: 100, discount: 25, cost: 50 }],
    });
    const [row] = (await kw(
      'sale.order',
      'read',
      [[so]],
      { fields: ['amount_total', 'margin', 'margin_percent'] },
      sales,
    )) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ amount_total: 300, margin: 100 });
    expect(row?.margin_percent).toBeCloseTo(1 / 3);
    expect(await kw('sale.order', 'action_confirm', [[so]], {}, sales)).toBe(true);
    expect(server.record('sale.order', so)).toMatchObject({ state: 'sale', date_order: '2025-03-14 10:00:00' });
    const again = await fault(kw('sale.order', 'action_confirm', [[so]], {}, sales));
    expect(again.faultCode).toBe(2);
    const fields = (await kw('sale.order', 'fields_get', [], { attributes: ['selection'] })) as Record<
      string,
      { selection?: string[][] }
    >;
    expect(fields.state?.selection?.map((s) => s[0])).toEqual(['draft', 'sent', 'sale', 'done', 'cancel']);
    expect(fields).not.toHaveProperty('locked');
    const stranger = user(server, 'stranger');
    expect((await fault(kw('sale.order', 'read', [[so]], {}, stranger))).faultCode).toBe(4);
  });

  it('17: no done state but locked; a line without product blocks confirmation; locked orders cannot be cancelled', async () => {
    const server = await start(17);
    const partnerId = server.addPartner('Initech');
    const noProduct = server.addSaleOrder({
      partnerId,
      userId: 2,
      lines: [{ productId: false, qty: 1, priceUnit: 1 }],
    });
    const err = await fault(kw('sale.order', 'action_confirm', [[noProduct]]));
    expect(err.faultString).toContain('missing a product');
    expect(server.record('sale.order', noProduct)?.state).toBe('draft');
    const locked = server.addSaleOrder({ partnerId, userId: 2, lines: [], state: 'sale', locked: true });
    expect((await fault(kw('sale.order', 'action_cancel', [[locked]]))).faultCode).toBe(2);
    const fields = (await kw('sale.order', 'fields_get', [], { attributes: ['selection', 'type'] })) as Record<
      string,
      { selection?: string[][]; type: string }
    >;
    expect(fields.state?.selection?.map((s) => s[0])).toEqual(['draft', 'sent', 'sale', 'cancel']);
    expect(fields.locked?.type).toBe('boolean');
    expect(await kw('sale.order', 'action_cancel', [[noProduct]])).toBe(true);
  });
});

describe('fake Odoo: activities and currencies', () => {
  it('creates an activity on a bill, then action_feedback posts to chatter, deletes it and returns the message id', async () => {
    const server = await start(19);
    const buyer = user(server, 'buyer', ['purchase.group_purchase_user']);
    const bill = server.addVendorBill({ partnerId: server.addPartner('Acme'), lines: [{ qty: 1, priceUnit: 5 }] });
    const [model] = (await kw('ir.model', 'search_read', [[['model', '=', 'account.move']]], {
      fields: ['id'],
    })) as Array<{ id: number }>;
    const [todo] = (await kw(
      'ir.model.data',
      'search_read',
      [
        [
          ['module', '=', 'mail'],
          ['name', '=', 'mail_activity_data_todo'],
        ],
      ],
      { fields: ['res_id'] },
    )) as Array<{ res_id: number }>;
    const id = (await kw('mail.activity', 'create', [
      {
        res_model_id: model?.id,
        res_id: bill,
        activity_type_id: todo?.res_id,
        user_id: buyer.uid,
        summary: 'Bill rejected',
        note: '<p>Wrong price</p>',
        date_deadline: '2025-03-17',
      },
    ])) as number;
    expect(server.activities('account.move', bill)).toMatchObject([
      { id, res_model: 'account.move', user_id: buyer.uid, state: 'planned' },
    ]);
    const [row] = (await kw('mail.activity', 'read', [[id]], {
      fields: ['res_model', 'activity_type_id', 'res_name'],
    })) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ res_model: 'account.move', activity_type_id: [todo?.res_id, 'To-Do'], res_name: '/' });
    const messageId = await kw('mail.activity', 'action_feedback', [[id]], { feedback: 'Fixed <b>it</b>' }, buyer);
    expect(server.activities('account.move', bill)).toEqual([]);
    const [message] = server.messages('account.move', bill);
    expect(message).toMatchObject({ id: messageId, mail_activity_type_id: todo?.res_id });
    expect(String(message?.body)).toContain('Fixed &lt;b&gt;it&lt;/b&gt;');
    const missing = await fault(kw('mail.activity', 'create', [{ res_model: 'account.move', res_id: 999 }]));
    expect(missing.faultCode).toBe(2);
  });

  it('knows the company currency and USD’s rate', async () => {
    await start(17);
    expect(await kw('res.company', 'read', [[1]], { fields: ['currency_id'] })).toEqual([
      { id: 1, currency_id: [1, 'EUR'] },
    ]);
    expect(await kw('res.currency', 'search_read', [[['name', '=', 'USD']]], { fields: ['rate'] })).toEqual([
      { id: 2, rate: 1.1 },
    ]);
  });

  it('works through XmlRpcOdooGateway: None is success, False comes back as false', async () => {
    const server = await start(18);
    const gateway = new XmlRpcOdooGateway({ url: server.url, db: 'odoo', username: 'admin', apiKey: 'admin' });
    try {
      const bill = server.addVendorBill({ partnerId: server.addPartner('Acme'), lines: [{ qty: 2, priceUnit: 5 }] });
      expect(await gateway.callMethod('account.move', 'action_post', [bill])).toBe(false);
      expect(await gateway.callMethod('account.move', 'button_cancel', [bill])).toBeNull();
      const [row] = await gateway.read('account.move', [bill], ['state', 'amount_total']);
      expect(row).toMatchObject({ state: 'cancel', amount_total: 10 });
    } finally {
      gateway.close();
    }
  });
});
