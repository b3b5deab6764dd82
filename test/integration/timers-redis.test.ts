import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { reconcile } from '../../src/flows/reconcile.js';
import { scheduleTimers, type TimerJob, timerJobId } from '../../src/flows/timers.js';
import type { Case } from '../../src/flows/types.js';
import type { BullMqJobQueue } from '../../src/queue/bullmq-job-queue.js';
import { createJobQueue } from '../../src/queue/create-job-queue.js';
import { registerWorkers } from '../../src/queue/register-workers.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

/**
 * Timers as BullMQ delayed jobs on a real Redis, with everything else in
 * memory. The calendar is working time around the clock, so business time is
 * wall time; deadlines a second away are written on the case directly.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const DAN = { id: 21, name: 'Dan Controller', email: 'dan@example.com', chat: 'U-DAN' };
const CARLA = { id: 20, name: 'Carla CFO', email: 'carla@example.com', chat: 'U-CARLA' };

const POLICY = `
calendar:
  timeZone: UTC
  workingDays: [mon, tue, wed, thu, fri, sat, sun]
  hours: [{ start: "00:00", end: "24:00" }]
approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    requesterFields: [user_id]
    approve: { method: button_approve }
    reject: { method: button_cancel }
    approvers: { users: [admin@example.com, carla@example.com] }
    timers:
      remind: { after: 1h, every: 1h }
      escalate: { after: 2h, to: { users: [dan@example.com] } }
      expire: { after: 1d }`;

interface Harness {
  w: TestWorld;
  queue: BullMqJobQueue;
  prefix: string;
  inspect: Queue;
}

const open: Array<{ queue: BullMqJobQueue; inspect: Queue; stop: () => void; prefix: string }> = [];

async function harness(): Promise<Harness> {
  const prefix = `test-timers-${randomUUID().slice(0, 8)}`;
  const w = buildDeps({ policyYaml: POLICY, now: new Date() });
  w.addPerson(DAN.id, DAN.name, DAN.email, DAN.chat);
  w.addPerson(CARLA.id, CARLA.name, CARLA.email, CARLA.chat);
  const queue = await createJobQueue({ redisUrl: REDIS_URL, prefix });
  // Real delays run on real time.
  w.deps.clock = { now: () => new Date() };
  w.deps.queue = queue;
  const stop = await registerWorkers(w.deps, { pollIntervalMs: 3_600_000, reconcileIntervalMs: 3_600_000 });
  const inspect = new Queue(QUEUES.timers, { connection: { url: REDIS_URL }, prefix });
  open.push({ queue, inspect, stop, prefix });
  return { w, queue, prefix, inspect };
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    h.stop();
    await h.queue.close();
    await h.inspect.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${h.prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Moves one of the case's deadlines to `ms` from now and queues its timer, as openCase would have. */
async function dueIn(w: TestWorld, c: Case, field: 'remindAt' | 'escalateAt', ms: number): Promise<Case> {
  const latest = (await w.store.getCase(c.id))!;
  const saved = await w.store.saveCase({
    ...latest,
    timers: { ...latest.timers, [field]: new Date(Date.now() + ms).toISOString() },
  });
  await scheduleTimers(w.deps, saved!);
  return saved!;
}

async function openedCase(w: TestWorld): Promise<Case> {
  const c = await w.openCaseFor(w.addOrder());
  await waitFor('the channel card', async () => w.chat.posts.length > 0);
  return c;
}

const stateOf = async (h: Harness, id: string) => (await h.inspect.getJob(id))?.getState();

