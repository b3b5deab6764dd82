import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announce,
  cardFor,
  click,
  type DocumentScenario,
  finalStatus,
  rejectWithReason,
  startDocumentScenario,
} from '../support/document-scenario.js';
import { cardText, eventually } from '../support/purchase-scenario.js';

const POLICY = `approvals:
  - id: vendor-bills
    type: vendor-bill
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test] }
  - id: quotations
    type: sale-order
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test] }
  - id: expenses
    type: expense
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test] }
  - id: approval-requests
    type: approval-request
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test, max@acme.test] }
`;

const text = (s: DocumentScenario, model: string, id: number) =>
  s.odoo
    .messages(model, id)
    .map((m) => String(m.body))
    .join('\n');

describe('document types on Odoo 17', () => {
  let s: DocumentScenario;
  beforeAll(async () => {
    s = await startDocumentScenario(17, POLICY);
  }, 60_000);
  afterAll(async () => s?.stop());

  const newBill = () =>
    s.odoo.addVendorBill({
      partnerId: s.vendor,
      invoiceUserId: s.users.bob,
      lines: [{ productId: s.product, qty: 2, priceUnit: 250 }],
    });

  it('posts an approved vendor bill and notes who approved it', async () => {
    const bill = newBill();
    expect(await announce(s, 'account.move', bill)).toBe(202);
    const { caseId, card } = await cardFor(s, 'account.move', bill);
    await click(s, s.slackUsers.mia, 'approval.approve', card);
    expect(await finalStatus(s, caseId)).toBe('approved');
    expect(s.odoo.record('account.move', bill)?.state).toBe('posted');
    expect(text(s, 'account.move', bill)).toMatch(/Approved by <b>Mia Manager<\/b>/);
  });

  it('rejects a vendor bill with a note and a to-do for its responsible, leaving it in draft', async () => {
    const bill = newBill();
    await announce(s, 'account.move', bill);
    const { caseId, card } = await cardFor(s, 'account.move', bill);
    await rejectWithReason(s, s.slackUsers.mia, caseId, card, 'Wrong VAT number');
    expect(await finalStatus(s, caseId)).toBe('rejected');
    expect(s.odoo.record('account.move', bill)?.state).toBe('draft');
    expect(text(s, 'account.move', bill)).toMatch(/Rejected by <b>Mia Manager<\/b>.*Reason: Wrong VAT number/s);
    const [todo] = s.odoo.activities('account.move', bill);
    expect(todo?.user_id).toBe(s.users.bob);
    expect(String(todo?.summary)).toMatch(/rejected/i);
    expect(String(todo?.note)).toContain('Wrong VAT number');
  });

  it('confirms an approved quotation; a rejected one gets a to-do for the salesperson', async () => {
    const order = () =>
      s.odoo.addSaleOrder({
        partnerId: s.vendor,
        userId: s.users.bob,
        lines: [{ productId: s.product, qty: 1, priceUnit: 900, discount: 30 }],
      });
    const ok = order();
    await announce(s, 'sale.order', ok);
    const a = await cardFor(s, 'sale.order', ok);
    await click(s, s.slackUsers.mia, 'approval.approve', a.card);
    expect(await finalStatus(s, a.caseId)).toBe('approved');
    expect(s.odoo.record('sale.order', ok)?.state).toBe('sale');

    const no = order();
    await announce(s, 'sale.order', no);
    const b = await cardFor(s, 'sale.order', no);
    await rejectWithReason(s, s.slackUsers.mia, b.caseId, b.card, 'Discount above 20%');
    expect(await finalStatus(s, b.caseId)).toBe('rejected');
    expect(s.odoo.record('sale.order', no)?.state).toBe('draft');
    expect(s.odoo.activities('sale.order', no).map((x) => x.user_id)).toEqual([s.users.bob]);
    expect(text(s, 'sale.order', no)).toContain('Discount above 20%');
  });

  it('approves an expense report and refuses one through the wizard with the reason', async () => {
    const sheet = () => s.odoo.addExpenseSheet({ employeeId: s.employees.bob, lines: [{ name: 'Taxi', amount: 42 }] });
    const ok = sheet();
    await announce(s, 'hr.expense.sheet', ok);
    const a = await cardFor(s, 'hr.expense.sheet', ok);
    await click(s, s.slackUsers.mia, 'approval.approve', a.card);
    expect(await finalStatus(s, a.caseId)).toBe('approved');
    expect(s.odoo.record('hr.expense.sheet', ok)?.state).toBe('approve');

    const no = sheet();
    await announce(s, 'hr.expense.sheet', no);
    const b = await cardFor(s, 'hr.expense.sheet', no);
    await rejectWithReason(s, s.slackUsers.mia, b.caseId, b.card, 'No receipt attached');
    expect(await finalStatus(s, b.caseId)).toBe('rejected');
    expect(s.odoo.record('hr.expense.sheet', no)?.state).toBe('cancel');
    expect(text(s, 'hr.expense.sheet', no)).toMatch(/has been refused.*Reason: No receipt attached/s);
  });

  it('does not let the employee approve their own expense (requester through employee_id.user_id)', async () => {
    const c = s.service.deps.store;
    const sheet = s.odoo.addExpenseSheet({ employeeId: s.employees.bob, lines: [{ name: 'Hotel', amount: 120 }] });
    await announce(s, 'hr.expense.sheet', sheet);
    const { caseId } = await cardFor(s, 'hr.expense.sheet', sheet);
    expect((await c.getCase(caseId))?.requesterIds[0]).toBe(s.users.bob);
  });

  it('approves an approval request only as the approver, with their own linked key', async () => {
    await s.credentials.save(s.users.mia, 'mia', 'mia-own-key');
    const req = s.odoo.addApprovalRequest({ name: 'New laptop', ownerId: s.users.bob, approverIds: [s.users.mia] });
    await announce(s, 'approval.request', req);
    const { caseId, card } = await cardFor(s, 'approval.request', req);
    await click(s, s.slackUsers.mia, 'approval.approve', card);
    expect(await finalStatus(s, caseId)).toBe('approved');
    expect(s.odoo.record('approval.request', req)?.request_status).toBe('approved');
    const calls = s.odoo.calls.filter((x) => x.model === 'approval.request' && x.modelMethod === 'action_approve');
    expect(calls.map((x) => x.uid)).toEqual([s.users.mia]);
    expect(text(s, 'approval.request', req)).toMatch(/Approved by <b>Mia Manager<\/b>/);
  });

  it('refuses to act without a linked key and tells the person to run /odoo link', async () => {
    const req = s.odoo.addApprovalRequest({ name: 'Team offsite', ownerId: s.users.bob, approverIds: [s.users.max] });
    await announce(s, 'approval.request', req);
    const { caseId, card } = await cardFor(s, 'approval.request', req);
    await click(s, s.slackUsers.max, 'approval.approve', card);
    await eventually(() =>
      [...s.slack.ephemerals(s.slackUsers.max), ...s.slack.responses()].some((m) =>
        JSON.stringify(m).includes('/odoo link'),
      ),
    );
    await eventually(() => s.slack.messages().some((m) => m.ts === card.ts && cardText(m).includes('/odoo link')));
    expect((await s.service.deps.store.getCase(caseId))?.status).toBe('open');
    expect(s.odoo.record('approval.request', req)?.request_status).toBe('pending');
    // Only Mia's call from the test before reached Odoo; nothing ran with the bot's key.
    expect(
      s.odoo.calls.filter((x) => x.modelMethod === 'action_approve' && x.model === 'approval.request').length,
    ).toBe(1);
  });

  it('refuses an approval request as the approver when they reject with their key', async () => {
    const req = s.odoo.addApprovalRequest({ name: 'Conference', ownerId: s.users.bob, approverIds: [s.users.mia] });
    await announce(s, 'approval.request', req);
    const { caseId, card } = await cardFor(s, 'approval.request', req);
    await rejectWithReason(s, s.slackUsers.mia, caseId, card, 'Not this year');
    expect(await finalStatus(s, caseId)).toBe('rejected');
    expect(s.odoo.record('approval.request', req)?.request_status).toBe('refused');
    const refuse = s.odoo.calls.filter((x) => x.model === 'approval.request' && x.modelMethod === 'action_refuse');
    expect(refuse.map((x) => x.uid)).toEqual([s.users.mia]);
  });
});

