import { describe, expect, it } from 'vitest';
import type { ApproverSource } from '../../src/flows/policy.js';
import { resolveSource } from '../../src/flows/resolve-approvers.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { APPROVER_GROUP, PEOPLE } from '../fakes/builders.js';

/** Every approver source, combined sources, and each segregation-of-duties rule. */

const CARLA = { id: 20, name: 'Carla CFO', email: 'carla@example.com', chat: 'U-CARLA' };
const DAN = { id: 21, name: 'Dan Controller', email: 'dan@example.com', chat: 'U-DAN' };
const MIA = { id: 22, name: 'Mia Manager', email: 'mia@example.com', chat: 'U-MIA' };
const VIC = { id: 23, name: 'Vic Director', email: 'vic@example.com', chat: 'U-VIC' };
const HEAD = { id: 24, name: 'Hana Head', email: 'hana@example.com', chat: 'U-HANA' };
const BOT = 1;

function world(flowYaml: string, top = ''): TestWorld {
  const w = buildDeps({
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
  for (const p of [CARLA, DAN, MIA, VIC, HEAD]) w.addPerson(p.id, p.name, p.email, p.chat);
  // Marc (the requester) → Mia → Vic; Marc's department is run by Hana.
  w.directory.setManager(PEOPLE.marc.odoo.id, MIA.id).setManager(MIA.id, VIC.id);
  w.directory.setDepartmentManager(PEOPLE.marc.odoo.id, HEAD.id);
  return w;
}

const SIMPLE = '    approvers: { odooGroup: purchase.group_purchase_manager }';

async function resolve(w: TestWorld, source: ApproverSource, values = {}) {
  const found = await resolveSource(w.deps, source, { requesterId: PEOPLE.marc.odoo.id, values, selfId: BOT });
  return found.map((a) => [a.odooUserId, a.via]);
}

describe('approver sources', () => {
  it('odooGroup: active internal members of the group', async () => {
    const w = world(SIMPLE);
    w.odoo.addUser({ id: 30, name: 'Portal Pete', email: 'pete@example.com', share: true });
    w.odoo.addUser({ id: 31, name: 'Archived Ann', email: 'ann@example.com', active: false });
    w.odoo.setGroup(APPROVER_GROUP, [PEOPLE.admin.odoo.id, 30, 31, DAN.id]);
    expect(await resolve(w, { odooGroup: [APPROVER_GROUP] })).toEqual([
      [PEOPLE.admin.odoo.id, `group ${APPROVER_GROUP}`],
      [DAN.id, `group ${APPROVER_GROUP}`],
    ]);
  });

  it('users: by login or by email', async () => {
    const w = world(SIMPLE);
    w.odoo.addUser({ id: 32, name: 'Login Only', email: 'lo@other.example', login: 'lonly' });
    expect(await resolve(w, { users: ['CARLA@example.com', 'lonly', 'nobody@example.com'] })).toEqual([
      [CARLA.id, 'named in the policy'],
      [32, 'named in the policy'],
    ]);
  });

  it("field: the user a document's field names", async () => {
    const w = world(SIMPLE);
    expect(await resolve(w, { field: ['x_reviewer_id'] }, { x_reviewer_id: { id: DAN.id, name: DAN.name } })).toEqual([
      [DAN.id, "the document's x_reviewer_id"],
    ]);
    expect(await resolve(w, { field: ['x_reviewer_id'] }, { x_reviewer_id: null })).toEqual([]);
  });

  it("manager: the requester's manager, and levels: 2 for the manager's manager", async () => {
    const w = world(SIMPLE);
    expect(await resolve(w, { manager: { levels: 1 } })).toEqual([[MIA.id, "the requester's manager"]]);
    expect(await resolve(w, { manager: { levels: 2 } })).toEqual([[VIC.id, 'manager level 2']]);
    expect(await resolve(w, { manager: { levels: 3 } })).toEqual([]);
  });

  it("departmentManager: the manager of the requester's department", async () => {
    const w = world(SIMPLE);
    expect(await resolve(w, { departmentManager: true })).toEqual([[HEAD.id, 'department manager']]);
  });

  it('role: a named role from roles:', async () => {
    const w = world(SIMPLE, 'roles:\n  finance: { users: [carla@example.com], manager: { levels: 2 } }');
    expect(await resolve(w, { role: ['finance'] })).toEqual([
      [CARLA.id, 'role finance'],
      [VIC.id, 'role finance'],
    ]);
  });

  it('combined sources in the policy file each add people, once each, never the bot', async () => {
    const w = world(
      `    approvers:
      odooGroup: purchase.group_purchase_manager
      users: [admin@example.com, carla@example.com]
      field: [x_reviewer_id]
      manager: { levels: 1 }
      departmentManager: true
      role: [finance]`,
      'roles:\n  finance: { users: [carla@example.com, mia@example.com] }',
    );
    w.odoo.setGroup(APPROVER_GROUP, [BOT, PEOPLE.admin.odoo.id, PEOPLE.bob.odoo.id]);
    w.odoo.addUser({ id: BOT, name: 'OdooBot', email: 'bot@example.com' });
    const c = await w.openCaseFor(w.addOrder({ x_reviewer_id: { id: DAN.id, name: DAN.name } }));
    const ids = c.approvers.map((a) => a.odooUserId);
    expect(ids).toEqual([PEOPLE.admin.odoo.id, PEOPLE.bob.odoo.id, CARLA.id, DAN.id, MIA.id, HEAD.id]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('segregation of duties', () => {
  async function decide(w: TestWorld, caseId: string, chatUser: string) {
    const d = await w.click(caseId, chatUser);
    await w.queue.runUntilIdle();
    return (await w.store.getDecision(d.id))!;
  }
  const codes = (w: TestWorld) => w.audit.list({ type: 'decision.refused' }).map((e) => e.data.code);

  it('the requester cannot approve (nor reject) their own document, even as a member of the group', async () => {
    const w = world(SIMPLE);
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder()); // Marc requested it and is in the approver group
    expect(c.requesterIds).toEqual([PEOPLE.marc.odoo.id]);
    const d = await decide(w, c.id, PEOPLE.marc.chat);
    expect(d.status).toBe('refused');
    expect(d.outcome).toMatch(/segregation of duties/);
    const r = await w.click(c.id, PEOPLE.marc.chat, { action: 'reject', reason: 'x' });
    await w.queue.runUntilIdle();
    expect((await w.store.getDecision(r.id))!.status).toBe('refused');
    expect(codes(w)).toEqual(['policy.segregation_of_duties', 'policy.segregation_of_duties']);
    expect(w.odoo.methodCalls).toEqual([]);
    // Nor is the requester sent a card to decide.
    expect(w.chat.posts.some((p) => p.target.kind === 'user' && p.target.userId === PEOPLE.marc.chat)).toBe(false);
  });

  it('distinctApprovers: the tier-1 approver is refused at tier 2', async () => {
    const w = world(`    distinctApprovers: true
    tiers:
      - name: Manager
        approvers: { users: [admin@example.com] }
      - name: Finance
        approvers: { users: [admin@example.com, carla@example.com] }`);
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());
    expect((await decide(w, c.id, PEOPLE.admin.chat)).status).toBe('applied');
    const second = await decide(w, c.id, PEOPLE.admin.chat);
    expect(second.status).toBe('refused');
    expect(codes(w)).toEqual(['policy.distinct_approvers']);
    expect(second.outcome).toMatch(/different person at each step/);
    expect((await decide(w, c.id, CARLA.chat)).status).toBe('applied');
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
  });

  it('without distinctApprovers the same person may approve two tiers', async () => {
    const w = world(`    tiers:
      - name: Manager
        approvers: { users: [admin@example.com] }
      - name: Finance
        approvers: { users: [admin@example.com] }`);
    await w.startWorkers();
    const c = await w.openCaseFor(w.addOrder());
    await decide(w, c.id, PEOPLE.admin.chat);
    expect((await decide(w, c.id, PEOPLE.admin.chat)).status).toBe('applied');
    expect((await w.store.getCase(c.id))!.status).toBe('approved');
  });

  it('a delegate who requested the document is refused', async () => {
    const w = world('    approvers: { users: [carla@example.com] }');
    await w.startWorkers();
    const now = w.clock.now();
    await w.store.addDelegation({
      fromOdooUserId: CARLA.id,
      fromName: CARLA.name,
      toOdooUserId: PEOPLE.marc.odoo.id,
      toName: PEOPLE.marc.odoo.name,
      startsAt: new Date(now.getTime() - 3600_000),
      endsAt: new Date(now.getTime() + 7 * 86_400_000),
      source: 'chat',
      createdBy: 'slack:U-CARLA',
    });
    const c = await w.openCaseFor(w.addOrder());
    expect(c.approvers.find((a) => a.odooUserId === PEOPLE.marc.odoo.id)?.onBehalfOf?.odooUserId).toBe(CARLA.id);
    const d = await decide(w, c.id, PEOPLE.marc.chat);
    expect(d.status).toBe('refused');
    expect(codes(w)).toEqual(['policy.segregation_of_duties']);
    expect(d.outcome).toMatch(/not even as a delegate/);
    expect(w.odoo.methodCalls).toEqual([]);
  });
});
