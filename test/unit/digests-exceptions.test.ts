import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { digestTick } from '../../src/flows/digests/digest-tick.js';
import { DIGEST_TICK_ID, digestKey } from '../../src/flows/digests/jobs.js';
import { sendExceptionDigest } from '../../src/flows/digests/send-exception-digest.js';
import { buildDeps } from '../fakes/build-deps.js';
import { APPROVER_GROUP, aNewException, PEOPLE } from '../fakes/builders.js';
import { InMemoryExceptionStore } from '../fakes/in-memory-exception-store.js';

const { admin, marc, eve } = PEOPLE;
const ref = (p: (typeof PEOPLE)[keyof typeof PEOPLE], tz: string | null = null) => ({
  odooUserId: p.odoo.id,
  name: p.odoo.name,
  email: p.odoo.email,
  tz,
});
const person = (p: (typeof PEOPLE)[keyof typeof PEOPLE]) => ({
  odooUserId: p.odoo.id,
  name: p.odoo.name,
  email: p.odoo.email,
});

/** Brussels is UTC+1 in late November; 2026-11-24 is a Tuesday, working hours 09:00–17:00. */
const policyYaml = (extra = '') => `calendar:
  timeZone: Europe/Brussels
approvals:
  - id: purchase-approval
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    approvers: { odooGroup: ${APPROVER_GROUP} }
    approve: { method: button_approve }
    reject: { method: button_cancel }
    requesterFields: [user_id]
exceptions:
  - id: bill-variances
    type: bill-variance
    title: Vendor bill does not match its purchase order
    owner: { users: [admin@example.com, marc@example.com] }
    slack: { channel: C0EXCEPTIONS }
    sla: 8h
    digest: { at: "08:30" }
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { users: [admin@example.com] }
    slack: { channel: C0EXCEPTIONS }
    digest: { at: "08:30", channel: C0USAGE }
${extra}`;

function world(extra = '') {
  const w = buildDeps({ policyYaml: policyYaml(extra), now: '2026-11-24T08:00:00Z' });
  const exceptions = new InMemoryExceptionStore(w.clock);
  w.deps.exceptions = exceptions;
  w.chat.channels = (id) => w.deps.policy.exceptions?.find((e) => e.id === id)?.slack?.channel ?? null;
  return { w, exceptions };
}

async function tickAt(w: ReturnType<typeof buildDeps>, iso: string) {
  w.clock.set(iso);
  await w.queue.fire(DIGEST_TICK_ID);
  await w.queue.runAll();
}

/**
 * Opened Tuesday 09:00 and 10:00 Brussels: by Wednesday 08:30 they are 8h and
 * 7h old in business time. One is past its SLA (Tuesday 13:00), one has 4h
 * left (Wednesday 13:00), one was escalated by hand, one is snoozed.
 */
async function seed(exceptions: InMemoryExceptionStore, w: ReturnType<typeof buildDeps>) {
  const sla = (dueAt: string, escalated = false) => ({
    dueAt,
    remainingMinutes: null,
    escalated,
    escalatedAt: escalated ? dueAt : null,
  });
  const late = await exceptions.open(aNewException({ sla: sla('2026-11-24T12:00:00.000Z') }));
  w.clock.advance(60 * 60_000);
  const onTime = await exceptions.open(aNewException({ sla: sla('2026-11-25T12:00:00.000Z') }));
  await exceptions.save({ ...onTime.item, status: 'assigned', assignee: person(marc) });
  const escalated = await exceptions.open(
    aNewException({ sla: sla('2026-11-26T12:00:00.000Z', true), escalated: [ref(eve)] }),
  );
  const snoozed = await exceptions.open(aNewException());
  await exceptions.save({ ...snoozed.item, status: 'snoozed', snoozedUntil: '2026-11-30T08:00:00.000Z' });
  return { late: late.item, onTime: onTime.item, escalated: escalated.item };
}

const digestPosts = (w: ReturnType<typeof buildDeps>) =>
  w.chat.posts.filter((p) => p.card.title.startsWith('Daily digest'));

