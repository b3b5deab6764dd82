import { describe, expect, it } from 'vitest';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

const CHANNEL = 'C0APPROVALS';

/**
 * Reminders, escalation and expiry in business hours: Brussels, Mon–Fri
 * 09:00–17:00, Thursday 26 November 2026 a holiday. The clock starts on
 * Wednesday 25 November 2026 at 11:00 in Brussels (10:00 UTC).
 */

const CARLA = { id: 20, name: 'Carla CFO', email: 'carla@example.com', chat: 'U-CARLA' };
const DAN = { id: 21, name: 'Dan Controller', email: 'dan@example.com', chat: 'U-DAN' };

function timerWorld(timersYaml: string, approversYaml = 'users: [admin@example.com, carla@example.com]') {
  const w = buildDeps({
    policyYaml: `
calendar:
  timeZone: Europe/Brussels
  workingDays: [mon, tue, wed, thu, fri]
  hours: [{ start: "09:00", end: "17:00" }]
  holidays: ["2026-11-26"]
approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: ${CHANNEL} }
    requesterFields: [user_id]
    approve: { method: button_approve }
    reject: { method: button_cancel }
    tiers:
      - name: Approval
        minApprovals: 2
        approvers: { ${approversYaml} }
    timers:
${timersYaml}`,
  });
  for (const p of [CARLA, DAN]) w.addPerson(p.id, p.name, p.email, p.chat);
  return w;
}

async function opened(w: TestWorld) {
  await w.startWorkers();
  const c = await w.openCaseFor(w.addOrder());
  await w.queue.runAll(); // cards
  return c;
}

/** Moves the clock to `iso` and runs whatever came due. */
async function at(w: TestWorld, iso: string) {
  w.clock.set(iso);
  await w.queue.runAll();
}

const reminders = (w: TestWorld) => w.chat.told.filter((t) => t.text.startsWith('Reminder:'));

describe('reminders', () => {
  it('come after 4 business hours, then every working day, skipping the night, the weekend and holidays', async () => {
    const w = timerWorld('      remind: { after: 4h, every: 1d }');
    const c = await opened(w);
    // 11:00 + 4h = 15:00 Brussels = 14:00 UTC the same day.
    expect(c.timers).toMatchObject({ remindAt: '2026-11-25T14:00:00.000Z', escalateAt: null, expireAt: null });
    expect(w.queue.pending({ queue: QUEUES.timers })).toEqual([
      expect.objectContaining({
        name: JOBS.fireTimer,
        data: { caseId: c.id, tier: 0, kind: 'remind', dueAt: '2026-11-25T14:00:00.000Z' },
        runAt: Date.parse('2026-11-25T14:00:00.000Z'),
      }),
    ]);

    // Admin approves first: only Carla is still pending.
    await w.click(c.id, PEOPLE.admin.chat);
    await w.queue.runAll();

    await at(w, '2026-11-25T13:59:00.000Z');
    expect(reminders(w)).toEqual([]);

    await at(w, '2026-11-25T14:00:00.000Z');
    expect(reminders(w)).toEqual([
      expect.objectContaining({
        actor: { platform: 'slack', userId: CARLA.chat },
        text: expect.stringMatching(/has waited 4 business hours for Carla CFO\. Please approve or reject/),
      }),
    ]);
    const reminderReplies = w.chat.replies.filter((r) => r.text.startsWith('Reminder:'));
    expect(reminderReplies).toEqual([
      expect.objectContaining({ ref: expect.objectContaining({ kind: 'channel', channelId: CHANNEL }) }),
    ]);
    expect(reminderReplies[0]!.text).toMatch(/^Reminder: P\d+ has waited 4 business hours for Carla CFO\.$/);
    expect(w.audit.list({ type: 'case.reminded' }).map((e) => e.data)).toEqual([
      { tier: 'Approval', to: [CARLA.id], count: 1 },
    ]);
    // Next: 2h left on Wednesday, Thursday is a holiday, 6h on Friday → Friday 15:00 Brussels.
    const after1 = (await w.store.getCase(c.id))!;
    expect(after1.timers).toMatchObject({ remindAt: '2026-11-27T14:00:00.000Z', reminders: 1 });

    await at(w, '2026-11-26T14:00:00.000Z'); // the holiday: nothing
    expect(reminders(w)).toHaveLength(1);

    await at(w, '2026-11-27T14:00:00.000Z');
    expect(reminders(w)).toHaveLength(2);
    expect(w.audit.list({ type: 'case.reminded' }).at(-1)!.data).toMatchObject({ count: 2 });
    // Friday 15:00 + 8h: 2h on Friday, the weekend, 6h on Monday → Monday 15:00 Brussels.
    expect((await w.store.getCase(c.id))!.timers).toMatchObject({ remindAt: '2026-11-30T14:00:00.000Z', reminders: 2 });
  });

  it('without every, remind once', async () => {
    const w = timerWorld('      remind: { after: 4h }');
    const c = await opened(w);
    await at(w, '2026-11-25T14:00:00.000Z');
    expect(reminders(w).map((t) => t.actor.userId)).toEqual([PEOPLE.admin.chat, CARLA.chat]);
    expect((await w.store.getCase(c.id))!.timers.remindAt).toBeNull();
    expect(w.queue.pending({ queue: QUEUES.timers })).toEqual([]);
  });
});

