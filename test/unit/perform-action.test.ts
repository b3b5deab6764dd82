import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { deadlineDate, EXPIRY_REASON, performAction, substituteReason } from '../../src/flows/perform-action.js';
import type { ApprovalFlow } from '../../src/flows/policy.js';
import type { OdooGateway } from '../../src/flows/ports.js';
import type { Case } from '../../src/flows/types.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE, PURCHASE } from '../fakes/builders.js';
import { FakeOdooGateway } from '../fakes/fake-odoo-gateway.js';

const WIZARD = 'hr.expense.refuse.wizard';

async function world(flow: Partial<ApprovalFlow>): Promise<{ w: TestWorld; c: Case }> {
  const w = buildDeps({ flow, now: '2026-11-25T22:30:00Z' });
  const c = await w.openCaseFor(w.addOrder());
  return { w, c };
}

const decision = (reason: string | null, odooUserId: number | null = PEOPLE.admin.odoo.id) => ({
  reason,
  odooUserId,
  odooUserName: 'Mitchell Admin',
  actor: { platform: 'slack' as const, userId: 'U-ADMIN', displayName: 'Mitchell Admin' },
});

describe('performAction', () => {
  it('calls the method with {{reason}} replaced in its kwargs', async () => {
    const { w, c } = await world({ reject: { method: 'button_cancel', kwargs: { reason: 'Refused: {{reason}}' } } });
    const r = await performAction(w.deps, w.flow, c, decision('too expensive'), 'reject');
    expect(r.kind).toBe('method');
    expect(w.odoo.methodCalls.at(-1)).toEqual({
      model: PURCHASE,
      method: 'button_cancel',
      ids: [c.odooId],
      kwargs: { reason: 'Refused: too expensive' },
    });
  });

  it('creates the wizard linked to the document and runs its method; closing the dialog is success', async () => {
    const { w, c } = await world({
      reject: {
        wizard: { model: WIZARD, method: 'action_refuse', values: { reason: '{{reason}}' }, link: 'sheet_ids' },
      },
    });
    w.odoo.onMethod(WIZARD, 'action_refuse', () => ({ type: 'ir.actions.act_window_close' }));
    const r = await performAction(w.deps, w.flow, c, decision('no receipt'), 'reject');
    expect(r.kind).toBe('wizard');
    expect(w.odoo.created).toEqual([
      { model: WIZARD, id: expect.any(Number), values: { reason: 'no receipt', sheet_ids: [[6, 0, [c.odooId]]] } },
    ]);
    expect(w.odoo.methodCalls.at(-1)).toMatchObject({
      model: WIZARD,
      method: 'action_refuse',
      ids: [w.odoo.created[0]!.id],
    });
  });

  it('for a note, changes nothing but schedules a to-do for the requester, due in calendar days', async () => {
    const { w, c } = await world({
      reject: { note: true, activity: { to: 'requester', summary: 'Rejected: please review', days: 2 } },
    });
    const r = await performAction(w.deps, w.flow, c, decision('wrong VAT'), 'reject');
    expect(r).toMatchObject({ kind: 'note', activity: { userId: PEOPLE.marc.odoo.id } });
    expect(w.odoo.methodCalls).toEqual([]);
    const [todo] = w.odoo.activities;
    expect(todo).toMatchObject({
      model: PURCHASE,
      resId: c.odooId,
      userId: PEOPLE.marc.odoo.id,
      deadline: '2026-11-27',
    });
    expect(todo?.note).toContain('wrong VAT');
    expect(todo?.note).toContain('Mitchell Admin');
  });

  it('gives the to-do to the user in the named field, or to the requester when that field is empty', async () => {
    const { w, c } = await world({
      reject: { note: true, activity: { to: 'invoice_user_id', summary: 'Rejected', days: 0 } },
    });
    w.odoo.write(PURCHASE, c.odooId, { invoice_user_id: { id: PEOPLE.bob.odoo.id, name: PEOPLE.bob.odoo.name } });
    await performAction(w.deps, w.flow, c, decision('x'), 'reject');
    w.odoo.write(PURCHASE, c.odooId, { invoice_user_id: null });
    await performAction(w.deps, w.flow, c, decision('x'), 'reject');
    expect(w.odoo.activities.map((a) => a.userId)).toEqual([PEOPLE.bob.odoo.id, PEOPLE.marc.odoo.id]);
  });

  it('as the approver, uses the person’s own gateway and never the bot’s', async () => {
    const { w, c } = await world({ approve: { method: 'button_approve', asApprover: true } });
    const own = new FakeOdooGateway(w.clock);
    own.put(PURCHASE, { id: c.odooId, state: 'to approve' });
    own.onMethod(PURCHASE, 'button_approve', (r) => {
      r.state = 'purchase';
    });
    const asked: number[] = [];
    w.deps.userOdoo = {
      gatewayFor: async (id): Promise<OdooGateway | null> => {
        asked.push(id);
        return own;
      },
    };
    await performAction(w.deps, w.flow, c, decision(null), 'approve');
    expect(asked).toEqual([PEOPLE.admin.odoo.id]);
    expect(own.methodCalls.map((m) => m.method)).toEqual(['button_approve']);
    expect(w.odoo.methodCalls).toEqual([]);
  });

  it('without a linked key, refuses with a forbidden error that says to run /odoo link', async () => {
    const { w, c } = await world({ approve: { method: 'button_approve', asApprover: true } });
    w.deps.userOdoo = { gatewayFor: async () => null };
    const err = await performAction(w.deps, w.flow, c, decision(null), 'approve').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'forbidden', code: 'identity.no_user_key' });
    expect((err as Error).message).toMatch(/Run \/odoo link.*click Approve again\. Nothing was changed\./);
    expect(w.odoo.methodCalls).toEqual([]);
  });

  it('the expiry rejection (no decision) writes the policy reason into wizards', async () => {
    const { w, c } = await world({
      reject: { wizard: { model: WIZARD, method: 'action_refuse', values: { reason: '{{reason}}' }, link: 'ids' } },
    });
    w.odoo.onMethod(WIZARD, 'action_refuse', () => ({ type: 'ir.actions.act_window_close' }));
    await performAction(w.deps, w.flow, c, null, 'reject');
    expect(w.odoo.created[0]?.values.reason).toBe(EXPIRY_REASON);
  });
});