describe('exception digests', () => {
  it('parses `digest` on an exception definition like a flow’s, and names the path of a bad time', () => {
    const policy = parsePolicy(policyYaml());
    expect(policy.exceptions?.[0]?.digest).toEqual({ at: '08:30' });
    expect(policy.exceptions?.[1]?.digest).toEqual({ at: '08:30', channel: 'C0USAGE' });
    expect(() => parsePolicy(policyYaml().replace('"08:30" }', '"8.30" }'))).toThrow(
      /exceptions\[0\]\.digest\.at.*HH:MM/,
    );
  });

  it('posts the open exceptions with owner, age and SLA, and those past it, once a day at its time', async () => {
    const { w, exceptions } = world();
    await w.startWorkers();
    const { late, onTime, escalated } = await seed(exceptions, w);
    await tickAt(w, '2026-11-25T07:29:00Z');
    expect(digestPosts(w)).toHaveLength(0);
    await tickAt(w, '2026-11-25T07:30:00Z');
    expect(digestPosts(w)).toHaveLength(1);
    const { target, card } = digestPosts(w)[0]!;
    expect(target).toEqual({ kind: 'channel', channelId: 'C0EXCEPTIONS' });
    expect(card.title).toBe('Daily digest · Vendor bill does not match its purchase order');
    expect(card.actions).toEqual([]);
    expect(card.facts).toEqual(
      expect.arrayContaining([
        { label: 'Open', value: '3' },
        { label: 'Unassigned', value: '2' },
        { label: 'Past SLA', value: '2' },
        { label: 'Snoozed', value: '1' },
      ]),
    );
    expect(card.status).toEqual({ tone: 'warning', text: '2 exceptions are past SLA' });
    const [open, past] = card.summary.split('\n\n');
    expect(open!.split('\n')).toEqual([
      'Open, oldest first (age in business hours):',
      `1. ${late.reference} · 8h · unassigned (owners: Mitchell Admin) · past SLA by 4h`,
      `2. ${onTime.reference} · 7h · assigned to Marc Demo · SLA in 4h`,
      `3. ${escalated.reference} · 7h · unassigned (owners: Mitchell Admin, Eve Outsider) · escalated`,
    ]);
    expect(past!.split('\n')).toEqual([
      'Past SLA (escalated or overdue):',
      `• ${late.reference} · 8h · unassigned (owners: Mitchell Admin) · past SLA by 4h`,
      `• ${escalated.reference} · 7h · unassigned (owners: Mitchell Admin, Eve Outsider) · escalated`,
    ]);
    expect(card.footer).toContain('`exceptions bill-variances`');
    // Later ticks, retries and other workers: nothing more that day.
    await tickAt(w, '2026-11-25T08:00:00Z');
    expect(await sendExceptionDigest(w.deps, { definitionId: 'bill-variances', date: '2026-11-25' })).toBe(
      'already_sent',
    );
    expect(digestPosts(w)).toHaveLength(1);
    expect(await w.store.getCheckpoint(digestKey.exception('bill-variances', '2026-11-25'))).toMatch(/^sent /);
    // A definition with nothing open is skipped, and remembers it did so.
    expect(await w.store.getCheckpoint(digestKey.exception('usage-sync', '2026-11-25'))).toMatch(/^empty /);
    expect(w.chat.posts.filter((p) => p.target.kind === 'channel' && p.target.channelId === 'C0USAGE')).toEqual([]);
  });

  it('says how many more there are beyond its lines, and goes to the channel `digest.channel` names', async () => {
    const { w, exceptions } = world();
    for (let i = 0; i < 11; i++)
      await exceptions.open(
        aNewException({
          definitionId: 'usage-sync',
          source: 'external',
          key: `evt-${i}`,
          odooModel: null,
          odooId: null,
          reference: null,
          title: `Usage sync failed for customer ${i}`,
          sla: { dueAt: null, remainingMinutes: null, escalated: false, escalatedAt: null },
        }),
      );
    w.clock.set('2026-11-25T07:30:00Z');
    expect(await sendExceptionDigest(w.deps, { definitionId: 'usage-sync', date: '2026-11-25' })).toBe('sent');
    const { target, card } = digestPosts(w)[0]!;
    expect(target).toEqual({ kind: 'channel', channelId: 'C0USAGE' });
    const lines = card.summary.split('\n');
    expect(lines[1]).toBe('1. Usage sync failed for customer 0 · 8h · unassigned (owners: Mitchell Admin)');
    expect(lines).toContain('…and 3 more: `exceptions usage-sync` lists them all.');
    expect(card.status).toEqual({ tone: 'waiting', text: 'Nothing is past its SLA' });
    expect(card.facts).toContainEqual({ label: 'Open', value: '11' });
  });

  it('is not scheduled when the bot runs without exceptions', async () => {
    const w = buildDeps({ policyYaml: policyYaml(), now: '2026-11-25T07:30:00Z' });
    expect((await digestTick(w.deps)).exceptions).toEqual([]);
    expect(await sendExceptionDigest(w.deps, { definitionId: 'bill-variances', date: '2026-11-25' })).toBe(
      'not_configured',
    );
  });
});

