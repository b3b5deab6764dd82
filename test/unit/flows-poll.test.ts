import { describe, expect, it } from 'vitest';
import { ingestRecord } from '../../src/flows/ingest-record.js';
import { type IngestRecordJob, JOBS, QUEUES } from '../../src/flows/jobs.js';
import { POLL_OVERLAP_MS, POLL_PAGE, pollFlow } from '../../src/flows/poll-flow.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PURCHASE } from '../fakes/builders.js';
import { odooDate } from '../fakes/fake-odoo-gateway.js';

const at = (iso: string) => odooDate(new Date(iso));

function ingestJobs(w: TestWorld): IngestRecordJob[] {
  return w.queue.pending({ name: JOBS.ingestRecord }).map((j) => j.data as IngestRecordJob);
}

describe('pollFlow', () => {
  it('on its first run ingests every matching record and sets the checkpoint to the newest write date', async () => {
    const w = buildDeps();
    const a = w.addOrder({ write_date: at('2026-11-25T08:00:00Z') });
    const b = w.addOrder({ write_date: at('2026-11-25T09:30:00Z') });
    w.addOrder({ state: 'draft', write_date: at('2026-11-25T09:45:00Z') });
    const c = w.addOrder({ write_date: at('2026-11-25T09:00:00Z') });

    expect(await pollFlow(w.deps, w.flow.id)).toEqual({ seen: 3 });

    // In id order (stable while records change), whatever their dates.
    expect(ingestJobs(w)).toEqual([
      { model: PURCHASE, id: a, writeDate: '2026-11-25T08:00:00Z', source: 'poll' },
      { model: PURCHASE, id: b, writeDate: '2026-11-25T09:30:00Z', source: 'poll' },
      { model: PURCHASE, id: c, writeDate: '2026-11-25T09:00:00Z', source: 'poll' },
    ]);
    expect(await w.store.getCheckpoint(`poll.${w.flow.id}`)).toBe('2026-11-25T09:30:00.000Z');

    await w.queue.process<IngestRecordJob>(QUEUES.events, (job) => ingestRecord(w.deps, job.data, job.attempt));
    await w.queue.runAll();
    const opened = (await w.store.listCases({ status: ['open'] })).map((x) => x.odooId);
    expect(opened.sort()).toEqual([a, b, c].sort());
  });

  it('later reads from the checkpoint minus the overlap, and moves the checkpoint forward', async () => {
    const w = buildDeps();
    const key = `poll.${w.flow.id}`;
    await w.store.setCheckpoint(key, '2026-11-25T09:00:00.000Z');
    w.addOrder({ write_date: at('2026-11-25T08:58:00Z') });
    const inOverlap = w.addOrder({ write_date: at('2026-11-25T08:59:30Z') });
    const newer = w.addOrder({ write_date: at('2026-11-25T09:10:00Z') });
    expect(POLL_OVERLAP_MS).toBe(60_000);

    expect(await pollFlow(w.deps, w.flow.id)).toEqual({ seen: 2 });

    expect(ingestJobs(w).map((j) => j.id)).toEqual([inOverlap, newer]);
    expect(await w.store.getCheckpoint(key)).toBe('2026-11-25T09:10:00.000Z');
  });

  it('keeps the checkpoint when nothing newer came in', async () => {
    const w = buildDeps();
    const key = `poll.${w.flow.id}`;
    await w.store.setCheckpoint(key, '2026-11-25T09:00:00.000Z');
    w.addOrder({ write_date: at('2026-11-25T08:59:30Z') });

    await pollFlow(w.deps, w.flow.id);

    expect(await w.store.getCheckpoint(key)).toBe('2026-11-25T09:00:00.000Z');
  });

  it('pages through more records than fit in one page', async () => {
    const w = buildDeps();
    const base = new Date('2026-11-01T00:00:00Z').getTime();
    const count = POLL_PAGE * 2 + 50;
    for (let i = 0; i < count; i++) w.addOrder({ write_date: odooDate(new Date(base + i * 1000)) });

    const { seen } = await pollFlow(w.deps, w.flow.id);

    expect(seen).toBeGreaterThanOrEqual(count);
    expect(new Set(ingestJobs(w).map((j) => j.id)).size).toBe(count);
    expect(await w.store.getCheckpoint(`poll.${w.flow.id}`)).toBe(new Date(base + (count - 1) * 1000).toISOString());
  });

  it('closes open cases whose record no longer matches the flow', async () => {
    const w = buildDeps();
    const stays = await w.openCaseFor(w.addOrder());
    const leavesId = w.addOrder();
    const leaves = await w.openCaseFor(leavesId);
    w.clock.advance(60_000);
    w.odoo.write(PURCHASE, leavesId, { state: 'cancel' });

    await pollFlow(w.deps, w.flow.id);

    expect((await w.store.getCase(stays.id))?.status).toBe('open');
    const closed = await w.store.getCase(leaves.id);
    expect(closed).toMatchObject({ status: 'cancelled', closedAt: w.clock.now() });
    expect(closed?.snapshot.state).toBe('cancel');
    expect(w.audit.list({ type: 'case.closed' })).toEqual([
      expect.objectContaining({
        caseId: leaves.id,
        data: { reason: 'no_longer_matches', state: 'cancel', source: 'poll' },
      }),
    ]);
    expect(w.queue.pending({ name: JOBS.refreshCards }).map((j) => j.id)).toEqual([`refresh-${leaves.id}-closed`]);
  });
});
