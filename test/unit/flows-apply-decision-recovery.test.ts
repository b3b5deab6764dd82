import { describe, expect, it } from 'vitest';
import { OUTAGE_RETRY_DELAY_MS } from '../../src/flows/apply-decision.js';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { postCards } from '../../src/flows/post-cards.js';
import { refreshCards } from '../../src/flows/refresh-cards.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE, PURCHASE } from '../fakes/builders.js';
import { odooErrors } from '../fakes/fake-odoo-gateway.js';

async function clicked(w: TestWorld, action: 'approve' | 'reject' = 'approve') {
  const odooId = w.addOrder({ name: 'P00042' });
  const c = await w.openCaseFor(odooId);
  await postCards(w.deps, c.id);
  const d = await w.click(c.id, PEOPLE.admin.chat, { action });
  return { odooId, c, d };
}

describe('applyDecision: when Odoo refuses', () => {
  it('fails the decision and reopens the case when the method returns but the record did not change', async () => {
    const w = buildDeps();
    w.odoo.onMethod(PURCHASE, 'button_approve', () => true);
    const { c, d } = await clicked(w);

    await w.apply(d.id);

    const failed = await w.store.getDecision(d.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.outcome).toContain('did not change');
    expect(failed?.appliedAt).toBeNull();
    expect(await w.store.getCase(c.id)).toMatchObject({ status: 'open', closedAt: null });
    expect(w.audit.list({ type: 'decision.failed' })[0]?.data).toMatchObject({ code: 'odoo.no_effect' });
    expect(w.odoo.notes).toEqual([]);
    expect(w.chat.told.map((t) => t.text)).toEqual([failed?.outcome]);
  });

  it('fails for good on an Odoo UserError, forwards its message and does not retry', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    w.odoo.failNext('callMethod', odooErrors.userError('The vendor is blocked for purchases.'));

    await expect(w.apply(d.id)).resolves.toBeUndefined();

    const failed = await w.store.getDecision(d.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.outcome).toBe('Odoo refused to approve P00042: The vendor is blocked for purchases.');
    expect((await w.store.getCase(c.id))?.status).toBe('open');
    expect(w.audit.list({ type: 'decision.failed' })[0]?.data).toMatchObject({ code: 'odoo.user_error' });
    const redraw = w.queue.pending({ name: JOBS.refreshCards }).find((j) => j.id.includes('-failed-'));
    expect(redraw?.data).toMatchObject({ notice: failed?.outcome });
    expect(w.chat.told.map((t) => t.text)).toEqual([failed?.outcome]);
    // A second run (a duplicate job) changes nothing.
    await w.apply(d.id);
    expect(w.odoo.methodCalls).toHaveLength(1);
  });

  it('gives the case back as before the click, so the same person can approve again once Odoo allows it', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    w.odoo.failNext('callMethod', odooErrors.userError('Link your key first (test).'));
    await w.apply(d.id);

    const released = await w.store.getCase(c.id);
    expect(released).toMatchObject({ status: 'open', decisionId: null });
    expect(released?.tiers.flatMap((t) => t.approvals)).toEqual([]);

    const again = await w.click(c.id, PEOPLE.admin.chat);
    await w.apply(again.id);
    expect((await w.store.getDecision(again.id))?.status).toBe('applied');
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
    expect(w.odoo.methodCalls).toHaveLength(2);
    expect(await w.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('applyDecision: when Odoo is unreachable', () => {
  it('rethrows for a retry and shows the wait on the card on the first attempt', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    w.odoo.failNext('callMethod');

    await expect(w.apply(d.id, 1, 8)).rejects.toMatchObject({ code: 'odoo.unreachable', kind: 'transient' });

    expect((await w.store.getCase(c.id))?.status).toBe('deciding');
    expect((await w.store.getDecision(d.id))?.outcome).toContain('Odoo is not answering');
    expect(w.queue.pending({ name: JOBS.refreshCards }).some((j) => j.id.includes('-retrying-'))).toBe(true);
    await refreshCards(w.deps, c.id);
    expect(w.chat.latestCard(c.id)?.status.text).toContain('Odoo is not answering');

    await w.apply(d.id, 2, 8);
    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    expect(w.odoo.methodCalls).toHaveLength(2);
    expect(w.audit.list({ type: 'decision.applied' })).toHaveLength(1);
  });

  it('puts a notice on the card when Odoo is down before the case was claimed', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    w.odoo.failNext('load');

    await expect(w.apply(d.id, 1, 8)).rejects.toMatchObject({ kind: 'transient' });

    expect((await w.store.getCase(c.id))?.status).toBe('open');
    const redraw = w.queue.pending({ name: JOBS.refreshCards }).find((j) => j.id.includes('-retrying-'));
    expect(redraw?.data).toMatchObject({ notice: expect.stringContaining('approval by Mitchell Admin is waiting') });
  });

  it('on the last attempt queues a delayed next generation instead of throwing', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    w.odoo.failNext('callMethod');
    w.clock.advance(1000);

    await expect(w.apply(d.id, 8, 8)).resolves.toBeUndefined();

    const next = w.queue.pending({ name: JOBS.applyDecision }).find((j) => j.id === `decide-${d.id}-g-1`);
    expect(next).toMatchObject({
      queue: QUEUES.decisions,
      state: 'delayed',
      runAt: w.clock.now().getTime() + OUTAGE_RETRY_DELAY_MS,
      data: { decisionId: d.id, generation: 1 },
    });
    expect((await w.store.getDecision(d.id))?.updatedAt).toEqual(w.clock.now());

    // Odoo comes back; the next generation applies the decision (the first job is gone by now).
    expect(await w.queue.cancel(QUEUES.decisions, `decide-${d.id}`)).toBe(true);
    await w.queue.process(QUEUES.decisions, (job) =>
      w.apply(d.id, job.attempt, job.maxAttempts, job.data as { generation: number }),
    );
    await w.queue.advance(OUTAGE_RETRY_DELAY_MS - 1);
    expect((await w.store.getDecision(d.id))?.status).toBe('applying');
    await w.queue.advance(1);
    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
  });

  it('gives up a generation through the queue and applies in a later one', async () => {
    const w = buildDeps();
    const { d } = await clicked(w);
    for (let i = 0; i < 4; i++) w.odoo.failNext('callMethod');
    // As if each job had 2 attempts: attempt 2 of 2 hands over to the next generation.
    await w.queue.process(QUEUES.decisions, (job) =>
      w.apply(d.id, job.attempt, 2, job.data as { generation?: number }),
    );

    const start = w.clock.now().getTime();
    await w.queue.runUntilIdle();

    expect(w.queue.list({ queue: QUEUES.decisions }).map((j) => [j.id, j.state])).toEqual([
      [`decide-${d.id}`, 'completed'],
      [`decide-${d.id}-g-1`, 'completed'],
      [`decide-${d.id}-g-2`, 'completed'],
    ]);
    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    expect(w.odoo.methodCalls).toHaveLength(5);
    expect(w.clock.now().getTime() - start).toBeGreaterThanOrEqual(2 * OUTAGE_RETRY_DELAY_MS);
  });
});

