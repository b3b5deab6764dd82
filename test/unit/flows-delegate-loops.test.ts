import { describe, expect, it } from 'vitest';
import { setDelegation } from '../../src/flows/delegate.js';
import type { Policy } from '../../src/flows/policy.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

const { admin, marc, eve } = PEOPLE;

const REFUSAL_TAIL =
  ', so this would make a loop where nobody approves. A delegation from the policy file cannot be turned off from chat: pick someone else, or ask whoever maintains the policy file (usually your Odoo admin) to change it. Nothing was changed.';

function world(delegations: Policy['delegations']): TestWorld {
  const w = buildDeps({ now: '2026-11-24T08:00:00Z' });
  w.deps.policy.delegations = delegations;
  return w;
}

function delegate(w: TestWorld, from: string, to: string, until = '2026-12-10') {
  return setDelegation(w.deps, { actor: w.actor(from), to: { chatUserId: to }, until });
}

describe('setDelegation refuses loops through the policy file', () => {
  it('refuses delegating to someone whose standing delegation comes to you, and says who can change it', async () => {
    const w = world([{ from: eve.odoo.email, to: admin.odoo.email, until: '2026-12-24' }]);

    const r = await delegate(w, admin.chat, eve.chat);

    expect(r).toEqual({
      ok: false,
      text: `Eve Outsider delegates to you (the policy file has Eve Outsider → you until the end of Thu, 24 Dec 2026)${REFUSAL_TAIL}`,
    });
    expect(await w.store.listDelegations({ activeAt: w.clock.now() })).toEqual([]);
    expect(w.audit.list({ type: 'delegation.created' })).toEqual([]);
  });

  it('refuses a chain that mixes a chat delegation and a standing one', async () => {
    const w = world([{ from: eve.odoo.email, to: admin.odoo.email, until: '2026-12-24' }]);
    expect((await delegate(w, marc.chat, eve.chat)).ok).toBe(true);

    const r = await delegate(w, admin.chat, marc.chat);

    expect(r.ok).toBe(false);
    expect(r.text).toBe(
      `Marc Demo → Eve Outsider → you (the policy file has Eve Outsider → you until the end of Thu, 24 Dec 2026)${REFUSAL_TAIL}`,
    );
  });

  it('counts a standing delegation that starts before the new one would end, and only that', async () => {
    const w = world([{ from: eve.odoo.email, to: admin.odoo.email, start: '2026-12-05', until: '2026-12-31' }]);

    const overlapping = await delegate(w, admin.chat, eve.chat, '2026-12-10');
    expect(overlapping.text).toBe(
      `Eve Outsider delegates to you (the policy file has Eve Outsider → you from Sat, 5 Dec 2026 until the end of Thu, 31 Dec 2026)${REFUSAL_TAIL}`,
    );

    const before = await delegate(w, admin.chat, eve.chat, '2026-12-04');
    expect(before.ok).toBe(true);
  });

  it('ignores standing delegations that ended, or that name nobody in Odoo', async () => {
    const w = world([
      { from: eve.odoo.email, to: admin.odoo.email, until: '2026-11-23' },
      { from: 'gone@example.com', to: admin.odoo.email, until: '2026-12-24' },
    ]);
    expect((await delegate(w, admin.chat, eve.chat)).ok).toBe(true);
  });

  it('keeps the chat-only refusal as it was: ask the other person to end theirs', async () => {
    const w = world([]);
    expect((await delegate(w, eve.chat, admin.chat)).ok).toBe(true);
    expect((await delegate(w, admin.chat, eve.chat)).text).toBe(
      'Eve Outsider already delegates to you, so this would make a loop where nobody approves. Ask Eve Outsider to end theirs first (`delegate off`). Nothing was changed.',
    );
  });
});
