import { describe, expect, it } from 'vitest';
import { JOBS } from '../../src/flows/jobs.js';
import { postCards } from '../../src/flows/post-cards.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { APPROVER_GROUP, PEOPLE, PURCHASE } from '../fakes/builders.js';

/** An open case for a fresh order, with its cards posted. */
async function openCase(w: TestWorld, name = 'P00042') {
  const odooId = w.addOrder({ name });
  const c = await w.openCaseFor(odooId);
  await postCards(w.deps, c.id);
  return { odooId, c };
}

async function refusal(w: TestWorld, decisionId: string) {
  const d = await w.store.getDecision(decisionId);
  const entry = w.audit.list({ type: 'decision.refused' }).find((e) => e.data.decisionId === decisionId);
  return { status: d?.status, outcome: d?.outcome, code: entry?.data.code, told: w.chat.told.map((t) => t.text) };
}

describe('applyDecision: deciding', () => {
  it('approves in Odoo once, notes who did it in the chatter and closes the case', async () => {
    const w = buildDeps();
    const { odooId, c } = await openCase(w);
    const d = await w.click(c.id, PEOPLE.admin.chat);

    await w.apply(d.id);

    expect(w.odoo.methodCalls).toEqual([{ model: PURCHASE, method: 'button_approve', ids: [odooId] }]);
    expect(w.odoo.notes).toHaveLength(1);
    expect(w.odoo.notes[0]?.html).toContain('Approved by <b>Mitchell Admin</b> in Slack');
    expect(w.odoo.notes[0]?.html).toContain('P00042');
    const done = await w.store.getCase(c.id);
    expect(done).toMatchObject({ status: 'approved', decisionId: d.id, closedAt: w.clock.now() });
    expect(done?.snapshot.state).toBe('purchase');
    expect(await w.store.getDecision(d.id)).toMatchObject({
      status: 'applied',
      odooUserId: PEOPLE.admin.odoo.id,
      odooUserName: 'Mitchell Admin',
      appliedAt: w.clock.now(),
      chatterPostedAt: w.clock.now(),
    });
    const applied = w.audit.list({ type: 'decision.applied' });
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({
      caseId: c.id,
      actor: `slack:${PEOPLE.admin.chat}`,
      data: { decisionId: d.id, action: 'approve', method: 'button_approve', odooUserId: 2, state: 'purchase' },
    });
    expect(w.queue.pending({ name: JOBS.refreshCards }).map((j) => j.id)).toEqual(
      expect.arrayContaining([expect.stringMatching(/-decided-/)]),
    );
    expect(w.chat.told).toEqual([]);
    expect(await w.audit.verify()).toMatchObject({ ok: true });
  });

  it('rejects with the reason in the chatter and the audit log', async () => {
    const w = buildDeps();
    const { odooId, c } = await openCase(w);
    const d = await w.click(c.id, PEOPLE.admin.chat, { action: 'reject', reason: 'Over <budget> & late' });

    await w.apply(d.id);

    expect(w.odoo.methodCalls).toEqual([{ model: PURCHASE, method: 'button_cancel', ids: [odooId] }]);
    expect(w.odoo.notes[0]?.html).toContain('Rejected by <b>Mitchell Admin</b>');
    expect(w.odoo.notes[0]?.html).toContain('Reason: Over &lt;budget&gt; &amp; late');
    expect((await w.store.getCase(c.id))?.status).toBe('rejected');
    expect(w.audit.list({ type: 'decision.applied' })[0]?.data).toMatchObject({
      action: 'reject',
      reason: 'Over <budget> & late',
      state: 'cancel',
    });
  });
});

