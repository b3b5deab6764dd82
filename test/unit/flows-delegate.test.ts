import { describe, expect, it } from 'vitest';
import { endDelegation, listDelegations, setDelegation } from '../../src/flows/delegate.js';
import { withDelegates } from '../../src/flows/resolve-approvers.js';
import type { AuditEntry } from '../../src/flows/types.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

const { admin, marc, eve, bob } = PEOPLE;

async function auditOf(w: TestWorld): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of w.audit.entries()) out.push(e);
  return out;
}

function delegate(w: TestWorld, from: string, to: string, until = '2026-12-24') {
  return setDelegation(w.deps, { actor: w.actor(from), to: { chatUserId: to }, until });
}

describe('setDelegation', () => {
  it('stores a chat delegation that ends at the start of the day after "until", audits it and tells the delegate', async () => {
    const w = buildDeps();
    const r = await delegate(w, admin.chat, eve.chat);
    expect(r.ok).toBe(true);
    expect(r.text).toContain('Eve Outsider can approve for you until the end of Thu, 24 Dec 2026 (UTC)');
    const [d] = await w.store.listDelegations({ activeAt: w.clock.now() });
    expect(d).toMatchObject({
      fromOdooUserId: admin.odoo.id,
      fromName: admin.odoo.name,
      toOdooUserId: eve.odoo.id,
      toName: eve.odoo.name,
      source: 'chat',
      createdBy: `slack:${admin.chat}`,
      startsAt: w.clock.now(),
      endsAt: new Date('2026-12-25T00:00:00Z'),
    });
    const created = (await auditOf(w)).find((e) => e.type === 'delegation.created');
    expect(created).toMatchObject({
      actor: `slack:${admin.chat}`,
      data: { from: { odooUserId: admin.odoo.id }, to: { odooUserId: eve.odoo.id } },
    });
    expect(w.chat.told).toEqual([
      expect.objectContaining({
        actor: { platform: 'slack', userId: eve.chat },
        text: expect.stringContaining('Mitchell Admin asked you to approve for them'),
      }),
    ]);
  });

  it("ends at midnight of the policy calendar's time zone", async () => {
    const w = buildDeps();
    w.deps.policy.calendar = { ...w.deps.policy.calendar, timeZone: 'Europe/Berlin' };
    const r = await delegate(w, admin.chat, eve.chat);
    expect(r.delegation?.endsAt).toEqual(new Date('2026-12-24T23:00:00Z'));
    expect(r.text).toContain('(Europe/Berlin)');
  });

  it('accepts an Odoo login or email typed instead of a mention', async () => {
    const w = buildDeps();
    const r = await setDelegation(w.deps, {
      actor: w.actor(admin.chat),
      to: { odooKey: eve.odoo.email },
      until: '2026-12-01',
    });
    expect(r.ok).toBe(true);
    expect(r.delegation?.toOdooUserId).toBe(eve.odoo.id);
    const unknown = await setDelegation(w.deps, {
      actor: w.actor(admin.chat),
      to: { odooKey: 'nobody' },
      until: '2026-12-01',
    });
    expect(unknown).toMatchObject({
      ok: false,
      text: expect.stringContaining('No active internal Odoo user has the login or email "nobody"'),
    });
  });

  it('refuses delegating to oneself, by mention or by Odoo user', async () => {
    const w = buildDeps();
    expect(await delegate(w, admin.chat, admin.chat)).toMatchObject({
      ok: false,
      text: expect.stringMatching(/cannot delegate to yourself/),
    });
    const byEmail = await setDelegation(w.deps, {
      actor: w.actor(admin.chat),
      to: { odooKey: admin.odoo.email },
      until: '2026-12-01',
    });
    expect(byEmail).toMatchObject({ ok: false, text: expect.stringMatching(/your own Odoo user/) });
    expect(await w.store.listDelegations({ activeAt: w.clock.now() })).toEqual([]);
  });

  it('refuses someone who already delegates back, directly or through a chain', async () => {
    const w = buildDeps();
    expect((await delegate(w, eve.chat, admin.chat)).ok).toBe(true);
    const back = await delegate(w, admin.chat, eve.chat);
    expect(back).toMatchObject({
      ok: false,
      text: expect.stringContaining('Eve Outsider already delegates to you, so this would make a loop'),
    });
    expect((await delegate(w, marc.chat, eve.chat)).ok).toBe(true);
    const chain = await delegate(w, admin.chat, marc.chat);
    expect(chain).toMatchObject({ ok: false, text: expect.stringContaining('Marc Demo → Eve Outsider → you already') });
    expect(await w.store.listDelegations({ activeAt: w.clock.now() })).toHaveLength(2);
  });

  it('refuses a delegate without an Odoo user or without an email', async () => {
    const w = buildDeps();
    w.chat.addUser('U-SAM', 'sam@elsewhere.test');
    w.chat.addUser('U-NOMAIL', null);
    expect(await delegate(w, admin.chat, 'U-SAM')).toMatchObject({
      ok: false,
      text: expect.stringContaining('<@U-SAM> (sam@elsewhere.test) is not an active internal Odoo user'),
    });
    expect(await delegate(w, admin.chat, 'U-NOMAIL')).toMatchObject({
      ok: false,
      text: expect.stringContaining('has no email address'),
    });
  });

  it('refuses a caller who has no Odoo user', async () => {
    const w = buildDeps();
    w.chat.addUser('U-SAM', 'sam@elsewhere.test');
    expect(await delegate(w, 'U-SAM', eve.chat)).toMatchObject({
      ok: false,
      text: expect.stringContaining('is not linked to an Odoo user'),
    });
  });

  it('replaces the caller’s earlier delegation', async () => {
    const w = buildDeps();
    await delegate(w, admin.chat, eve.chat);
    w.clock.advance(60_000);
    const r = await delegate(w, admin.chat, marc.chat, '2026-12-31');
    expect(r.text).toContain('This replaces your delegation to Eve Outsider.');
    const running = await w.store.listDelegations({ activeAt: w.clock.now() });
    expect(running.map((d) => d.toName)).toEqual(['Marc Demo']);
  });

  it('makes the delegate an approver on behalf of the delegator', async () => {
    const w = buildDeps();
    await delegate(w, admin.chat, eve.chat);
    const approvers = await withDelegates(w.deps, [
      { odooUserId: admin.odoo.id, name: admin.odoo.name, email: admin.odoo.email, via: 'test' },
    ]);
    expect(approvers).toContainEqual(
      expect.objectContaining({
        odooUserId: eve.odoo.id,
        onBehalfOf: { odooUserId: admin.odoo.id, name: admin.odoo.name },
      }),
    );
  });
});

