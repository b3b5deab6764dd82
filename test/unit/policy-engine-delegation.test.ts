import { describe, expect, it } from 'vitest';
import type { NewDelegation } from '../../src/flows/ports.js';
import { MAX_DELEGATION_HOPS, withDelegates } from '../../src/flows/resolve-approvers.js';
import { startOfDayIn } from '../../src/flows/start-of-day.js';
import type { ApproverRef } from '../../src/flows/types.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

/** Delegation from chat and from the policy file: who may decide, on whose behalf, for how long. */

const CARLA = { id: 20, name: 'Carla CFO', email: 'carla@example.com', chat: 'U-CARLA' };
const DAN = { id: 21, name: 'Dan Controller', email: 'dan@example.com', chat: 'U-DAN' };
const FAY = { id: 22, name: 'Fay Finance', email: 'fay@example.com', chat: 'U-FAY' };
const GUS = { id: 23, name: 'Gus Group', email: 'gus@example.com', chat: 'U-GUS' };
const HAL = { id: 24, name: 'Hal Helper', email: 'hal@example.com', chat: 'U-HAL' };
const HOUR = 3600_000;
const DAY = 24 * HOUR;

function world(flowYaml = '    approvers: { users: [carla@example.com] }', top = '', now?: string): TestWorld {
  const w = buildDeps({
    now,
    policyYaml: `
${top}
approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    requesterFields: [user_id]
    approve: { method: button_approve }
    reject: { method: button_cancel }
${flowYaml}`,
  });
  for (const p of [CARLA, DAN, FAY, GUS, HAL]) w.addPerson(p.id, p.name, p.email, p.chat);
  return w;
}

type Person = typeof CARLA;

async function delegate(w: TestWorld, from: Person, to: Person, window: Partial<NewDelegation> = {}) {
  const now = w.clock.now().getTime();
  return w.store.addDelegation({
    fromOdooUserId: from.id,
    fromName: from.name,
    toOdooUserId: to.id,
    toName: to.name,
    startsAt: new Date(now - HOUR),
    endsAt: new Date(now + 7 * DAY),
    source: 'chat',
    createdBy: `slack:${from.chat}`,
    ...window,
  });
}

const carlaRef: ApproverRef = { odooUserId: CARLA.id, name: CARLA.name, email: CARLA.email, via: 'named' };
const delegatesOf = async (w: TestWorld) =>
  (await withDelegates(w.deps, [carlaRef])).map((a) => [a.odooUserId, a.onBehalfOf?.odooUserId ?? null]);

