import { describe, expect, it } from 'vitest';
import { JOBS } from '../../src/flows/jobs.js';
import { buildDeps } from '../fakes/build-deps.js';

/**
 * The flow's calendar is Brussels; Kai works in Tokyo (res.users.tz). A
 * reminder due at 15:00 in Brussels is 23:00 in Tokyo: Kai's reminder waits
 * for 09:00 Tokyo time, and is dropped if Kai decided meanwhile.
 */
const ANA = { id: 30, name: 'Ana Brussels', email: 'ana@example.com', chat: 'U-ANA' };
const KAI = { id: 31, name: 'Kai Tokyo', email: 'kai@example.com', chat: 'U-KAI', tz: 'Asia/Tokyo' };

function world() {
  const w = buildDeps({
    now: '2026-11-25T10:00:00.000Z',
    policyYaml: `
calendar:
  timeZone: Europe/Brussels
  workingDays: [mon, tue, wed, thu, fri]
  hours: [{ start: "09:00", end: "17:00" }]
approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    requesterFields: [user_id]
    approve: { method: button_approve }
    reject: { method: button_cancel }
    tiers:
      - name: Approval
        minApprovals: 2
        approvers: { users: [ana@example.com, kai@example.com] }
    timers:
      remind: { after: 4h }
`,
  });
  w.addPerson(ANA.id, ANA.name, ANA.email, ANA.chat);
  w.addPerson(KAI.id, KAI.name, KAI.email, KAI.chat, KAI.tz);
  return w;
}

const remindersTo = (w: ReturnType<typeof world>, chat: string) =>
  w.chat.told.filter((t) => t.actor.userId === chat && t.text.startsWith('Reminder:'));

describe('reminders in each approver’s own working hours', () => {
  it('sends Ana hers at once and holds Kai’s until Tokyo opens', async () => {
    const w = world();
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());
    await w.queue.runAll();
    expect(c.timers.remindAt).toBe('2026-11-25T14:00:00.000Z');

    w.clock.set('2026-11-25T14:00:00.000Z'); // 15:00 Brussels, 23:00 Tokyo
    await w.queue.runAll();
    expect(remindersTo(w, ANA.chat)).toHaveLength(1);
    expect(remindersTo(w, KAI.chat)).toHaveLength(0);
    const held = w.queue.pending({ name: JOBS.remindPerson });
    expect(held).toHaveLength(1);
    // 09:00 Thursday in Tokyo is 00:00 UTC.
    expect(held[0]?.runAt).toBe(Date.parse('2026-11-26T00:00:00.000Z'));

    w.clock.set('2026-11-26T00:00:00.000Z');
    await w.queue.runAll();
    expect(remindersTo(w, KAI.chat)).toHaveLength(1);
  });

  it('drops the held reminder when the approver decided in the meantime', async () => {
    const w = world();
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());
    await w.queue.runAll();
    w.clock.set('2026-11-25T14:00:00.000Z');
    await w.queue.runAll();
    await w.click(c.id, KAI.chat);
    await w.queue.runAll();
    w.clock.set('2026-11-26T00:00:00.000Z');
    await w.queue.runAll();
    expect(remindersTo(w, KAI.chat)).toHaveLength(0);
  });
});