describe('applyDecision: restart safety', () => {
  it('never calls the method again once appliedAt is stored', async () => {
    const w = buildDeps();
    const { odooId, c, d } = await clicked(w);
    w.odoo.failNext('postNote');
    await expect(w.apply(d.id)).rejects.toMatchObject({ kind: 'transient' });
    expect((await w.store.getDecision(d.id))?.appliedAt).toEqual(w.clock.now());
    // Even if the record looked unapproved again, the stored appliedAt wins.
    w.odoo.write(PURCHASE, odooId, { state: 'to approve' });

    await w.apply(d.id, 2);

    expect(w.odoo.methodCalls).toHaveLength(1);
    expect(w.odoo.notes).toHaveLength(1);
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
  });

  it('never posts the chatter note twice once chatterPostedAt is stored', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    w.store.failNext('setCaseStatus');
    await expect(w.apply(d.id)).rejects.toMatchObject({ kind: 'transient' });
    expect((await w.store.getDecision(d.id))?.chatterPostedAt).not.toBeNull();

    await w.apply(d.id, 2);

    expect(w.odoo.notes).toHaveLength(1);
    expect(w.odoo.methodCalls).toHaveLength(1);
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
    expect(w.audit.list({ type: 'decision.applied' })).toHaveLength(1);
  });

  it('applies once when the same decision is processed twice at the same time', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);

    await Promise.all([w.apply(d.id), w.apply(d.id)]);

    expect(w.odoo.methodCalls).toHaveLength(1);
    expect(w.odoo.notes).toHaveLength(1);
    expect(await w.store.getDecision(d.id)).toMatchObject({ status: 'applied' });
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
    expect(w.audit.list({ type: 'decision.applied' })).toHaveLength(1);
    expect(w.audit.list({ type: 'decision.refused' })).toEqual([]);
    expect(w.chat.told).toEqual([]);
  });

  it('resumes a decision whose run claimed the case and stopped before marking it applying', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    // updateDecision #1 stores the Odoo user; #2 (status applying) fails, as a crash there would.
    w.store.failNext('updateDecision', undefined, 1);
    await expect(w.apply(d.id)).rejects.toMatchObject({ kind: 'transient' });
    expect(await w.store.getCase(c.id)).toMatchObject({ status: 'deciding', decisionId: d.id });
    expect((await w.store.getDecision(d.id))?.status).toBe('queued');

    await w.apply(d.id, 2);

    expect(await w.store.getDecision(d.id)).toMatchObject({ status: 'applied' });
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
    expect(w.odoo.methodCalls).toHaveLength(1);
    expect(w.chat.told).toEqual([]);
  });
});
