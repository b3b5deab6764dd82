import { describe, expect, it } from 'vitest';
import { fireTimer } from '../../src/flows/fire-timer.js';
import { QUEUES } from '../../src/flows/jobs.js';
import { reconcile } from '../../src/flows/reconcile.js';
import { type TimerJob, timerJobId } from '../../src/flows/timers.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

/**
 * Timers check the case when they fire: a decision, a tier change or a moved
 * deadline makes an old timer do nothing; lost timers come back from the
 * stored deadlines. Clock: Wednesday 25 November 2026, 10:00 UTC; calendar
 * UTC, Mon–Fri 09:00–17:00.
 */

const CARLA = { id: 20, name: 'Carla CFO', email: 'carla@example.com', chat: 'U-CARLA' };

function world(tiersYaml: string, flowTimers = '      remind: { after: 4h, every: 1h }') {
  const w = buildDeps({
    policyYaml: `
approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    requesterFields: [user_id]
    approve: { method: button_approve }
    reject: { method: button_cancel }
    timers:
${flowTimers}
    tiers:
${tiersYaml}`,
  });
  w.addPerson(CARLA.id, CARLA.name, CARLA.email, CARLA.chat);
  return w;
}

const ONE_TIER = `
      - name: Approval
        approvers: { users: [admin@example.com, carla@example.com] }`;
const TWO_TIERS = `
      - name: Manager
        approvers: { users: [admin@example.com] }
      - name: Finance
        approvers: { users: [carla@example.com] }`;

const ALL_TIMERS = `      remind: { after: 4h, every: 1h }
      escalate: { after: 1d, to: { users: [eve@example.com] } }
      expire: { after: 5d }`;

async function opened(w: TestWorld) {
  await w.startWorkers();
  const c = await w.openCaseFor(w.addOrder());
  await w.queue.runAll();
  return c;
}

const timerJobs = (w: TestWorld) => w.queue.pending({ queue: QUEUES.timers });
const fired = (w: TestWorld) => [
  ...w.audit.list({ type: 'case.reminded' }),
  ...w.audit.list({ type: 'case.escalated' }),
  ...w.audit.list({ type: 'case.expired' }),
];

describe('a decision cancels pending timers', () => {
  it('removes the delayed jobs, and a timer that fires anyway does nothing', async () => {
    const w = world(ONE_TIER, ALL_TIMERS);
    const c = await opened(w);
    expect(timerJobs(w).map((j) => (j.data as TimerJob).kind)).toEqual(['remind', 'escalate', 'expire']);
    expect(timerJobs(w).map((j) => j.id)).toEqual(
      (['remind', 'escalate', 'expire'] as const).map((k) =>
        timerJobId(c.id, 0, k, c.timers[`${k}At` as 'remindAt' | 'escalateAt' | 'expireAt']!),
      ),
    );

    await w.click(c.id, PEOPLE.admin.chat);
    await w.queue.runAll();
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
    expect(timerJobs(w)).toEqual([]);

    // A late or duplicate job (e.g. one the cancel missed) checks the state and does nothing.
    const toldBefore = w.chat.told.length;
    for (const kind of ['remind', 'escalate', 'expire'] as const)
      await fireTimer(w.deps, { caseId: c.id, tier: 0, kind, dueAt: c.timers[`${kind}At`]! });
    expect(fired(w)).toEqual([]);
    expect(w.chat.told).toHaveLength(toldBefore);
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
    await w.queue.runUntilIdle();
    expect(fired(w)).toEqual([]);
  });

  it('a rejection cancels them too', async () => {
    const w = world(ONE_TIER, ALL_TIMERS);
    const c = await opened(w);
    await w.click(c.id, PEOPLE.admin.chat, { action: 'reject', reason: 'no' });
    await w.queue.runAll();
    expect(timerJobs(w)).toEqual([]);
    await w.queue.runUntilIdle();
    expect(fired(w)).toEqual([]);
  });
});