describe('chat delegations', () => {
  it('make the delegate an approver on behalf of the original, with chatter and audit naming both', async () => {
    const w = world();
    await w.startWorkers();
    await delegate(w, CARLA, DAN);
    const c = await w.openCaseFor(w.addOrder());
    const dan = c.approvers.find((a) => a.odooUserId === DAN.id)!;
    expect(dan).toMatchObject({
      email: DAN.email,
      onBehalfOf: { odooUserId: CARLA.id, name: CARLA.name },
      via: 'delegate of Carla CFO',
    });
    await w.queue.runUntilIdle();
    // Delegates receive the cards.
    expect(w.chat.posts.some((p) => p.target.kind === 'user' && p.target.userId === DAN.chat)).toBe(true);

    const d = await w.click(c.id, DAN.chat);
    await w.queue.runUntilIdle();
    expect((await w.store.getDecision(d.id))!.status).toBe('applied');
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
    const approval = (await w.store.getCase(c.id))!.tiers[0]!.approvals[0]!;
    expect(approval).toMatchObject({ odooUserId: DAN.id, onBehalfOf: { odooUserId: CARLA.id, name: CARLA.name } });
  });

  // Known bug, outside this suite's files: applyDecision builds the final chatter note
  // (and the decision.applied audit) from the case it read before checkDecision added
  // the approval, so "on behalf of" is lost on a delegate's final approval. Fix in
  // apply-decision.ts: re-read the case after checkDecision claims it. Remove `.fails` then.
  it("the final approval's chatter note and audit name on whose behalf the delegate acted", async () => {
    const w = world();
    await w.startWorkers();
    await delegate(w, CARLA, DAN);
    const c = await w.openCaseFor(w.addOrder());
    await w.click(c.id, DAN.chat);
    await w.queue.runUntilIdle();
    expect(w.odoo.notes.at(-1)!.html).toMatch(/by <b>Dan Controller<\/b> on behalf of <b>Carla CFO<\/b>/);
    expect(w.audit.list({ type: 'decision.applied' })[0]!.data).toMatchObject({
      onBehalfOf: { odooUserId: CARLA.id, name: CARLA.name },
    });
  });

  it('a delegate approving a non-final tier is audited and noted on behalf of the approver', async () => {
    const w = world(`    tiers:
      - name: Finance
        approvers: { users: [carla@example.com] }
      - name: Board
        approvers: { users: [admin@example.com] }`);
    await w.startWorkers();
    await delegate(w, CARLA, DAN);
    const c = await w.openCaseFor(w.addOrder());
    await w.click(c.id, DAN.chat);
    await w.queue.runUntilIdle();
    expect(w.audit.list({ type: 'approval.counted' })[0]!.data).toMatchObject({
      odooUserId: DAN.id,
      odooUserName: DAN.name,
      onBehalfOf: { odooUserId: CARLA.id, name: CARLA.name },
    });
    expect(w.odoo.notes[0]!.html).toMatch(/by <b>Dan Controller<\/b> on behalf of <b>Carla CFO<\/b>/);
  });

  it("a delegate's approval does not count twice for the same approver in an N-of-M tier", async () => {
    const w = world(`    tiers:
      - name: Board
        minApprovals: 2
        approvers: { users: [carla@example.com, admin@example.com] }`);
    await w.startWorkers();
    await delegate(w, CARLA, DAN);
    const c = await w.openCaseFor(w.addOrder());
    await w.click(c.id, CARLA.chat);
    await w.queue.runUntilIdle();
    // Dan may act only for Carla, who has approved already: not a second distinct approval.
    const d = await w.click(c.id, DAN.chat);
    await w.queue.runUntilIdle();
    expect((await w.store.getDecision(d.id))!.status).toBe('refused');
    expect(w.audit.list({ type: 'decision.refused' }).map((e) => e.data.code)).toEqual(['policy.already_approved']);
    expect((await w.store.getCase(c.id))!.status).toBe('open');
    expect(w.odoo.methodCalls).toEqual([]);
    await w.click(c.id, PEOPLE.admin.chat);
    await w.queue.runUntilIdle();
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
  });

  it('a delegation that ends while the case is open stops the delegate from deciding', async () => {
    const w = world();
    await w.startWorkers();
    const now = w.clock.now().getTime();
    await delegate(w, CARLA, DAN, { endsAt: new Date(now + DAY) });
    const c = await w.openCaseFor(w.addOrder());
    expect(c.approvers.some((a) => a.odooUserId === DAN.id)).toBe(true);
    w.clock.advance(2 * DAY);
    const d = await w.click(c.id, DAN.chat);
    await w.queue.runAll();
    expect((await w.store.getDecision(d.id))!.status).toBe('refused');
    expect(w.audit.list({ type: 'decision.refused' }).map((e) => e.data.code)).toEqual(['policy.delegation_ended']);
    expect((await w.store.getDecision(d.id))!.outcome).toMatch(/delegation from Carla CFO has ended/);
    expect(w.odoo.methodCalls).toEqual([]);
  });

  it('a delegation that ended (or has not started) is ignored', async () => {
    const w = world();
    const now = w.clock.now().getTime();
    await delegate(w, CARLA, DAN, { startsAt: new Date(now - 3 * DAY), endsAt: new Date(now - DAY) });
    await delegate(w, CARLA, FAY, { startsAt: new Date(now + DAY), endsAt: new Date(now + 3 * DAY) });
    const c = await w.openCaseFor(w.addOrder());
    expect(c.approvers.map((a) => a.odooUserId)).toEqual([CARLA.id]);
    await w.startWorkers();
    const d = await w.click(c.id, DAN.chat);
    await w.queue.runUntilIdle();
    expect((await w.store.getDecision(d.id))!.status).toBe('refused');
    expect(w.audit.list({ type: 'decision.refused' })[0]!.data.code).toBe('policy.not_approver');
  });

  it(`follows chains up to ${MAX_DELEGATION_HOPS} hops, all on behalf of the original approver`, async () => {
    const w = world();
    await delegate(w, CARLA, DAN);
    await delegate(w, DAN, FAY);
    await delegate(w, FAY, GUS);
    await delegate(w, GUS, HAL); // a fourth hop: too far
    expect(await delegatesOf(w)).toEqual([
      [CARLA.id, null],
      [DAN.id, CARLA.id],
      [FAY.id, CARLA.id],
      [GUS.id, CARLA.id],
    ]);
  });

  it('stops at loops (A → B → A)', async () => {
    const w = world();
    await delegate(w, CARLA, DAN);
    await delegate(w, DAN, CARLA);
    await delegate(w, DAN, FAY);
    await delegate(w, FAY, DAN);
    expect(await delegatesOf(w)).toEqual([
      [CARLA.id, null],
      [DAN.id, CARLA.id],
      [FAY.id, CARLA.id],
    ]);
  });
});

