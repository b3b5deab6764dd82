import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { digestTick } from '../../src/flows/digests/digest-tick.js';
import { DIGEST_JOBS, DIGEST_QUEUE, DIGEST_TICK_ID, digestKey } from '../../src/flows/digests/jobs.js';
import { sendFlowDigest } from '../../src/flows/digests/send-flow-digest.js';
import { buildDeps } from '../fakes/build-deps.js';
import { APPROVER_GROUP, PEOPLE } from '../fakes/builders.js';
import { FakeChatPlatform } from '../fakes/fake-chat-platform.js';

/** Brussels is UTC+1 in late November: 08:30 there is 07:30Z. 2026-11-25 is a Wednesday. */
const policyYaml = (extra = '') => `calendar:
  timeZone: Europe/Brussels
  holidays: ["2026-12-25"]
approvals:
  - id: purchase-approval
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    approvers: { odooGroup: ${APPROVER_GROUP} }
    approve: { method: button_approve }
    reject: { method: button_cancel }
    requesterFields: [user_id]
    digest: { at: "08:30" }
${extra}`;

async function worldWithOrders(count: number, options: { now?: string; extra?: string } = {}) {
  const w = buildDeps({ policyYaml: policyYaml(options.extra), now: options.now ?? '2026-11-24T08:00:00Z' });
  await w.startWorkers();
  const cases = [];
  for (let i = 0; i < count; i++) {
    cases.push(await w.openCaseFor(w.addOrder()));
    w.clock.advance(60 * 60 * 1000);
  }
  await w.queue.runAll();
  w.chat.posts.length = 0;
  w.chat.told.length = 0;
  return { w, cases };
}

/** One tick of the scheduler at `iso`, then every job it queued. */
async function tickAt(w: ReturnType<typeof buildDeps>, iso: string) {
  w.clock.set(iso);
  await w.queue.fire(DIGEST_TICK_ID);
  await w.queue.runAll();
}

const digests = (w: ReturnType<typeof buildDeps>) => w.chat.posts.filter((p) => p.card.title.startsWith('Daily'));

describe('flow digests', () => {
  it('parses digest settings and names the path of a bad time', () => {
    const policy = parsePolicy(policyYaml('digests:\n  approverDm: { at: "08:00" }\n'));
    expect(policy.approvals[0]!.digest).toEqual({ at: '08:30' });
    expect(policy.digests).toEqual({ approverDm: { at: '08:00' } });
    expect(() => parsePolicy(policyYaml().replace('"08:30"', '"8h30"'))).toThrow(/approvals\[0\]\.digest\.at.*HH:MM/);
  });

  it('registers a minute tick and posts once, at the digest minute in the calendar zone', async () => {
    const { w } = await worldWithOrders(2);
    expect(w.queue.schedulers.get(DIGEST_TICK_ID)).toMatchObject({ queue: DIGEST_QUEUE, everyMs: 60_000 });
    await tickAt(w, '2026-11-25T07:29:00Z');
    expect(digests(w)).toHaveLength(0);
    await tickAt(w, '2026-11-25T07:30:00Z');
    expect(digests(w)).toHaveLength(1);
    const { target, card } = digests(w)[0]!;
    expect(target).toEqual({ kind: 'channel', channelId: 'C0APPROVALS' });
    expect(card.actions).toEqual([]);
    expect(card.kind).toBeUndefined();
    expect(card.facts).toContainEqual({ label: 'Waiting', value: '2' });
    const lines = card.summary.split('\n');
    expect(lines[0]).toMatch(/oldest first/);
    // Opened Tuesday 09:00 and 10:00 Brussels: 8h and 7h of business time by Wednesday 08:30.
    expect(lines[1]).toMatch(/^1\. P\d+ · 1,250\.50 EUR · 8h · waits on Mitchell Admin, Bob Approver$/);
    expect(lines[2]).toMatch(/^2\. P\d+ · .* · 7h · waits on/);
    expect(card.status.tone).toBe('waiting');
    // Later ticks that day, a restart, another worker: nothing more.
    await tickAt(w, '2026-11-25T07:31:00Z');
    await tickAt(w, '2026-11-25T09:00:00Z');
    expect(await sendFlowDigest(w.deps, { flowId: 'purchase-approval', date: '2026-11-25' })).toBe('already_sent');
    expect(digests(w)).toHaveLength(1);
    expect(await w.store.getCheckpoint(digestKey.flow('purchase-approval', '2026-11-25'))).toMatch(/^sent /);
    // The next working day it goes out again.
    await tickAt(w, '2026-11-26T07:35:00Z');
    expect(digests(w)).toHaveLength(2);
  });

  it('skips weekends, holidays and a day whose time passed long ago', async () => {
    const { w } = await worldWithOrders(1, { now: '2026-11-27T08:00:00Z' });
    await tickAt(w, '2026-11-28T07:30:00Z'); // Saturday
    await tickAt(w, '2026-11-29T07:30:00Z'); // Sunday
    await tickAt(w, '2026-12-25T07:30:00Z'); // holiday (Friday)
    await tickAt(w, '2026-11-30T12:00:00Z'); // Monday, 13:00 local: beyond the catch-up window
    expect(digests(w)).toHaveLength(0);
    await tickAt(w, '2026-12-01T08:45:00Z'); // Tuesday 09:45 local: late but still caught up
    expect(digests(w)).toHaveLength(1);
  });

  it('is skipped when nothing waits, and remembers it did so', async () => {
    const { w } = await worldWithOrders(0);
    await tickAt(w, '2026-11-25T07:30:00Z');
    expect(w.chat.posts).toHaveLength(0);
    expect(await w.store.getCheckpoint(digestKey.flow('purchase-approval', '2026-11-25'))).toMatch(/^empty /);
    expect((await digestTick(w.deps)).flows).toEqual([]);
  });

  it('lists escalated and overdue cases under "Past SLA"', async () => {
    const { w, cases } = await worldWithOrders(3);
    const [first, second] = cases;
    const c1 = (await w.store.getCase(first!.id))!;
    await w.store.saveCase({ ...c1, timers: { ...c1.timers, escalated: true } });
    const c2 = (await w.store.getCase(second!.id))!;
    await w.store.saveCase({ ...c2, timers: { ...c2.timers, expireAt: '2026-11-25T07:00:00.000Z' } });
    await tickAt(w, '2026-11-25T07:30:00Z');
    const card = digests(w)[0]!.card;
    expect(card.facts).toContainEqual({ label: 'Past SLA', value: '2' });
    expect(card.status).toEqual({ tone: 'warning', text: '2 approvals are past SLA' });
    const past = card.summary.split('Past SLA (escalated or overdue):\n')[1]!.split('\n');
    expect(past[0]).toContain(c1.snapshot.reference);
    expect(past[0]).toMatch(/· escalated$/);
    expect(past[1]).toContain(c2.snapshot.reference);
    expect(past[1]).toMatch(/· overdue$/);
  });

  it('posts to every platform once, and a retry after a Teams outage does not repeat Slack', async () => {
    const { w } = await worldWithOrders(1, { extra: '' });
    const teams = new FakeChatPlatform('teams');
    teams.channels = () => '19:approvals@thread.tacv2';
    w.deps.chats = [w.chat, teams];
    teams.failNext('postCard');
    await tickAt(w, '2026-11-25T07:30:00Z');
    expect(digests(w)).toHaveLength(1);
    expect(teams.posts).toHaveLength(0);
    await w.queue.runUntilIdle();
    expect(teams.posts).toHaveLength(1);
    expect(teams.posts[0]!.target).toEqual({ kind: 'channel', channelId: '19:approvals@thread.tacv2' });
    expect(digests(w)).toHaveLength(1);
  });
});

