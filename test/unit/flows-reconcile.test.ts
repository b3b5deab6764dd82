import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { postCards } from '../../src/flows/post-cards.js';
import { reconcile, STUCK_DECISION_MS } from '../../src/flows/reconcile.js';
import { requestDecision } from '../../src/flows/request-decision.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

const MINUTE = 60_000;

describe('reconcile', () => {
  it('re-queues decisions whose job was lost: old ones under a fresh id, recent clicks under their own id', async () => {
    const w = buildDeps();
    const c1 = await w.openCaseFor(w.addOrder());
    const c2 = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, c1.id);
    await postCards(w.deps, c2.id);
    const stuck = await w.click(c1.id, PEOPLE.admin.chat);
    w.clock.advance(STUCK_DECISION_MS - MINUTE);
    const fresh = await w.click(c2.id, PEOPLE.admin.chat);
    w.clock.advance(3 * MINUTE);
    w.queue.clear(); // the queue lost its data

    expect(await reconcile(w.deps)).toEqual({ decisions: 2, cases: 0 });

    const bucket = Math.floor(w.clock.now().getTime() / STUCK_DECISION_MS);
    expect(
      w.queue
        .pending({ queue: QUEUES.decisions })
        .map((j) => j.id)
        .sort(),
    ).toEqual([`decide-${stuck.id}-r-${bucket}`, `decide-${fresh.id}`].sort());

    // Running again in the same half hour queues nothing new.
    await reconcile(w.deps);
    expect(w.queue.pending({ queue: QUEUES.decisions })).toHaveLength(2);
  });

  it('leaves a click of the last two minutes alone: its own job is still on its way', async () => {
    const w = buildDeps();
    const c = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, c.id);
    await w.click(c.id, PEOPLE.admin.chat);
    w.queue.clear();
    w.clock.advance(MINUTE);
    expect(await reconcile(w.deps)).toEqual({ decisions: 0, cases: 0 });
  });

  it('a click stored while the queue is down is applied once the reconciler queues it', async () => {
    const w = buildDeps();
    const c = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, c.id);
    const down = {
      ...w.deps,
      queue: {
        ...w.deps.queue,
        enqueue: async () => {
          throw new AppError('queue.unavailable', 'transient', 'Redis is not answering');
        },
      } as typeof w.deps.queue,
    };
    const r = await requestDecision(
      down,
      {
        caseId: c.id,
        idempotencyKey: 'slack.T.U.approve.1',
        action: 'approve',
        actor: w.actor(PEOPLE.admin.chat),
        reason: null,
        cardWriteDate: c.snapshot.writeDate,
      },
      {},
    );
    expect(r).toMatchObject({ created: true, queued: false });
    expect(w.queue.pending({ queue: QUEUES.decisions })).toHaveLength(0);

    w.clock.advance(3 * MINUTE);
    await w.startWorkers();
    await reconcile(w.deps);
    await w.queue.runUntilIdle();
    expect((await w.store.getDecision(r.decision.id))?.status).toBe('applied');
    expect(w.odoo.record(c.odooModel, c.odooId)?.state).toBe('purchase');
  });

  it('re-queues the cards of open cases that have none posted, after a minute', async () => {
    const w = buildDeps();
    const unposted = await w.openCaseFor(w.addOrder());
    const posted = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, posted.id);
    const closed = await w.openCaseFor(w.addOrder());
    await w.store.setCaseStatus(closed.id, 'cancelled');
    w.clock.advance(2 * MINUTE);
    const brandNew = await w.openCaseFor(w.addOrder());
    w.queue.clear();

    expect(await reconcile(w.deps)).toEqual({ decisions: 0, cases: 1 });

    const bucket = Math.floor(w.clock.now().getTime() / STUCK_DECISION_MS);
    expect(w.queue.pending()).toEqual([
      expect.objectContaining({ name: JOBS.postCards, id: `post-${unposted.id}-r-${bucket}` }),
    ]);
    expect(brandNew.status).toBe('open');
  });

  it('ignores decisions that are already final', async () => {
    const w = buildDeps();
    const c = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, c.id);
    const d = await w.click(c.id, PEOPLE.admin.chat);
    await w.apply(d.id);
    w.clock.advance(STUCK_DECISION_MS * 2);

    expect(await reconcile(w.deps)).toEqual({ decisions: 0, cases: 0 });
  });
});
