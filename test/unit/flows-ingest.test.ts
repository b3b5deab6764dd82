import { describe, expect, it } from 'vitest';
import { ingestRecord } from '../../src/flows/ingest-record.js';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { buildDeps } from '../fakes/build-deps.js';
import { APPROVER_GROUP, PEOPLE, PURCHASE } from '../fakes/builders.js';

const event = (id: number, source: 'webhook' | 'poll' = 'webhook') => ({
  model: PURCHASE,
  id,
  writeDate: null,
  source,
});

describe('ingestRecord', () => {
  it('opens a case for a matching record, audits it and queues its cards', async () => {
    const w = buildDeps();
    const id = w.addOrder({ name: 'P00042' });

    await ingestRecord(w.deps, event(id), 1);

    const c = await w.store.findActiveCase(w.flow.id, PURCHASE, id);
    expect(c).toMatchObject({ status: 'open', requesterIds: [PEOPLE.marc.odoo.id] });
    expect(c?.snapshot).toMatchObject({ reference: 'P00042', state: 'to approve', amount: 1250.5 });
    expect(c?.approvers.map((a) => a.odooUserId)).toEqual([2, 7, 9]);
    expect(w.audit.list({ type: 'case.opened' })).toEqual([
      expect.objectContaining({ caseId: c?.id, data: expect.objectContaining({ reference: 'P00042' }) }),
    ]);
    expect(w.queue.pending({ queue: QUEUES.notify })).toEqual([
      expect.objectContaining({ name: JOBS.postCards, id: `post-${c?.id}`, data: { caseId: c?.id } }),
    ]);
    expect(w.audit.list({ type: 'event.received' })).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ odooModel: PURCHASE, odooId: id }) }),
    ]);
    expect(await w.audit.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('opens nothing for a second event about the same record', async () => {
    const w = buildDeps();
    const id = w.addOrder();
    await ingestRecord(w.deps, event(id), 1);
    await ingestRecord(w.deps, event(id, 'poll'), 1);

    expect(await w.store.listCases({})).toHaveLength(1);
    expect(w.audit.list({ type: 'case.opened' })).toHaveLength(1);
    expect(w.queue.pending({ name: JOBS.postCards })).toHaveLength(1);
  });

  it('retries a non-matching webhook event early on, because Odoo 17 posts before it commits', async () => {
    const w = buildDeps();
    const id = w.addOrder({ state: 'draft' });

    const err = await ingestRecord(w.deps, event(id), 1).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ingest.not_yet_matching', kind: 'transient' });

    await expect(ingestRecord(w.deps, event(id), 4)).resolves.toBeUndefined();
    await expect(ingestRecord(w.deps, event(id, 'poll'), 1)).resolves.toBeUndefined();
    expect(await w.store.listCases({})).toEqual([]);
  });

  it('opens the case once the webhook retry sees the committed record (through the queue)', async () => {
    const w = buildDeps();
    const id = w.addOrder({ state: 'draft' });
    await w.queue.process(QUEUES.events, (job) => ingestRecord(w.deps, event(id), job.attempt));
    await w.queue.enqueue(QUEUES.events, JOBS.ingestRecord, event(id), { jobId: `ingest-${id}` });

    await w.queue.runAll();
    expect(w.queue.list({ queue: QUEUES.events })[0]).toMatchObject({ state: 'delayed', attemptsMade: 1 });
    w.odoo.write(PURCHASE, id, { state: 'to approve' });
    await w.queue.runUntilIdle();

    expect(w.queue.list({ queue: QUEUES.events })[0]).toMatchObject({ state: 'completed', attemptsMade: 2 });
    expect(await w.store.findActiveCase(w.flow.id, PURCHASE, id)).not.toBeNull();
  });

  it('closes an open case whose record left the approval step in Odoo', async () => {
    const w = buildDeps();
    const id = w.addOrder();
    const c = await w.openCaseFor(id);
    w.clock.advance(5_000);
    w.odoo.write(PURCHASE, id, { state: 'purchase' });

    await ingestRecord(w.deps, event(id), 1);

    const closed = await w.store.getCase(c.id);
    expect(closed).toMatchObject({ status: 'cancelled', closedAt: w.clock.now() });
    expect(closed?.snapshot.state).toBe('purchase');
    expect(w.audit.list({ type: 'case.closed' })).toEqual([
      expect.objectContaining({
        caseId: c.id,
        data: { reason: 'no_longer_matches', state: 'purchase', source: 'webhook' },
      }),
    ]);
    expect(w.queue.pending({ name: JOBS.refreshCards })).toEqual([
      expect.objectContaining({ id: `refresh-${c.id}-closed`, data: { caseId: c.id } }),
    ]);
  });

  it('leaves a case alone while a decision on it is being written', async () => {
    const w = buildDeps();
    const id = w.addOrder();
    const c = await w.openCaseFor(id);
    const d = await w.click(c.id, PEOPLE.admin.chat);
    await w.store.claimCase(c.id, d.id);
    w.odoo.write(PURCHASE, id, { state: 'purchase' });

    await ingestRecord(w.deps, event(id), 1);

    expect((await w.store.getCase(c.id))?.status).toBe('deciding');
  });

  it('still opens the case when nobody can approve, and says why in the log', async () => {
    const w = buildDeps();
    w.odoo.setGroup(APPROVER_GROUP, []);
    const id = w.addOrder();

    await ingestRecord(w.deps, event(id), 1);

    const c = await w.store.findActiveCase(w.flow.id, PURCHASE, id);
    expect(c).toMatchObject({ status: 'open', approvers: [] });
    const warning = w.log.at('warn').find((r) => r.msg?.includes('nobody can approve'));
    expect(warning?.msg).toContain(APPROVER_GROUP);
    expect(warning?.fields).toMatchObject({ odooModel: PURCHASE, odooId: id });
  });

  it('ignores portal and archived users when listing approvers', async () => {
    const w = buildDeps();
    w.odoo.addUser({ id: 20, name: 'Portal Paula', share: true });
    w.odoo.addUser({ id: 21, name: 'Archived Arno', active: false });
    w.odoo.setGroup(APPROVER_GROUP, [2, 20, 21]);
    const c = await w.openCaseFor(w.addOrder());
    expect(c.approvers.map((a) => a.odooUserId)).toEqual([2]);
  });

  it('ignores records of models no flow is about', async () => {
    const w = buildDeps();
    await ingestRecord(w.deps, { model: 'sale.order', id: 1, writeDate: null, source: 'webhook' }, 1);
    expect(await w.store.listCases({})).toEqual([]);
  });
});
