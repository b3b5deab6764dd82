import { describe, expect, it } from 'vitest';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES } from '../../src/flows/exceptions/jobs.js';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { collect, PAGE_SIZE, pagesOf } from '../../src/flows/paged.js';
import { pollFlow } from '../../src/flows/poll-flow.js';
import type { NewCase } from '../../src/flows/ports.js';
import { reconcile } from '../../src/flows/reconcile.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { aNewException, PEOPLE, PURCHASE } from '../fakes/builders.js';
import { InMemoryExceptionStore } from '../fakes/in-memory-exception-store.js';

const MINUTE = 60_000;

/** Opens `count` cases straight in the store (no Odoo record behind them), as a backlog does. */
async function openCases(w: TestWorld, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const input: NewCase = {
      flowId: w.flow.id,
      odooModel: PURCHASE,
      odooId: 100_000 + i,
      snapshot: {
        reference: `P${100_000 + i}`,
        partner: 'Azure Interior',
        amount: 10,
        currency: 'EUR',
        owner: null,
        date: null,
        state: 'to approve',
        writeDate: null,
        lines: [],
        lineCount: 0,
        url: null,
      },
      requesterIds: [PEOPLE.marc.odoo.id],
      approvers: [{ odooUserId: PEOPLE.admin.odoo.id, name: PEOPLE.admin.odoo.name, email: PEOPLE.admin.odoo.email }],
    };
    await w.store.openCase(input);
  }
}

describe('paging through listings', () => {
  it('reads every row once, also when the last page is exactly full', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: String(i).padStart(4, '0') }));
    const calls: Array<string | undefined> = [];
    const list = async (afterId: string | undefined, limit: number) => {
      calls.push(afterId);
      const start = afterId === undefined ? 0 : rows.findIndex((r) => r.id === afterId) + 1;
      return rows.slice(start, start + limit);
    };
    expect(await collect(pagesOf(list))).toEqual(rows);
    expect(calls).toEqual([undefined, '0499', '0999']);
    expect(await collect(pagesOf(async () => []))).toEqual([]);
  });

  it('reconciles all 5,000 open cases and 1,200 active exceptions, not the first thousand', async () => {
    const w = buildDeps({ now: '2026-11-24T08:00:00Z' });
    const exceptions = new InMemoryExceptionStore(w.clock);
    w.deps.exceptions = exceptions;
    await openCases(w, 5000);
    for (let i = 0; i < 1200; i++) await exceptions.open(aNewException());
    w.clock.advance(2 * MINUTE);

    expect(await reconcile(w.deps)).toEqual({ decisions: 0, cases: 5000 });

    expect(w.queue.pending({ queue: QUEUES.notify, name: JOBS.postCards })).toHaveLength(5000);
    expect(w.queue.pending({ queue: EXCEPTION_QUEUES.work, name: EXCEPTION_JOBS.postCards })).toHaveLength(1200);
    // Each exception's SLA timer is back too.
    expect(w.queue.pending({ queue: EXCEPTION_QUEUES.timers })).toHaveLength(1200);
    expect(PAGE_SIZE).toBeLessThan(1200);
  });

  it('closes every open case whose record left the flow, beyond the first thousand', async () => {
    const w = buildDeps({ now: '2026-11-24T08:00:00Z' });
    await openCases(w, 1200);
    await pollFlow(w.deps, w.flow.id);
    expect(await w.store.listCases({ status: ['open'], limit: 5000 })).toEqual([]);
    expect(await w.store.listCases({ status: ['cancelled'], limit: 5000 })).toHaveLength(1200);
  });
});
