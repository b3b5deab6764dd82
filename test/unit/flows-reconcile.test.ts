import { describe, expect, it } from 'vitest';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { postCards } from '../../src/flows/post-cards.js';
import { reconcile, STUCK_DECISION_MS } from '../../src/flows/reconcile.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

const MINUTE = 60_000;

describe('reconcile', () => {
  it('re-queues decisions untouched for over 30 minutes and leaves fresh ones alone', async () => {
    const w = buildDeps();
    const c1 = await w.openCaseFor(w.addOrder());
    const c2 = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, c1.id);
    await postCards(w.deps, c2.id);
    const stuck = await w.click(c1.id, PEOPLE.admin.chat);
    w.clock.advance(STUCK_DECISION_MS - MINUTE);
    const fresh = await w.click(c2.id, PEOPLE.admin.chat);
    w.clock.advance(2 * MINUTE);
    w.queue.clear(); // the queue lost its data

    expect(await reconcile(w.deps)).toEqual({ decisions: 1, cases: 0 });

    const bucket = Math.floor(w.clock.now().getTime() / STUCK_DECISION_MS);
    expect(w.queue.pending({ queue: QUEUES.decisions })).toEqual([
      expect.objectContaining({
        name: JOBS.applyDecision,
        id: `decide-${stuck.id}-r-${bucket}`,
        data: { decisionId: stuck.id, context: {} },
      }),
    ]);
    expect(w.queue.pending().some((j) => JSON.stringify(j.data).includes(fresh.id))).toBe(false);

    // Running again in the same half hour queues nothing new.
    await reconcile(w.deps);
    expect(w.queue.pending({ queue: QUEUES.decisions })).toHaveLength(1);
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