describe('timers of an older tier or an old deadline', () => {
  it('do nothing, and the new tier gets its own timers', async () => {
    const w = world(TWO_TIERS);
    const c = await opened(w);
    expect(c.timers.remindAt).toBe('2026-11-25T14:00:00.000Z');
    w.clock.set('2026-11-25T11:00:00.000Z');
    await w.click(c.id, PEOPLE.admin.chat);
    await w.queue.runAll();
    const moved = (await w.store.getCase(c.id))!;
    expect(moved.currentTier).toBe(1);
    // Counted from when the tier started: 11:00 + 4h.
    expect(moved.timers).toMatchObject({ remindAt: '2026-11-25T15:00:00.000Z', reminders: 0 });
    expect(timerJobs(w).map((j) => j.data)).toEqual([
      { caseId: c.id, tier: 1, kind: 'remind', dueAt: '2026-11-25T15:00:00.000Z' },
    ]);

    w.clock.set('2026-11-25T14:00:00.000Z');
    await fireTimer(w.deps, { caseId: c.id, tier: 0, kind: 'remind', dueAt: c.timers.remindAt! });
    await fireTimer(w.deps, { caseId: c.id, tier: 1, kind: 'remind', dueAt: '2026-11-25T14:30:00.000Z' });
    await fireTimer(w.deps, { caseId: c.id, tier: 1, kind: 'escalate', dueAt: '2026-11-25T14:00:00.000Z' });
    expect(fired(w)).toEqual([]);
    expect((await w.store.getCase(c.id))!.version).toBe(moved.version);

    w.clock.set('2026-11-25T15:00:00.000Z');
    await w.queue.runAll();
    expect(w.audit.list({ type: 'case.reminded' }).map((e) => e.data)).toEqual([
      { tier: 'Finance', to: [CARLA.id], count: 1 },
    ]);
    expect(w.chat.told.filter((t) => t.text.startsWith('Reminder:')).map((t) => t.actor.userId)).toEqual([CARLA.chat]);
  });

  it("a tier's own timers override the flow's", async () => {
    const w = world(
      `
      - name: Manager
        approvers: { users: [admin@example.com] }
      - name: Finance
        approvers: { users: [carla@example.com] }
        timers:
          remind: { after: 1h }
          expire: { after: 2h, outcome: close }`,
    );
    const c = await opened(w);
    expect(c.timers).toMatchObject({ remindAt: '2026-11-25T14:00:00.000Z', expireAt: null });
    await w.click(c.id, PEOPLE.admin.chat);
    await w.queue.runAll();
    const moved = (await w.store.getCase(c.id))!;
    // Finance: remind 1h after the tier started; expiry counts from when the case opened.
    expect(moved.timers).toMatchObject({
      remindAt: '2026-11-25T11:00:00.000Z',
      escalateAt: null,
      expireAt: '2026-11-25T12:00:00.000Z',
    });
    await w.queue.runUntilIdle();
    expect(w.audit.list({ type: 'case.reminded' })).toHaveLength(1);
    expect((await w.store.getCase(c.id))!.status).toBe('expired');
  });
});

describe('reconcile', () => {
  it('re-queues timers from the stored deadlines when the queue lost them, without duplicating', async () => {
    const w = world(ONE_TIER, ALL_TIMERS);
    const c = await opened(w);
    const before = timerJobs(w).map((j) => ({ id: j.id, runAt: j.runAt, data: j.data }));
    w.queue.clear();
    w.clock.set('2026-11-25T12:00:00.000Z');

    await reconcile(w.deps);
    expect(timerJobs(w).map((j) => ({ id: j.id, runAt: j.runAt, data: j.data }))).toEqual(before);
    await reconcile(w.deps);
    expect(timerJobs(w)).toHaveLength(3);

    w.clock.set(c.timers.remindAt!);
    await w.queue.runAll();
    expect(w.audit.list({ type: 'case.reminded' })).toHaveLength(1);
  });

  it('a deadline that passed while the queue was down fires at once', async () => {
    const w = world(ONE_TIER);
    const c = await opened(w);
    w.queue.clear();
    w.clock.set('2026-11-25T16:00:00.000Z'); // two hours late
    await reconcile(w.deps);
    await w.queue.runAll();
    expect(w.audit.list({ type: 'case.reminded' })).toHaveLength(1);
    // The next one is an hour of working time from now, not from the missed deadline.
    expect((await w.store.getCase(c.id))!.timers.remindAt).toBe('2026-11-25T17:00:00.000Z');
  });
});