describe.each([16, 19] as const)('expenses on Odoo %i', (version) => {
  let s: DocumentScenario;
  beforeAll(async () => {
    s = await startDocumentScenario(version, POLICY);
  }, 60_000);
  afterAll(async () => s?.stop());

  const model = version >= 19 ? 'hr.expense' : 'hr.expense.sheet';
  const add = () =>
    version >= 19
      ? s.odoo.addExpense({ employeeId: s.employees.bob, name: 'Taxi', amount: 42 })
      : s.odoo.addExpenseSheet({ employeeId: s.employees.bob, lines: [{ name: 'Taxi', amount: 42 }] });

  it('approves with the method of this version', async () => {
    const id = add();
    await announce(s, model, id);
    const { caseId, card } = await cardFor(s, model, id);
    await click(s, s.slackUsers.mia, 'approval.approve', card);
    expect(await finalStatus(s, caseId)).toBe('approved');
    expect(s.odoo.record(model, id)?.state).toBe(version >= 19 ? 'approved' : 'approve');
    const method = version >= 19 ? 'action_approve' : 'approve_expense_sheets';
    expect(s.odoo.calls.some((c) => c.model === model && c.modelMethod === method)).toBe(true);
  });

  it('refuses with the reason in the chatter', async () => {
    const id = add();
    await announce(s, model, id);
    const { caseId, card } = await cardFor(s, model, id);
    await rejectWithReason(s, s.slackUsers.mia, caseId, card, 'Personal ride');
    expect(await finalStatus(s, caseId)).toBe('rejected');
    expect(s.odoo.record(model, id)?.state).toBe(version >= 19 ? 'refused' : 'cancel');
    expect(text(s, model, id)).toMatch(/has been refused.*Reason: Personal ride/s);
    const how = version >= 19 ? 'hr.expense.refuse.wizard' : 'hr.expense.sheet';
    expect(
      s.odoo.calls.some((c) => c.model === how && c.modelMethod === (version >= 19 ? 'action_refuse' : 'refuse_sheet')),
    ).toBe(true);
  });
});