describe('endDelegation', () => {
  it('ends running delegations now and audits it; a second time there is nothing to end', async () => {
    const w = buildDeps();
    await delegate(w, admin.chat, eve.chat);
    w.clock.advance(3_600_000);
    const r = await endDelegation(w.deps, w.actor(admin.chat));
    expect(r.text).toContain('Your delegation to Eve Outsider has ended.');
    expect(await w.store.listDelegations({ activeAt: w.clock.now() })).toEqual([]);
    expect((await auditOf(w)).find((e) => e.type === 'delegation.ended')).toMatchObject({
      actor: `slack:${admin.chat}`,
      data: { count: 1, from: { odooUserId: admin.odoo.id } },
    });
    expect((await endDelegation(w.deps, w.actor(admin.chat))).text).toBe(
      'You have no delegation running; nothing to end.',
    );
  });
});

describe('endDelegation with the policy file', () => {
  it('says a delegation from the policy file cannot be ended from chat, and leaves it running', async () => {
    const w = buildDeps({ now: '2026-11-24T08:00:00Z' });
    w.deps.policy.delegations = [{ from: admin.odoo.email, to: eve.odoo.email, until: '2026-12-24' }];
    const r = await endDelegation(w.deps, w.actor(admin.chat));
    expect(r.text).toBe(
      'You have no delegation from chat running; nothing to end. Your delegation to Eve Outsider comes from the policy file, so it cannot be turned off from chat; ask whoever maintains the policy file (usually your Odoo admin) to change it.',
    );
    await delegate(w, admin.chat, marc.chat);
    const ended = await endDelegation(w.deps, w.actor(admin.chat));
    expect(ended.text).toMatch(
      /^Your delegation to Marc Demo has ended\..* Your delegation to Eve Outsider comes from the policy file/,
    );
    expect((await listDelegations(w.deps, w.actor(admin.chat))).text).toContain('• Eve Outsider until the end of');
  });
});

