import { describe, expect, it } from 'vitest';
import { fireSla } from '../../src/flows/exceptions/escalate-exception.js';
import { postExceptionCards } from '../../src/flows/exceptions/exception-cards.js';
import { pollExceptions } from '../../src/flows/exceptions/ingest-exception.js';
import { EXCEPTION_JOBS } from '../../src/flows/exceptions/jobs.js';
import { wakeException } from '../../src/flows/exceptions/snooze-exception.js';
import { PEOPLE } from '../fakes/builders.js';
import { buildExceptionWorld, EXCEPTIONS_CHANNEL } from '../support/exception-world.js';

const { admin, marc, eve } = PEOPLE;

describe('an Odoo-sourced exception', () => {
  it('opens once for a bill in variance, with the variance facts, an SLA timer and a card job', async () => {
    const w = buildExceptionWorld();
    const bill = w.addVarianceBill();
    const item = await w.ingestBill(bill);
    expect(item).toMatchObject({ status: 'open', severity: 'high', reference: 'BILL/2026/0007' });
    expect(item!.owners.map((o) => o.odooUserId).sort()).toEqual([admin.odoo.id, marc.odoo.id]);
    expect(item!.details.join('\n')).toMatch(
      /Office Chair: ordered 10 @ 150\.00 · received 8 · billed 10 @ 155\.00 → 2 billed but not received; price \+5 per unit/,
    );
    expect(item!.facts).toContainEqual({ label: 'Purchase order', value: 'P00005' });
    // 8 business hours from Wednesday 10:00 UTC is Thursday 10:00.
    expect(item!.sla.dueAt).toBe('2026-11-26T10:00:00.000Z');
    expect(w.queue.pending({ name: EXCEPTION_JOBS.sla })).toHaveLength(1);
    expect(w.audit.list().map((e) => e.type)).toContain('exception.opened');
    expect(await w.ingestBill(bill)).toMatchObject({ id: item!.id });
    expect(await w.exceptions.list({})).toHaveLength(1);

    await postExceptionCards(w.ex, item!.id);
    const card = w.chat.posts[0]!;
    expect(card.target).toEqual({ kind: 'channel', channelId: EXCEPTIONS_CHANNEL });
    expect(card.card.kind).toBe('exception');
    expect(card.card.actions.map((a) => a.id)).toEqual([
      'exception.assign',
      'exception.resolve',
      'exception.snooze',
      'exception.escalate',
    ]);
  });

  it('assign → resolve writes to Odoo, marks the activity done, and is not reopened by the next poll', async () => {
    const w = buildExceptionWorld();
    const bill = w.addVarianceBill();
    const item = (await w.ingestBill(bill))!;
    const assigned = await w.act({ exceptionId: item.id, action: 'assign', userId: marc.chat });
    expect(assigned).toMatchObject({ ok: true, item: { status: 'assigned', assignee: { odooUserId: marc.odoo.id } } });
    expect(w.odoo.activities).toEqual([
      expect.objectContaining({ model: 'account.move', resId: bill, userId: marc.odoo.id }),
    ]);
    // The fake gateway keeps scheduled activities aside; give it the record so write and action_feedback work.
    w.odoo.put('mail.activity', { id: 1, user_id: marc.odoo.id });
    // Admin takes it over: the same activity is reassigned, not a second one created.
    await w.act({ exceptionId: item.id, action: 'assign', userId: admin.chat });
    expect(w.odoo.methodCalls).toContainEqual({
      model: 'mail.activity',
      method: 'write',
      ids: [1],
      kwargs: { vals: { user_id: admin.odoo.id } },
    });
    expect(w.odoo.activities).toHaveLength(1);
    expect(w.odoo.record('mail.activity', 1)?.user_id).toBe(admin.odoo.id);

    const blank = await w.act({ exceptionId: item.id, action: 'resolve', userId: admin.chat, note: ' ' });
    expect(blank).toMatchObject({ ok: false, reason: expect.stringMatching(/needs a note/) });
    const resolved = await w.act({
      exceptionId: item.id,
      action: 'resolve',
      userId: admin.chat,
      note: 'Vendor confirmed the price increase',
    });
    expect(resolved).toMatchObject({ ok: true, item: { status: 'resolved' } });
    expect(w.odoo.record('account.move', bill)?.release_to_pay_manual).toBe('yes');
    expect(w.odoo.methodCalls).toContainEqual({
      model: 'mail.activity',
      method: 'action_feedback',
      ids: [1],
      kwargs: { feedback: 'Vendor confirmed the price increase' },
    });
    expect(w.odoo.notes.at(-1)?.html).toMatch(/resolved by Mitchell Admin.*Vendor confirmed the price increase/s);
    expect(w.audit.list().map((e) => e.type)).toEqual(
      expect.arrayContaining(['exception.opened', 'exception.assigned', 'exception.resolved']),
    );
    // The record still says exception (the fake does not recompute), but nothing changed since the bot's write.
    await w.ingestBill(bill);
    expect(await w.exceptions.list({})).toHaveLength(1);
    expect(w.chat.told.at(-1)?.text).toMatch(/resolved/);
  });

  it('auto-closes when the record no longer matches (poll), and the audit says so', async () => {
    const w = buildExceptionWorld();
    const bill = w.addVarianceBill();
    const item = (await w.ingestBill(bill))!;
    w.odoo.write('account.move', bill, { release_to_pay: 'yes' });
    await pollExceptions(w.ex, 'bill-variances');
    expect(await w.exceptions.get(item.id)).toMatchObject({ status: 'auto_closed' });
    expect(w.audit.list().map((e) => e.type)).toContain('exception.auto_closed');
  });

  it('escalates on an SLA breach: adds escalate.to people and replies under the card', async () => {
    const w = buildExceptionWorld();
    const item = (await w.ingestBill(w.addVarianceBill()))!;
    await postExceptionCards(w.ex, item.id);
    await fireSla(w.ex, { exceptionId: item.id, dueAt: 'not-the-deadline' });
    expect((await w.exceptions.get(item.id))!.sla.escalated).toBe(false);
    await fireSla(w.ex, { exceptionId: item.id, dueAt: item.sla.dueAt! });
    const after = (await w.exceptions.get(item.id))!;
    expect(after.sla.escalated).toBe(true);
    expect(after.escalated.map((p) => p.odooUserId)).toEqual([eve.odoo.id]);
    expect(w.chat.replies.at(-1)?.text).toMatch(/Escalated \(its SLA was breached\): Eve Outsider/);
    expect(w.audit.list().find((e) => e.type === 'exception.escalated')?.data).toMatchObject({ reason: 'sla' });
    // Eve may act now.
    expect(await w.act({ exceptionId: item.id, action: 'assign', userId: eve.chat })).toMatchObject({ ok: true });
  });

  it('snooze pauses the SLA and the wake-up reopens with the time that was left', async () => {
    const w = buildExceptionWorld();
    const item = (await w.ingestBill(w.addVarianceBill()))!;
    w.clock.advance(2 * 3600_000); // 12:00, 6 business hours left
    const snoozed = await w.act({ exceptionId: item.id, action: 'snooze', userId: marc.chat, until: '2026-11-30' });
    expect(snoozed).toMatchObject({
      ok: true,
      item: { status: 'snoozed', sla: { dueAt: null, remainingMinutes: 360 } },
    });
    const s = (await w.exceptions.get(item.id))!;
    expect(w.queue.pending({ name: EXCEPTION_JOBS.wake })).toHaveLength(1);
    await fireSla(w.ex, { exceptionId: item.id, dueAt: item.sla.dueAt! });
    expect((await w.exceptions.get(item.id))!.sla.escalated).toBe(false);
    w.clock.set('2026-11-30T00:00:00.000Z');
    await wakeException(w.ex, { exceptionId: item.id, dueAt: s.snoozedUntil! });
    const woke = (await w.exceptions.get(item.id))!;
    expect(woke.status).toBe('open');
    // Monday: resumes at 09:00 with 6 hours left.
    expect(woke.sla.dueAt).toBe('2026-11-30T15:00:00.000Z');
    expect(w.audit.list().map((e) => e.type)).toContain('exception.snoozed');
  });

  it('refuses a snooze date in the past', async () => {
    const w = buildExceptionWorld();
    const item = (await w.ingestBill(w.addVarianceBill()))!;
    const r = await w.act({ exceptionId: item.id, action: 'snooze', userId: marc.chat, until: '2026-11-01' });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/not in the future/) });
  });
});
