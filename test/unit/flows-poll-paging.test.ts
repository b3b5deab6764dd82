import { describe, expect, it } from 'vitest';
import { exceptionWalkKey, pollExceptions } from '../../src/flows/exceptions/ingest-exception.js';
import { EXCEPTION_JOBS, type ExceptionIngestJob } from '../../src/flows/exceptions/jobs.js';
import { type IngestRecordJob, JOBS } from '../../src/flows/jobs.js';
import { RECORD_PAGE, RECORD_PAGES_PER_POLL } from '../../src/flows/paged.js';
import { pollFlow } from '../../src/flows/poll-flow.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { aNewException, PURCHASE } from '../fakes/builders.js';
import { odooDate } from '../fakes/fake-odoo-gateway.js';
import { buildExceptionWorld } from '../support/exception-world.js';

const MINUTE = 60_000;
const PER_POLL = RECORD_PAGE * RECORD_PAGES_PER_POLL;

function ingested(w: TestWorld): number[] {
  return w.queue.pending({ name: JOBS.ingestRecord }).map((j) => (j.data as IngestRecordJob).id);
}

/** `count` orders waiting for approval, all written in one transaction (one `write_date`), as a mass action does. */
function massAction(w: TestWorld, count: number): number[] {
  return Array.from({ length: count }, () => w.addOrder());
}

describe('pollFlow over many records', () => {
  it('sees all 2,000 orders of a mass action in one poll, 500 at a time in id order, and logs its progress', async () => {
    const w = buildDeps();
    const ids = massAction(w, 2000);

    expect(await pollFlow(w.deps, w.flow.id)).toEqual({ seen: 2000 });

    expect(ingested(w)).toEqual(ids);
    expect(w.documents.pagesRead.map((p) => p.afterId)).toEqual([0, ids[499], ids[999], ids[1499], ids[1999]]);
    expect(await w.store.getCheckpoint(`poll.${w.flow.id}`)).toBe(new Date(odooDate(w.clock.now())).toISOString());
    expect(w.log.at('info').map((r) => r.msg)).toContain(
      `polled 1,500 purchase.order records for flow ${w.flow.id} so far`,
    );
  });

  it('closes a case whose record left the flow, not the open cases of records on page 3 and beyond', async () => {
    const w = buildDeps();
    const ids = massAction(w, 2000);
    const onPage3 = await w.openCaseFor(ids[1100]!);
    const onLastPage = await w.openCaseFor(ids[1999]!);
    const leaves = await w.openCaseFor(ids[10]!);
    w.clock.advance(MINUTE);
    w.odoo.write(PURCHASE, ids[10]!, { state: 'cancel' });

    await pollFlow(w.deps, w.flow.id);

    expect((await w.store.getCase(onPage3.id))?.status).toBe('open');
    expect((await w.store.getCase(onLastPage.id))?.status).toBe('open');
    expect((await w.store.getCase(leaves.id))?.status).toBe('cancelled');
  });

  it('reads at most 10,000 records per poll and continues the same window in the next one, losing nothing', async () => {
    const w = buildDeps();
    const key = `poll.${w.flow.id}`;
    await w.store.setCheckpoint(key, '2026-11-01T00:00:00.000Z');
    const ids = massAction(w, PER_POLL + 700);
    const firstWritten = new Date(odooDate(w.clock.now())).toISOString();
    const beyond = await w.openCaseFor(ids[PER_POLL + 600]!);
    const afterFirst = ingested(w).length;

    expect(await pollFlow(w.deps, w.flow.id)).toEqual({ seen: PER_POLL });
    expect(ingested(w).length - afterFirst).toBe(PER_POLL);
    // The window is not finished: the checkpoint stays, and the case beyond the cursor stays open.
    expect(await w.store.getCheckpoint(key)).toBe('2026-11-01T00:00:00.000Z');
    expect((await w.store.getCase(beyond.id))?.status).toBe('open');
    expect(w.log.at('info').map((r) => r.msg)).toContain(
      `polled 10,000 purchase.order records for flow ${w.flow.id}, the most one poll reads; the next poll continues after id ${ids[PER_POLL - 1]}`,
    );

    // Meanwhile someone touches an order the walk already passed, much later: the next window must include it.
    w.clock.advance(30 * MINUTE);
    w.odoo.write(PURCHASE, ids[5]!, { notes: 'changed' });

    expect(await pollFlow(w.deps, w.flow.id)).toEqual({ seen: 700 });
    expect(new Set(ingested(w))).toEqual(new Set(ids));
    // Only as far as the walk's first poll saw, so the order touched behind the cursor is read next time.
    expect(await w.store.getCheckpoint(key)).toBe(firstWritten);
    expect(await w.store.getCheckpoint(`${key}.walk`)).toBe('');

    // The next window starts a minute before that checkpoint: it reads the order again, at its new version.
    await pollFlow(w.deps, w.flow.id);
    const versions = w.queue
      .pending({ name: JOBS.ingestRecord })
      .map((j) => j.data as IngestRecordJob)
      .filter((j) => j.id === ids[5])
      .map((j) => j.writeDate);
    expect(versions).toContain(odooDate(w.clock.now()));
    // That window is 10,700 records again; when its walk ends, the checkpoint moves to the newest date it saw.
    await pollFlow(w.deps, w.flow.id);
    expect(await w.store.getCheckpoint(key)).toBe(new Date(odooDate(w.clock.now())).toISOString());
  });
});