describe('escalation', () => {
  it('adds approvers after 2 business days, DMs them a card, and the original approvers keep the right', async () => {
    const w = timerWorld('      escalate: { after: 2d, to: { users: [dan@example.com] } }');
    const c = await opened(w);
    // Wednesday 6h, Thursday holiday, Friday 8h, Monday 2h → Monday 30 November 11:00 Brussels.
    expect(c.timers.escalateAt).toBe('2026-11-30T10:00:00.000Z');

    await at(w, '2026-11-30T09:59:00.000Z');
    expect(w.audit.list({ type: 'case.escalated' })).toEqual([]);

    await at(w, '2026-11-30T10:00:00.000Z');
    const escalated = (await w.store.getCase(c.id))!;
    expect(escalated.tiers[0]!.escalated).toEqual([
      expect.objectContaining({ odooUserId: DAN.id, via: 'escalation (named in the policy)' }),
    ]);
    expect(escalated.approvers.map((a) => a.odooUserId)).toEqual([PEOPLE.admin.odoo.id, CARLA.id, DAN.id]);
    expect(escalated.timers).toMatchObject({ escalateAt: null, escalated: true });
    expect(w.audit.list({ type: 'case.escalated' })[0]!.data).toEqual({ tier: 'Approval', added: [DAN.id] });
    expect(w.queue.list({ name: JOBS.postCards }).map((j) => j.id)).toContain(`post-${c.id}-escalated-0`);
    expect(w.chat.posts.filter((p) => p.target.kind === 'user').map((p) => p.ref.recipient)).toEqual([
      PEOPLE.admin.chat,
      CARLA.chat,
      DAN.chat,
    ]);
    expect(w.chat.replies.at(-1)!.text).toMatch(/Escalated after 16 business hours: Dan Controller can now decide/);

    // The escalation target and the original approvers may all decide.
    await w.click(c.id, DAN.chat);
    await w.click(c.id, PEOPLE.admin.chat);
    await w.queue.runAll();
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
    expect(w.odoo.methodCalls.map((m) => m.method)).toEqual(['button_approve']);
  });

  it("escalates to the manager's manager (manager levels: 2)", async () => {
    const w = timerWorld('      escalate: { after: 4h, to: { manager: { levels: 2 } } }');
    w.directory.setManager(PEOPLE.marc.odoo.id, CARLA.id).setManager(CARLA.id, DAN.id);
    const c = await opened(w);
    await at(w, c.timers.escalateAt!);
    const after = (await w.store.getCase(c.id))!;
    expect(after.tiers[0]!.escalated.map((a) => a.odooUserId)).toEqual([DAN.id]);
  });
});

describe('expiry', () => {
  it('outcome close: closes the case as expired after 10 business days, never approving', async () => {
    const w = timerWorld('      expire: { after: 10d, outcome: close }');
    const c = await opened(w);
    // 80 working hours from Wednesday 11:00, without the holiday → Thursday 10 December 11:00 Brussels.
    expect(c.timers.expireAt).toBe('2026-12-10T10:00:00.000Z');
    await at(w, '2026-12-10T10:00:00.000Z');
    const closed = (await w.store.getCase(c.id))!;
    expect(closed.status).toBe('expired');
    expect(closed.timers).toMatchObject({ remindAt: null, escalateAt: null, expireAt: null });
    expect(w.odoo.methodCalls).toEqual([]);
    expect(w.odoo.notes.at(-1)!.html).toMatch(/was closed as expired by odoo-chatops/);
    expect(w.audit.list({ type: 'case.expired' })[0]!.data).toEqual({ outcome: 'expired' });
    expect(w.chat.replies.at(-1)!.text).toMatch(/closed as expired: nobody decided in time\. Nothing was approved\./);

    // A click after expiry changes nothing.
    const d = await w.click(c.id, PEOPLE.admin.chat);
    await w.queue.runAll();
    expect((await w.store.getDecision(d.id))!.status).toBe('superseded');
    expect(w.odoo.methodCalls).toEqual([]);
  });

  it('outcome reject: calls the flow reject method', async () => {
    const w = timerWorld('      expire: { after: 10d, outcome: reject }');
    const c = await opened(w);
    await at(w, c.timers.expireAt!);
    expect(w.odoo.methodCalls).toEqual([expect.objectContaining({ method: 'button_cancel', ids: [c.odooId] })]);
    expect((await w.store.getCase(c.id))!.status).toBe('rejected');
    expect(w.odoo.notes.at(-1)!.html).toMatch(/was rejected automatically by odoo-chatops/);
    expect(w.audit.list({ type: 'case.expired' })[0]!.data).toEqual({ outcome: 'rejected' });
  });
});
