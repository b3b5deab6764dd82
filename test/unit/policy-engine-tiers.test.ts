import { describe, expect, it } from 'vitest';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE, PURCHASE } from '../fakes/builders.js';

/** Tier selection, N-of-M, required approvers and tiers in sequence, from a policy file. */

const CARLA = { id: 20, name: 'Carla CFO', email: 'carla@example.com', chat: 'U-CARLA' };
const DAN = { id: 21, name: 'Dan Controller', email: 'dan@example.com', chat: 'U-DAN' };

function world(tiersYaml: string, extra = ''): TestWorld {
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
${extra}
    tiers:
${tiersYaml}`,
  });
  for (const p of [CARLA, DAN]) w.addPerson(p.id, p.name, p.email, p.chat);
  return w;
}

async function decide(w: TestWorld, caseId: string, chatUser: string, tier?: number) {
  const d = await w.click(caseId, chatUser, tier === undefined ? {} : { tier });
  await w.queue.runUntilIdle();
  return (await w.store.getDecision(d.id))!;
}

function refusalCodes(w: TestWorld): unknown[] {
  return w.audit.list({ type: 'decision.refused' }).map((e) => e.data.code);
}

const SELECTION = `
      - name: Team lead
        maxAmount: 5000
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: Manager
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: Finance
        minAmount: 5000
        approvers: { users: [carla@example.com] }
      - name: Legal
        when: [["x_contract", "=", true]]
        approvers: { users: [dan@example.com] }`;

describe('tier selection', () => {
  it('keeps only the tiers whose when and amount bounds match, in policy order', async () => {
    const w = world(SELECTION);
    const small = await w.openCaseFor(w.addOrder({ amount_total: 1250, x_contract: false }));
    expect(small.tiers.map((t) => t.name)).toEqual(['Team lead', 'Manager']);
    expect(small.tiers.map((t) => t.index)).toEqual([0, 1]);
    expect(small.tiers[0]!.startedAt).toBe(w.clock.now().toISOString());
    expect(small.tiers[1]!.startedAt).toBeNull();

    const big = await w.openCaseFor(w.addOrder({ amount_total: 20_000, x_contract: true }));
    expect(big.tiers.map((t) => t.name)).toEqual(['Manager', 'Finance', 'Legal']);
    expect(big.tiers[1]!.approvers.map((a) => a.odooUserId)).toEqual([CARLA.id]);
    // The case's approvers are the first tier's.
    expect(big.approvers.map((a) => a.odooUserId).sort()).toEqual(
      [PEOPLE.admin.odoo.id, PEOPLE.marc.odoo.id, PEOPLE.bob.odoo.id].sort(),
    );
  });

  it('compares amounts in the company currency, not the document currency', async () => {
    const w = world(SELECTION);
    // The document says 9,000 USD; converted with Odoo's rate it is 4,000 in the company currency.
    const load = w.documents.load.bind(w.documents);
    w.documents.load = async (...args) => {
      const doc = await load(...args);
      return doc && { ...doc, companyAmount: doc.snapshot.amount === 9000 ? 4000 : doc.snapshot.amount };
    };
    const c = await w.openCaseFor(w.addOrder({ amount_total: 9000, currency_id: { id: 2, name: 'USD' } }));
    expect(c.tiers.map((t) => t.name)).toEqual(['Team lead', 'Manager']);
  });

  it('opens no case when no tier applies, and says so in the log', async () => {
    const w = world(`
      - name: Finance
        minAmount: 5000
        approvers: { users: [carla@example.com] }`);
    const id = w.addOrder({ amount_total: 1250 });
    await expect(w.openCaseFor(id)).rejects.toThrow(/no case opened/);
    expect(await w.store.listCases({})).toEqual([]);
    expect(w.log.at('warn').some((e) => /none of its tiers applies/.test(e.msg ?? ''))).toBe(true);
  });
});

describe('N-of-M and required approvers', () => {
  it('needs two distinct people for minApprovals 2; the same person twice is refused', async () => {
    const w = world(`
      - name: Board
        minApprovals: 2
        approvers: { users: [admin@example.com, carla@example.com, dan@example.com] }`);
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());

    expect((await decide(w, c.id, PEOPLE.admin.chat)).status).toBe('applied');
    expect((await w.store.getCase(c.id))!.status).toBe('open');
    expect(w.odoo.methodCalls).toEqual([]);
    expect(w.audit.list({ type: 'approval.counted' })[0]!.data).toMatchObject({ approvals: 1, minApprovals: 2 });

    const again = await decide(w, c.id, PEOPLE.admin.chat);
    expect(again.status).toBe('refused');
    expect(refusalCodes(w)).toEqual(['policy.already_approved']);
    expect((await w.store.getCase(c.id))!.tiers[0]!.approvals).toHaveLength(1);

    expect((await decide(w, c.id, CARLA.chat)).status).toBe('applied');
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
    expect(w.odoo.methodCalls.map((m) => m.method)).toEqual(['button_approve']);
  });

  it('is not satisfied by someone else when a required approver has not approved', async () => {
    const w = world(`
      - name: Finance
        minApprovals: 1
        required: [carla@example.com]
        approvers: { users: [admin@example.com, dan@example.com] }`);
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());
    // The required person may decide even if the source does not name them.
    expect(c.approvers.map((a) => a.odooUserId)).toContain(CARLA.id);
    expect(c.tiers[0]!.required.map((r) => r.odooUserId)).toEqual([CARLA.id]);

    const first = await decide(w, c.id, PEOPLE.admin.chat);
    expect(first.status).toBe('applied');
    expect(first.outcome).toMatch(/still needs Carla CFO/);
    expect((await w.store.getCase(c.id))!.status).toBe('open');
    expect(w.odoo.methodCalls).toEqual([]);

    await decide(w, c.id, CARLA.chat);
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
    expect(w.odoo.methodCalls.map((m) => m.method)).toEqual(['button_approve']);
  });
});

describe('tiers in sequence', () => {
  const TWO_TIERS = `
      - name: Manager
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: Finance
        approvers: { users: [carla@example.com, dan@example.com] }`;

  it('moves to the next tier, DMs its approvers, audits and notes each step, and writes back once', async () => {
    const w = world(TWO_TIERS);
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());
    await w.queue.runUntilIdle();
    const dmsBefore = w.chat.posts.filter((p) => p.target.kind === 'user').map((p) => p.target);
    expect(dmsBefore).toEqual([{ kind: 'user', userId: PEOPLE.admin.chat }]);

    expect((await decide(w, c.id, PEOPLE.admin.chat)).status).toBe('applied');
    const moved = (await w.store.getCase(c.id))!;
    expect(moved.status).toBe('open');
    expect(moved.currentTier).toBe(1);
    expect(moved.tiers[1]!.startedAt).toBe(w.clock.now().toISOString());
    expect(moved.approvers.map((a) => a.odooUserId).sort()).toEqual([CARLA.id, DAN.id]);
    expect(w.queue.list({ name: JOBS.postCards }).map((j) => j.id)).toContain(`post-${c.id}-tier-1`);
    const dms = w.chat.posts.filter((p) => p.target.kind === 'user').map((p) => p.target);
    expect(dms).toEqual([
      { kind: 'user', userId: PEOPLE.admin.chat },
      { kind: 'user', userId: CARLA.chat },
      { kind: 'user', userId: DAN.chat },
    ]);
    expect(w.audit.list({ type: 'approval.counted' })[0]!.data).toMatchObject({
      tier: 'Manager',
      odooUserId: PEOPLE.admin.odoo.id,
      tierCompleted: true,
    });
    expect(w.audit.list({ type: 'tier.started' })[0]!.data).toEqual({
      tier: 'Finance',
      approvers: moved.approvers.map((a) => a.odooUserId),
    });
    expect(w.odoo.notes[0]!.html).toMatch(/Approved \(step &quot;Manager&quot;\) by <b>Mitchell Admin<\/b>/);
    expect(w.odoo.methodCalls).toEqual([]);

    // A click on the old tier's card is refused and changes nothing.
    const old = await decide(w, c.id, PEOPLE.admin.chat, 0);
    expect(old.status).toBe('refused');
    expect(refusalCodes(w)).toEqual(['case.tier_moved']);
    expect(old.outcome).toMatch(/moved on to the "Finance" step/);

    const last = await decide(w, c.id, CARLA.chat, 1);
    expect(last.status).toBe('applied');
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
    expect(w.odoo.methodCalls).toEqual([
      expect.objectContaining({ model: PURCHASE, method: 'button_approve', ids: [c.odooId] }),
    ]);
    expect(w.audit.list({ type: 'decision.applied' })).toHaveLength(1);
    expect(w.odoo.notes.at(-1)!.html).toMatch(/Approved \(final step &quot;Finance&quot;\) by <b>Carla CFO<\/b>/);

    // A late click after the end changes nothing either.
    expect((await decide(w, c.id, DAN.chat, 1)).status).toBe('superseded');
    expect(w.odoo.methodCalls).toHaveLength(1);
  });

  it('a rejection at any tier rejects the document at once', async () => {
    const w = world(TWO_TIERS);
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());
    const d = await w.click(c.id, PEOPLE.admin.chat, { action: 'reject', reason: 'too expensive' });
    await w.queue.runUntilIdle();
    expect((await w.store.getDecision(d.id))!.status).toBe('applied');
    expect((await w.store.getCase(c.id))!.status).toBe('rejected');
    expect(w.odoo.methodCalls.map((m) => m.method)).toEqual(['button_cancel']);
    expect(w.queue.pending({ queue: QUEUES.timers })).toEqual([]);
  });
});