describe('approver morning DMs', () => {
  const dm = 'digests:\n  approverDm: { at: "08:00" }\n';

  it('DMs each approver their queue at 08:00 in their own zone, else the calendar zone', async () => {
    const w0 = buildDeps({ policyYaml: policyYaml(dm), now: '2026-11-24T08:00:00Z' });
    w0.addPerson(20, 'Nina York', 'nina@example.com', 'U-NINA', 'America/New_York');
    w0.odoo.setGroup(APPROVER_GROUP, [PEOPLE.admin.odoo.id, PEOPLE.bob.odoo.id, 20]);
    await w0.startWorkers();
    await w0.openCaseFor(w0.addOrder());
    await w0.queue.runAll();
    w0.chat.told.length = 0;
    const toldTo = (userId: string) => w0.chat.told.filter((t) => t.actor.userId === userId);
    await tickAt(w0, '2026-11-25T06:59:00Z');
    expect(w0.chat.told).toHaveLength(0);
    await tickAt(w0, '2026-11-25T07:00:00Z'); // 08:00 Brussels
    expect(toldTo('U-ADMIN')).toHaveLength(1);
    expect(toldTo('U-NINA')).toHaveLength(0);
    const text = toldTo('U-ADMIN')[0]!.text;
    expect(text).toMatch(/^Good morning, Mitchell\. 1 approval waits on you, oldest first/);
    expect(text).toMatch(/\n1\. P\d+ \(purchase-approval\) · 1,250\.50 EUR · 8h\n/);
    expect(text).toContain('`/odoo pending`');
    await tickAt(w0, '2026-11-25T13:00:00Z'); // 08:00 New York
    expect(toldTo('U-NINA')).toHaveLength(1);
    expect(toldTo('U-ADMIN')).toHaveLength(1);
    // Bob has no chat account: nothing to send, and the day is marked so.
    expect(await w0.store.getCheckpoint(digestKey.approver(PEOPLE.bob.odoo.id, '2026-11-25'))).toMatch(/^nowhere /);
    await tickAt(w0, '2026-11-25T13:30:00Z');
    expect(w0.chat.told).toHaveLength(2);
    expect(w0.queue.list({ queue: DIGEST_QUEUE, name: DIGEST_JOBS.approver, state: 'failed' })).toHaveLength(0);
  });

  it('sends nobody anything when nothing waits, and forgets people who approved', async () => {
    const w = buildDeps({ policyYaml: policyYaml(dm), now: '2026-11-24T08:00:00Z' });
    await w.startWorkers();
    await tickAt(w, '2026-11-25T07:00:00Z');
    expect(w.chat.told).toHaveLength(0);
    const c = await w.openCaseFor(w.addOrder());
    await w.queue.runAll();
    const decision = await w.click(c.id, PEOPLE.admin.chat);
    await w.apply(decision.id);
    w.chat.told.length = 0;
    await tickAt(w, '2026-11-26T07:00:00Z');
    expect(w.chat.told).toHaveLength(0);
  });
});