describe('pollExceptions over many records', () => {
  it('sees every one of 2,000 matching bills, and closes only the active exceptions that really left the domain', async () => {
    const w = buildExceptionWorld();
    const bills = Array.from({ length: 2000 }, () =>
      w.odoo.put('account.move', { move_type: 'in_invoice', state: 'draft', release_to_pay: 'exception' }),
    );
    const gone = w.odoo.put('account.move', { move_type: 'in_invoice', state: 'draft', release_to_pay: 'yes' });
    const onPage3 = await w.exceptions.open(aNewException({ odooId: bills[1200]! }));
    const left = await w.exceptions.open(aNewException({ odooId: gone }));

    expect(await pollExceptions(w.ex, 'bill-variances')).toEqual({ seen: 2000 });

    const jobs = w.queue.pending({ name: EXCEPTION_JOBS.ingest }).map((j) => (j.data as ExceptionIngestJob).id);
    // Every matching bill except the one that already has an active exception.
    expect(jobs).toEqual(bills.filter((id) => id !== bills[1200]));
    expect((await w.exceptions.get(onPage3.item.id))?.status).toBe('open');
    expect((await w.exceptions.get(left.item.id))?.status).toBe('auto_closed');
    expect(await w.store.getCheckpoint(exceptionWalkKey('bill-variances'))).toBeNull();
  });

  it('continues a match set larger than one poll in the next poll, and does not close what it has not reached', async () => {
    const w = buildExceptionWorld();
    const bills = Array.from({ length: PER_POLL + 10 }, () =>
      w.odoo.put('account.move', { move_type: 'in_invoice', state: 'draft', release_to_pay: 'exception' }),
    );
    const last = await w.exceptions.open(aNewException({ odooId: bills[PER_POLL + 5]! }));
    const key = exceptionWalkKey('bill-variances');

    expect(await pollExceptions(w.ex, 'bill-variances')).toEqual({ seen: PER_POLL });
    expect(await w.store.getCheckpoint(key)).toBe(String(bills[PER_POLL - 1]));
    expect((await w.exceptions.get(last.item.id))?.status).toBe('open');

    expect(await pollExceptions(w.ex, 'bill-variances')).toEqual({ seen: 10 });
    expect(await w.store.getCheckpoint(key)).toBe('');
    const jobs = new Set(
      w.queue.pending({ name: EXCEPTION_JOBS.ingest }).map((j) => (j.data as ExceptionIngestJob).id),
    );
    expect(jobs.size).toBe(PER_POLL + 9);
    expect((await w.exceptions.get(last.item.id))?.status).toBe('open');
  });
});