describe('applyDecision: refusals change nothing in Odoo', () => {
  it('refuses a chat user whose email the platform does not show', async () => {
    const w = buildDeps();
    w.chat.addUser('U-NOMAIL', null);
    const { c } = await openCase(w);
    const d = await w.click(c.id, 'U-NOMAIL');

    await w.apply(d.id);

    const r = await refusal(w, d.id);
    expect(r).toMatchObject({ status: 'refused', code: 'identity.not_linked' });
    expect(r.told).toEqual([expect.stringContaining('no email address the bot can see')]);
    expect(w.odoo.methodCalls).toEqual([]);
    expect((await w.store.getCase(c.id))?.status).toBe('open');
  });

  it('refuses a chat user whose email belongs to no Odoo user', async () => {
    const w = buildDeps();
    w.chat.addUser('U-STRANGER', 'stranger@example.com');
    const { c } = await openCase(w);
    const d = await w.click(c.id, 'U-STRANGER');

    await w.apply(d.id);

    const r = await refusal(w, d.id);
    expect(r).toMatchObject({ status: 'refused', code: 'identity.not_linked' });
    expect(r.outcome).toContain('stranger@example.com');
    expect(r.outcome).toContain('not linked to an Odoo user');
    expect(w.odoo.methodCalls).toEqual([]);
  });

  it('refuses someone outside the approver group', async () => {
    const w = buildDeps();
    const { c } = await openCase(w);
    const d = await w.click(c.id, PEOPLE.eve.chat);

    await w.apply(d.id);

    const r = await refusal(w, d.id);
    expect(r).toMatchObject({ status: 'refused', code: 'policy.not_approver' });
    expect(r.outcome).toContain(APPROVER_GROUP);
    expect(r.told).toEqual([r.outcome]);
    expect(w.odoo.methodCalls).toEqual([]);
    expect((await w.store.getCase(c.id))?.status).toBe('open');
  });

  it('refuses the requester (segregation of duties) even though they are an approver', async () => {
    const w = buildDeps();
    const { c } = await openCase(w);
    const d = await w.click(c.id, PEOPLE.marc.chat);

    await w.apply(d.id);

    const r = await refusal(w, d.id);
    expect(r).toMatchObject({ status: 'refused', code: 'policy.segregation_of_duties' });
    expect(r.outcome).toContain('segregation of duties');
    expect(w.odoo.methodCalls).toEqual([]);
  });

  it('refuses a click on a stale card, redraws it with a notice and keeps the case open', async () => {
    const w = buildDeps();
    const { odooId, c } = await openCase(w);
    const d = await w.click(c.id, PEOPLE.admin.chat);
    w.clock.advance(60_000);
    w.odoo.write(PURCHASE, odooId, { amount_total: 9999 });

    await w.apply(d.id);

    const r = await refusal(w, d.id);
    expect(r).toMatchObject({ status: 'refused', code: 'case.stale_card' });
    expect(r.outcome).toContain('changed in Odoo after this card was drawn');
    expect(w.odoo.methodCalls).toEqual([]);
    const now = await w.store.getCase(c.id);
    expect(now).toMatchObject({ status: 'open' });
    expect(now?.snapshot).toMatchObject({ amount: 9999, writeDate: '2026-11-25T10:01:00Z' });
    const redraw = w.queue.pending({ name: JOBS.refreshCards }).find((j) => j.id.includes('-stale-'));
    expect(redraw?.data).toEqual({ caseId: c.id, notice: expect.stringContaining('The document changed in Odoo') });
  });

  it('cancels the case and refuses when the record no longer exists in Odoo', async () => {
    const w = buildDeps();
    const { odooId, c } = await openCase(w);
    const d = await w.click(c.id, PEOPLE.admin.chat);
    w.odoo.remove(PURCHASE, odooId);

    await w.apply(d.id);

    expect(await refusal(w, d.id)).toMatchObject({ status: 'refused', code: 'odoo.record_missing' });
    expect((await w.store.getCase(c.id))?.status).toBe('cancelled');
    expect(w.queue.pending({ name: JOBS.refreshCards }).some((j) => j.id.includes('-missing-'))).toBe(true);
  });

  it('supersedes a second click on a case already decided, naming who decided', async () => {
    const w = buildDeps();
    w.odoo.addUser({ id: 30, name: 'Dana Approver', email: 'dana@example.com' });
    w.odoo.setGroup(APPROVER_GROUP, [2, 7, 9, 30]);
    w.chat.addUser('U-DANA', 'dana@example.com');
    const { c } = await openCase(w, 'P00077');
    const first = await w.click(c.id, PEOPLE.admin.chat);
    const second = await w.click(c.id, 'U-DANA', { action: 'reject' });

    await w.apply(first.id);
    await w.apply(second.id);

    const d2 = await w.store.getDecision(second.id);
    expect(d2).toMatchObject({ status: 'superseded' });
    expect(d2?.outcome).toBe('P00077 was already approved by Mitchell Admin; your click changed nothing.');
    expect(w.chat.told.map((t) => t.text)).toEqual([d2?.outcome]);
    expect(w.odoo.methodCalls).toHaveLength(1);
    expect(w.audit.list({ type: 'decision.refused' })[0]?.data).toMatchObject({
      code: 'case.already_decided',
      winner: first.id,
    });
  });

  it('records one decision for a replayed click', async () => {
    const w = buildDeps();
    const { c } = await openCase(w);
    const a = await w.click(c.id, PEOPLE.admin.chat, { idempotencyKey: 'slack-trigger-1' });
    const b = await w.click(c.id, PEOPLE.admin.chat, { idempotencyKey: 'slack-trigger-1' });
    expect(b.id).toBe(a.id);
    expect(w.audit.list({ type: 'decision.requested' })).toHaveLength(1);
    expect(w.queue.pending({ name: JOBS.applyDecision })).toHaveLength(1);
  });
});
