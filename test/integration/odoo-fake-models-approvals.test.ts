/**
 * The fake's expense and Enterprise Approvals models: who may approve,
 * per-version methods and states, refuse wizards, and approval.request acting
 * only for the calling user.
 */

import { afterEach, describe, expect, it } from 'vitest';
import xmlrpc from 'xmlrpc';
import { FakeOdooServer, type FakeOdooVersion } from '../../src/sandbox/odoo/fake-odoo-server.js';

let odoo: FakeOdooServer | undefined;
afterEach(async () => {
  await odoo?.stop();
  odoo = undefined;
});

type Fault = Error & { faultCode: number; faultString: string };
type As = { uid: number; key: string };

function kw(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>, as: As): Promise<unknown> {
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

const NONE = /cannot marshal None unless allow_none is enabled\n$/;

/** An employee (with user), their manager (team approver) and an unrelated team approver. */
async function org(version: FakeOdooVersion) {
  const server = await FakeOdooServer.start({ version });
  odoo = server;
  const add = (login: string, groups: string[]): As => ({
    uid: server.addUser({ login, name: login, apiKey: `${login}-key`, groups }),
    key: `${login}-key`,
  });
  const emma = add('emma', ['base.group_user']);
  const mark = add('mark', ['hr_expense.group_hr_expense_team_approver']);
  const other = add('otto', ['hr_expense.group_hr_expense_team_approver']);
  const plain = add('pia', ['base.group_user']);
  const markEmp = server.addEmployee({ name: 'Mark', userId: mark.uid });
  const emmaEmp = server.addEmployee({ name: 'Emma', userId: emma.uid, parentId: markEmp });
  return { server, emma, mark, other, plain, emmaEmp, markEmp };
}

describe('fake Odoo: expenses', () => {
  it('16: approve_expense_sheets by the manager; own, foreign and non-approver callers get UserErrors', async () => {
    const { server, emma, mark, other, plain, emmaEmp } = await org(16);
    const sheet = server.addExpenseSheet({ employeeId: emmaEmp, lines: [{ name: 'Taxi', amount: 42 }] });
    expect(await kw('hr.expense.sheet', 'read', [[sheet]], { fields: ['state', 'total_amount'] }, mark)).toEqual([
      { id: sheet, state: 'submit', total_amount: 42 },
    ]);
    expect(await fault(kw('hr.expense.sheet', 'approve_expense_sheets', [[sheet]], {}, plain))).toMatchObject({
      faultCode: 2,
      faultString: 'Only Managers and HR Officers can approve expenses',
    });
    expect((await fault(kw('hr.expense.sheet', 'approve_expense_sheets', [[sheet]], {}, other))).faultString).toBe(
      'You can only approve your department expenses',
    );
    const methods = await fault(kw('hr.expense.sheet', 'action_approve_expense_sheets', [[sheet]], {}, mark));
    expect(methods.faultCode).toBe(1);
    expect((await fault(kw('hr.expense.sheet', 'approve_expense_sheets', [[sheet]], {}, mark))).faultString).toMatch(
      NONE,
    );
    expect(server.record('hr.expense.sheet', sheet)).toMatchObject({ state: 'approve', user_id: mark.uid });
    const own = server.addExpenseSheet({ employeeId: server.addEmployee({ name: 'M', userId: mark.uid }), lines: [] });
    expect((await fault(kw('hr.expense.sheet', 'approve_expense_sheets', [[own]], {}, mark))).faultString).toBe(
      'You cannot approve your own expenses',
    );
    void emma;
  });

  it('16: refuse_sheet(reason) sets cancel and posts the reason', async () => {
    const { server, mark, emmaEmp } = await org(16);
    const sheet = server.addExpenseSheet({ employeeId: emmaEmp, lines: [{ name: 'Hotel', amount: 120 }] });
    expect(
      (await fault(kw('hr.expense.sheet', 'refuse_sheet', [[sheet], 'No receipt'], {}, mark))).faultString,
    ).toMatch(NONE);
    expect(server.record('hr.expense.sheet', sheet)?.state).toBe('cancel');
    expect(String(server.messages('hr.expense.sheet', sheet)[0]?.body)).toContain('No receipt');
  });

  it('17: state follows approval_state; refusal goes through the wizard (sheet_ids)', async () => {
    const { server, mark, emma, emmaEmp } = await org(17);
    const sheet = server.addExpenseSheet({ employeeId: emmaEmp, lines: [{ name: 'Taxi', amount: 10 }] });
    const own = await fault(kw('hr.expense.sheet', 'action_approve_expense_sheets', [[sheet]], {}, emma));
    expect(own.faultCode).toBe(2);
    expect(own.faultString).toContain('Your are not a Manager or HR Officer');
    const action = await kw('hr.expense.sheet', 'action_refuse_expense_sheets', [[sheet]], {}, mark);
    expect(action).toMatchObject({ type: 'ir.actions.act_window', res_model: 'hr.expense.refuse.wizard' });
    expect(server.record('hr.expense.sheet', sheet)?.state).toBe('submit');
    const wizard = await kw(
      'hr.expense.refuse.wizard',
      'create',
      [{ reason: 'Duplicate', sheet_ids: [[6, 0, [sheet]]] }],
      {},
      mark,
    );
    expect(await kw('hr.expense.refuse.wizard', 'action_refuse', [[wizard]], {}, mark)).toEqual({
      type: 'ir.actions.act_window_close',
    });
    expect(server.record('hr.expense.sheet', sheet)).toMatchObject({ approval_state: 'cancel', state: 'cancel' });
    expect(String(server.messages('hr.expense.sheet', sheet)[0]?.body)).toContain('Duplicate');

    const second = server.addExpenseSheet({ employeeId: emmaEmp, lines: [{ name: 'Lunch', amount: 15 }] });
    expect(
      (await fault(kw('hr.expense.sheet', 'action_approve_expense_sheets', [[second]], {}, mark))).faultString,
    ).toMatch(NONE);
    expect(server.record('hr.expense.sheet', second)).toMatchObject({ approval_state: 'approve', state: 'approve' });
    const lines = await kw('hr.expense', 'search_read', [[['sheet_id', '=', second]]], { fields: ['state'] }, mark);
    expect(lines).toEqual([{ id: expect.any(Number), state: 'approved' }]);
    const fields = (await kw('hr.expense.sheet', 'fields_get', [], { attributes: ['type'] }, mark)) as Record<
      string,
      unknown
    >;
    expect(fields).toHaveProperty('approval_state');
  });

  it('19: no sheets; hr.expense action_approve / action_refuse wizard (expense_ids)', async () => {
    const { server, mark, other, emmaEmp } = await org(19);
    expect(() => server.addExpenseSheet({ employeeId: emmaEmp, lines: [] })).toThrow(/no expense reports/);
    expect((await fault(kw('hr.expense.sheet', 'search', [[]], {}, mark))).faultCode).toBe(2);
    const exp = server.addExpense({ name: 'Train', amount: 80, employeeId: emmaEmp });
    expect(await kw('hr.expense', 'read', [[exp]], { fields: ['state', 'manager_id'] }, mark)).toEqual([
      { id: exp, state: 'submitted', manager_id: [mark.uid, 'mark'] },
    ]);
    expect((await fault(kw('hr.expense', 'action_approve', [[exp]], {}, other))).faultString).toContain(
      'It is not from your department',
    );
    expect((await fault(kw('hr.expense', 'action_approve', [[exp]], {}, mark))).faultString).toMatch(NONE);
    expect(server.record('hr.expense', exp)?.state).toBe('approved');

    const exp2 = server.addExpense({ name: 'Dinner', amount: 300, employeeId: emmaEmp });
    expect(await kw('hr.expense', 'action_refuse', [[exp2]], {}, mark)).toMatchObject({
      res_model: 'hr.expense.refuse.wizard',
      context: { default_expense_ids: [exp2] },
    });
    const wizard = await kw(
      'hr.expense.refuse.wizard',
      'create',
      [{ reason: 'Too much', expense_ids: [[6, 0, [exp2]]] }],
      {},
      mark,
    );
    await kw('hr.expense.refuse.wizard', 'action_refuse', [[wizard]], {}, mark);
    expect(server.record('hr.expense', exp2)?.state).toBe('refused');
    expect(String(server.messages('hr.expense', exp2)[0]?.body)).toContain('Too much');
  });
});

describe('fake Odoo: approval.request', () => {
  async function approvals() {
    const server = await FakeOdooServer.start({ version: 17 });
    odoo = server;
    const add = (login: string): As => ({
      uid: server.addUser({ login, name: login, apiKey: `${login}-key`, groups: ['approvals.group_approval_user'] }),
      key: `${login}-key`,
    });
    return { server, owner: add('olga'), ann: add('ann'), ben: add('ben'), eve: add('eve') };
  }

  it('approves only the calling user’s line; a non-approver changes nothing; status follows the minimum', async () => {
    const { server, owner, ann, ben, eve } = await approvals();
    const req = server.addApprovalRequest({
      name: 'Laptop',
      ownerId: owner.uid,
      approverIds: [ann.uid, ben.uid],
      amount: 1500,
      minimum: 2,
    });
    const read = (as: As) => kw('approval.request', 'read', [[req]], { fields: ['request_status', 'user_status'] }, as);
    expect(await read(ann)).toEqual([{ id: req, request_status: 'pending', user_status: 'pending' }]);
    expect((await fault(kw('approval.request', 'action_approve', [[req]], {}, eve))).faultString).toMatch(NONE);
    expect(await read(eve)).toEqual([{ id: req, request_status: 'pending', user_status: false }]);
    // An `approver` id sent over RPC is not a recordset: Odoo still uses the caller.
    await fault(kw('approval.request', 'action_approve', [[req]], { approver: 2 }, ann));
    expect(await read(ann)).toEqual([{ id: req, request_status: 'pending', user_status: 'approved' }]);
    expect(await read(ben)).toEqual([{ id: req, request_status: 'pending', user_status: 'pending' }]);
    await fault(kw('approval.request', 'action_approve', [[req]], {}, ben));
    expect(server.record('approval.request', req)?.request_status).toBe('approved');
    await fault(kw('approval.request', 'action_withdraw', [[req]], {}, ben));
    expect(server.record('approval.request', req)?.request_status).toBe('pending');
    await fault(kw('approval.request', 'action_refuse', [[req]], {}, ben));
    expect(server.record('approval.request', req)?.request_status).toBe('refused');
  });

  it('confirms a new request (approvers pending), cancels, and needs the Approvals group', async () => {
    const { server, owner, ann } = await approvals();
    const req = server.addApprovalRequest({
      name: 'Trip',
      ownerId: owner.uid,
      approverIds: [ann.uid],
      submitted: false,
    });
    expect(server.record('approval.request', req)?.request_status).toBe('new');
    await fault(kw('approval.request', 'action_confirm', [[req]], {}, owner));
    expect(server.record('approval.request', req)?.request_status).toBe('pending');
    const tooFew = server.addApprovalRequest({
      name: 'Car',
      ownerId: owner.uid,
      approverIds: [ann.uid],
      minimum: 2,
      submitted: false,
    });
    expect((await fault(kw('approval.request', 'action_confirm', [[tooFew]], {}, owner))).faultString).toBe(
      'You have to add at least 2 approvers to confirm your request.',
    );
    await fault(kw('approval.request', 'action_cancel', [[req]], {}, owner));
    expect(server.record('approval.request', req)?.request_status).toBe('cancel');
    const outsider = { uid: server.addUser({ login: 'x', name: 'X', apiKey: 'x-key' }), key: 'x-key' };
    expect((await fault(kw('approval.request', 'read', [[req]], {}, outsider))).faultCode).toBe(4);
  });
});