describe('standing delegations from the policy file', () => {
  const TOP = `calendar:
  timeZone: Europe/Brussels
delegations:
  - { from: carla@example.com, to: dan@example.com, start: "2026-11-26", until: "2026-11-27" }`;

  // Europe/Brussels is UTC+1 in November: the 26th starts at 25th 23:00 UTC, the 27th ends at 27th 23:00 UTC.
  it.each([
    ['2026-11-25T22:59:00Z', false],
    ['2026-11-25T23:00:00Z', true],
    ['2026-11-27T22:59:00Z', true],
    ['2026-11-27T23:00:00Z', false],
  ])('at %s the delegate is in: %s', async (now, active) => {
    const w = world(undefined, TOP, now);
    const c = await w.openCaseFor(w.addOrder());
    const dan = c.approvers.find((a) => a.odooUserId === DAN.id);
    expect(dan?.onBehalfOf?.odooUserId ?? null).toBe(active ? CARLA.id : null);
  });

  it('uses real local midnight on the days clocks change', () => {
    // Clocks go forward on 29 March 2026 at 02:00 and back on 25 October 2026 at 03:00 in Brussels.
    expect(startOfDayIn('2026-03-29', 'Europe/Brussels').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayIn('2026-03-30', 'Europe/Brussels').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDayIn('2026-10-25', 'Europe/Brussels').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDayIn('2026-10-26', 'Europe/Brussels').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(startOfDayIn('2026-11-03', 'America/New_York').toISOString()).toBe('2026-11-03T05:00:00.000Z');
    expect(startOfDayIn('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });

  it('a standing delegation ending on the day clocks go forward lasts until local midnight', async () => {
    const top = `calendar:
  timeZone: Europe/Brussels
delegations:
  - { from: carla@example.com, to: dan@example.com, until: "2026-03-28" }`;
    // 28 March 23:30 in Brussels (UTC+1) is 22:30 UTC: still the 28th.
    const w = world(undefined, top, '2026-03-28T22:30:00Z');
    const c = await w.openCaseFor(w.addOrder());
    expect(c.approvers.some((a) => a.odooUserId === DAN.id)).toBe(true);
  });

  it('are ignored when a person they name is not an Odoo user', async () => {
    const top = `delegations:
  - { from: carla@example.com, to: nobody@example.com, until: "2099-12-31" }`;
    const w = world(undefined, top);
    const c = await w.openCaseFor(w.addOrder());
    expect(c.approvers.map((a) => a.odooUserId)).toEqual([CARLA.id]);
    expect(PEOPLE.admin.odoo.id).toBe(2);
  });
});