describe('listDelegations', () => {
  it('shows delegations from me and to me with their last day', async () => {
    const w = buildDeps();
    await delegate(w, admin.chat, eve.chat, '2026-12-24');
    await delegate(w, marc.chat, admin.chat, '2026-12-01');
    const r = await listDelegations(w.deps, w.actor(admin.chat));
    expect(r.text).toContain('*You delegate to:*\n• Eve Outsider until the end of Thu, 24 Dec 2026');
    expect(r.text).toContain('*You approve for:*\n• Marc Demo until the end of Tue, 1 Dec 2026');
    expect(r.text).toContain('Dates are in UTC.');
  });

  it('includes the policy file’s running delegations, from me and to me, marked as not ended from chat', async () => {
    const w = buildDeps({ now: '2026-11-24T08:00:00Z' });
    w.deps.policy.delegations = [
      { from: admin.odoo.email, to: eve.odoo.email, until: '2026-12-24' },
      { from: marc.odoo.email, to: admin.odoo.email, start: '2026-11-01', until: '2026-12-01' },
      // Not running: starts later, ended, or names nobody in Odoo.
      { from: admin.odoo.email, to: marc.odoo.email, start: '2026-12-01', until: '2026-12-31' },
      { from: eve.odoo.email, to: admin.odoo.email, until: '2026-11-23' },
      { from: 'gone@example.com', to: admin.odoo.email, until: '2026-12-24' },
    ];
    const mark = ' (from the policy file; it cannot be turned off from chat)';
    const mine = await listDelegations(w.deps, w.actor(admin.chat));
    expect(mine.text).toContain(`*You delegate to:*\n• Eve Outsider until the end of Thu, 24 Dec 2026${mark}\n`);
    expect(mine.text).toContain(`*You approve for:*\n• Marc Demo until the end of Tue, 1 Dec 2026${mark}\n`);
    expect(mine.text).not.toContain('delegate off');
    expect(mine.text).toContain('Delegations from the policy file change only when');
    // Eve holds one from the policy file; a chat one of hers is listed unmarked, and may be ended.
    // (Not to Marc: through the policy file Marc → Admin → Eve, so that would loop.)
    const toBob = await setDelegation(w.deps, {
      actor: w.actor(eve.chat),
      to: { odooKey: bob.odoo.email },
      until: '2026-12-10',
    });
    expect(toBob.ok).toBe(true);
    const hers = await listDelegations(w.deps, w.actor(eve.chat));
    expect(hers.text).toContain('*You delegate to:*\n• Bob Approver until the end of Thu, 10 Dec 2026\n');
    expect(hers.text).toContain(`*You approve for:*\n• Mitchell Admin until the end of Thu, 24 Dec 2026${mark}`);
    expect(hers.text).toContain('End yours with `/odoo delegate off`.');
  });

  it('says so when there are none', async () => {
    const w = buildDeps();
    expect((await listDelegations(w.deps, w.actor(eve.chat))).text).toMatch(/^You have no delegations\./);
  });
});