describe('morning DMs with exceptions', () => {
  const dm = 'digests:\n  approverDm: { at: "08:00" }\n';

  it('lists the exceptions assigned to a person after their approvals, and DMs someone who has only exceptions', async () => {
    const { w, exceptions } = world(dm);
    await w.startWorkers();
    await w.openCaseFor(w.addOrder());
    await w.queue.runAll();
    w.chat.told.length = 0;
    const { onTime } = await seed(exceptions, w);
    const mine = await exceptions.open(aNewException({ owners: [ref(admin)] }));
    await exceptions.save({ ...mine.item, status: 'assigned', assignee: person(admin) });
    const toldTo = (userId: string) => w.chat.told.filter((t) => t.actor.userId === userId).map((t) => t.text);

    await tickAt(w, '2026-11-25T07:00:00Z'); // 08:00 Brussels
    const [adminText] = toldTo(admin.chat);
    expect(adminText).toMatch(/^Good morning, Mitchell\. 1 approval waits on you, oldest first/);
    expect(adminText).toContain('\n\n1 exception is assigned to you, oldest first (age in business hours):\n');
    expect(adminText).toContain(`\n1. ${mine.item.reference} (bill-variances) · 7h · SLA in `);
    expect(adminText).toMatch(/`\/odoo exceptions mine` for the list\.$/);
    // Marc requested the order, so nothing waits on him to approve; he has an exception.
    const [marcText] = toldTo(marc.chat);
    expect(marcText).toBe(
      [
        'Good morning, Marc. 1 exception is assigned to you, oldest first (age in business hours):',
        `1. ${onTime.reference} (bill-variances) · 7h · SLA in 4h`,
        'Resolve each on its card, or write `/odoo exceptions mine` for the list.',
      ].join('\n'),
    );
    // Eve is only an escalation target of an unassigned exception: nothing is assigned to her.
    expect(toldTo(eve.chat)).toEqual([]);
    await tickAt(w, '2026-11-25T07:30:00Z');
    expect(toldTo(marc.chat)).toHaveLength(1);
  });

  it('sends at the assignee’s own time zone, read from their copy as an owner', async () => {
    const { w, exceptions } = world(dm);
    await w.startWorkers();
    const item = await exceptions.open(aNewException({ owners: [ref(eve, 'America/New_York')] }));
    await exceptions.save({ ...item.item, status: 'assigned', assignee: person(eve) });
    await tickAt(w, '2026-11-25T07:00:00Z');
    expect(w.chat.told).toEqual([]);
    await tickAt(w, '2026-11-25T13:00:00Z'); // 08:00 New York
    expect(w.chat.told.map((t) => t.actor.userId)).toEqual([eve.chat]);
  });

  it('sends nothing to people with neither approvals nor assigned exceptions', async () => {
    const { w, exceptions } = world(dm);
    await w.startWorkers();
    await exceptions.open(aNewException()); // open, not assigned
    await tickAt(w, '2026-11-25T07:00:00Z');
    expect(w.chat.told).toEqual([]);
    expect((await digestTick(w.deps)).approvers).toEqual([]);
  });
});