describe('applyDecision with the new actions', () => {
  it('applies a note rejection although the document still matches the flow, with a note and a to-do', async () => {
    const w = buildDeps({
      flow: { reject: { note: true, activity: { to: 'requester', summary: 'Rejected', days: 1 } } },
    });
    const c = await w.openCaseFor(w.addOrder());
    const d = await w.click(c.id, 'U-ADMIN', { action: 'reject', reason: 'duplicate bill' });
    await w.apply(d.id);
    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    expect((await w.store.getCase(c.id))?.status).toBe('rejected');
    expect(w.odoo.record(PURCHASE, c.odooId)?.state).toBe('to approve');
    expect(w.odoo.notes.at(-1)?.html).toContain('duplicate bill');
    expect(w.odoo.activities).toHaveLength(1);
  });

  it('fails the decision with the /odoo link hint when the approver has no key, and reopens the case', async () => {
    const w = buildDeps({ flow: { approve: { method: 'button_approve', asApprover: true } } });
    w.deps.userOdoo = { gatewayFor: async () => null };
    const c = await w.openCaseFor(w.addOrder());
    const d = await w.click(c.id, 'U-ADMIN');
    await w.apply(d.id);
    const after = await w.store.getDecision(d.id);
    expect(after?.status).toBe('failed');
    expect(after?.outcome).toMatch(/^To approve P\d+ the bot must act as you in Odoo/);
    expect((await w.store.getCase(c.id))?.status).toBe('open');
    expect(w.chat.told.at(-1)?.text).toContain('/odoo link');
    expect(w.odoo.methodCalls).toEqual([]);
  });
});

describe('helpers', () => {
  it('substitutes {{reason}} deep inside values and leaves other values alone', () => {
    expect(substituteReason({ a: ['x {{reason}}', 3], b: { c: '{{reason}}' }, d: false }, 'why')).toEqual({
      a: ['x why', 3],
      b: { c: 'why' },
      d: false,
    });
  });

  it('counts deadline days from the date in the calendar time zone', () => {
    const late = new Date('2026-11-25T23:30:00Z');
    expect(deadlineDate(late, 'UTC', 1)).toBe('2026-11-26');
    expect(deadlineDate(late, 'Europe/Brussels', 1)).toBe('2026-11-27');
    expect(deadlineDate(late, 'America/New_York', 0)).toBe('2026-11-25');
  });
});