describe('timers on Redis', () => {
  it('a reminder fires as a delayed job, DMs pending approvers and replies under the card', async () => {
    const h = await harness();
    const c = await openedCase(h.w);
    // openCase queued the policy's timers, an hour and more away.
    expect(await stateOf(h, timerJobId(c.id, 0, 'remind', c.timers.remindAt!))).toBe('delayed');

    const soon = await dueIn(h.w, c, 'remindAt', 1000);
    expect(await stateOf(h, timerJobId(c.id, 0, 'remind', soon.timers.remindAt!))).toBe('delayed');
    const entry = await waitFor('case.reminded', async () => h.w.audit.list({ type: 'case.reminded' })[0]);
    expect(entry.data).toEqual({ tier: 'Approval', to: [PEOPLE.admin.odoo.id, CARLA.id], count: 1 });
    expect(h.w.chat.told.map((t) => t.actor.userId).sort()).toEqual([PEOPLE.admin.chat, CARLA.chat].sort());
    expect(h.w.chat.replies).toHaveLength(1);
    // The next reminder is queued an hour later (just after the audit entry is written).
    const after = (await h.w.store.getCase(c.id))!;
    expect(after.timers.reminders).toBe(1);
    const next = timerJobId(c.id, 0, 'remind', after.timers.remindAt!);
    expect(await waitFor('the next reminder job', async () => (await stateOf(h, next)) === 'delayed')).toBe(true);
  });

  it('an escalation adds approvers and sends them the card', async () => {
    const h = await harness();
    const c = await openedCase(h.w);
    await dueIn(h.w, c, 'escalateAt', 1000);
    await waitFor('case.escalated', async () => h.w.audit.list({ type: 'case.escalated' })[0]);
    const after = (await h.w.store.getCase(c.id))!;
    expect(after.tiers[0]!.escalated.map((a) => a.odooUserId)).toEqual([DAN.id]);
    expect(after.approvers.map((a) => a.odooUserId)).toContain(DAN.id);
    await waitFor('the card DMed to Dan', async () =>
      h.w.chat.posts.some((p) => p.target.kind === 'user' && p.target.userId === DAN.chat),
    );
  });

  it('a decision cancels the pending timers, and a late timer job does nothing', async () => {
    const h = await harness();
    const c = await openedCase(h.w);
    const ids = (['remind', 'escalate', 'expire'] as const).map((k) =>
      timerJobId(c.id, 0, k, c.timers[`${k}At` as const]!),
    );
    for (const id of ids) expect(await stateOf(h, id)).toBe('delayed');

    await h.w.click(c.id, PEOPLE.admin.chat);
    await waitFor('the approval', async () => (await h.w.store.getCase(c.id))?.status === 'approved');
    await waitFor('the timers removed', async () => {
      for (const id of ids) if ((await stateOf(h, id)) !== undefined) return false;
      return true;
    });

    // A duplicate of the reminder, due now: it finds the case decided and changes nothing.
    const late: TimerJob = { caseId: c.id, tier: 0, kind: 'remind', dueAt: c.timers.remindAt! };
    await h.queue.enqueue(QUEUES.timers, JOBS.fireTimer, late, { jobId: 'late-remind' });
    await waitFor('the late job to finish', async () => (await stateOf(h, 'late-remind')) === 'completed');
    expect(h.w.audit.list({ type: 'case.reminded' })).toEqual([]);
    expect((await h.w.store.getCase(c.id))!.status).toBe('approved');
  });

  it('after Redis lost its data, the reconciler rebuilds the timers from the stored deadlines', async () => {
    const h = await harness();
    const c = await openedCase(h.w);
    const soon = await dueIn(h.w, c, 'remindAt', 1500);
    const id = timerJobId(c.id, 0, 'remind', soon.timers.remindAt!);
    expect(await stateOf(h, id)).toBe('delayed');

    // Redis is flushed: every key of this deployment's prefix is gone.
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${h.prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    await redis.quit();
    expect(await stateOf(h, id)).toBeUndefined();

    await reconcile(h.w.deps);
    expect(await stateOf(h, id)).toBe('delayed');
    await waitFor('case.reminded', async () => h.w.audit.list({ type: 'case.reminded' })[0]);
    expect(h.w.audit.list({ type: 'case.reminded' })).toHaveLength(1);
  });
});
