import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { AppError } from '../../src/errors.js';
import { exceptionDomain } from '../../src/flows/exceptions/exception-domain.js';
import { PEOPLE } from '../fakes/builders.js';
import { buildExceptionWorld, EXCEPTION_POLICY_YAML } from '../support/exception-world.js';

const { marc, eve } = PEOPLE;

describe('who may act on an exception', () => {
  it('refuses people who are not owners, and chat users without an Odoo user, changing nothing', async () => {
    const w = buildExceptionWorld();
    const item = (await w.ingestBill(w.addVarianceBill()))!;
    const outsider = await w.act({ exceptionId: item.id, action: 'assign', userId: eve.chat });
    expect(outsider).toMatchObject({ ok: false, reason: expect.stringMatching(/Only the owners.*Eve Outsider/) });
    w.chat.addUser('U-STRANGER', 'nobody@elsewhere.test');
    const stranger = await w.act({ exceptionId: item.id, action: 'resolve', userId: 'U-STRANGER', note: 'done it' });
    expect(stranger).toMatchObject({ ok: false, reason: expect.stringMatching(/not linked to an Odoo user/) });
    expect(w.odoo.activities).toHaveLength(0);
    expect((await w.exceptions.get(item.id))!.status).toBe('open');
    expect(w.chat.told.map((t) => t.actor.userId)).toEqual([eve.chat, 'U-STRANGER']);
  });

  it('refuses actions on a resolved exception and actions the policy does not offer', async () => {
    const w = buildExceptionWorld();
    const item = (await w.ingestBill(w.addVarianceBill()))!;
    await w.act({ exceptionId: item.id, action: 'resolve', userId: marc.chat, note: 'credit note requested' });
    const again = await w.act({ exceptionId: item.id, action: 'assign', userId: marc.chat });
    expect(again).toMatchObject({ ok: false, reason: expect.stringMatching(/already resolved/) });
  });

  it('tells the person when Odoo refuses the resolve write, and keeps the exception open', async () => {
    const w = buildExceptionWorld();
    const bill = w.addVarianceBill();
    const item = (await w.ingestBill(bill))!;
    w.odoo.onMethod('account.move', 'write', () => {
      throw new AppError('odoo.user_error', 'user', 'You cannot change a posted bill (test).');
    });
    const r = await w.act({ exceptionId: item.id, action: 'resolve', userId: marc.chat, note: 'accepted' });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/Odoo refused this: You cannot change/) });
    expect((await w.exceptions.get(item.id))!.status).toBe('open');
  });
});

describe('the exceptions: policy schema', () => {
  it('expands presets and computes the overdue date at poll time', () => {
    const policy = parsePolicy(
      `${EXCEPTION_POLICY_YAML}  - id: overdue
    type: overdue-invoice
    days: 15
    owner: { users: [admin@example.com] }
    teams: {}
  - id: failed-payments
    type: failed-payment
    owner: { users: [admin@example.com] }
    slack: { channel: C0PAYMENTS }
`,
    );
    const [variance, external, overdue, failed] = policy.exceptions!;
    expect(variance).toMatchObject({
      type: 'bill-variance',
      slaMinutes: 480,
      resolveWrite: { release_to_pay_manual: 'yes' },
    });
    expect(variance!.odoo?.when).toContainEqual(['release_to_pay', '=', 'exception']);
    expect(external).toMatchObject({
      external: { type: 'usage-sync-failed' },
      actions: ['assign', 'resolve', 'snooze', 'escalate'],
    });
    expect(failed!.odoo).toEqual({ model: 'payment.transaction', when: [['state', '=', 'error']] });
    const domain = exceptionDomain(overdue!, policy, new Date('2026-11-25T10:00:00Z'));
    expect(domain).toEqual([
      ['move_type', '=', 'out_invoice'],
      ['state', '=', 'posted'],
      ['payment_state', 'not in', ['paid', 'in_payment', 'reversed']],
      ['invoice_date_due', '<', '2026-11-10'],
    ]);
  });

  it.each([
    ['two sources', 'type: bill-variance\n    external: { type: x }', /exactly one of/],
    ['no source', 'title: nothing', /exactly one of/],
    ['days on another preset', 'type: bill-variance\n    days: 3', /days applies only/],
    ['an unknown preset', 'type: late-thing', /must be one of bill-variance/],
  ])('refuses %s with the path', (_name, body, message) => {
    const yaml = `${EXCEPTION_POLICY_YAML}  - id: bad
    ${body}
    owner: { users: [admin@example.com] }
    slack: { channel: C0X1 }
`;
    expect(() => parsePolicy(yaml)).toThrow(message);
    expect(() => parsePolicy(yaml)).toThrow(/exceptions\[2\]/);
  });

  it('refuses an exception id that an approval flow already uses', () => {
    const yaml = `${EXCEPTION_POLICY_YAML}  - id: purchase-orders
    type: failed-payment
    owner: { users: [admin@example.com] }
    slack: { channel: C0X1 }
`;
    expect(() => parsePolicy(yaml)).toThrow(/"purchase-orders" is already used/);
  });
});
