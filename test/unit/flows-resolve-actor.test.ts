import { describe, expect, it } from 'vitest';
import { IDENTITY_TTL_MS, resolveActor } from '../../src/flows/resolve-actor.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

describe('resolveActor', () => {
  it('links by verified email and caches the link', async () => {
    const w = buildDeps();
    const r = await resolveActor(w.deps, w.actor(PEOPLE.admin.chat));
    expect(r).toMatchObject({ ok: true, user: { id: PEOPLE.admin.odoo.id } });
    expect(await w.store.getIdentity('slack', PEOPLE.admin.chat)).toEqual({
      odooUserId: PEOPLE.admin.odoo.id,
      email: PEOPLE.admin.odoo.email,
      checkedAt: w.clock.now(),
    });
  });

  it('uses a cached link within the TTL without asking the chat platform', async () => {
    const w = buildDeps();
    await resolveActor(w.deps, w.actor(PEOPLE.admin.chat));
    w.clock.advance(IDENTITY_TTL_MS - 1);
    w.chat.failNext('userEmail'); // would throw if asked

    const r = await resolveActor(w.deps, w.actor(PEOPLE.admin.chat));

    expect(r).toMatchObject({ ok: true, user: { id: PEOPLE.admin.odoo.id } });
    expect(w.chat.calls.userEmail).toBe(1);
  });

  it('re-resolves an expired link by email, following a changed email', async () => {
    const w = buildDeps();
    await resolveActor(w.deps, w.actor(PEOPLE.admin.chat));
    w.clock.advance(IDENTITY_TTL_MS);
    w.chat.addUser(PEOPLE.admin.chat, PEOPLE.eve.odoo.email);

    const r = await resolveActor(w.deps, w.actor(PEOPLE.admin.chat));

    expect(r).toMatchObject({ ok: true, user: { id: PEOPLE.eve.odoo.id } });
    expect(w.chat.calls.userEmail).toBe(2);
    expect(await w.store.getIdentity('slack', PEOPLE.admin.chat)).toMatchObject({
      odooUserId: PEOPLE.eve.odoo.id,
      checkedAt: w.clock.now(),
    });
  });

  it('does not trust a cached link to a user archived since', async () => {
    const w = buildDeps();
    await resolveActor(w.deps, w.actor(PEOPLE.admin.chat));
    w.odoo.addUser({ ...PEOPLE.admin.odoo, active: false });

    const r = await resolveActor(w.deps, w.actor(PEOPLE.admin.chat));

    expect(r).toEqual({ ok: false, reason: 'no_odoo_user', email: PEOPLE.admin.odoo.email });
  });

  it('reports a chat user without a visible email', async () => {
    const w = buildDeps();
    w.chat.addUser('U-HIDDEN', null);
    expect(await resolveActor(w.deps, w.actor('U-HIDDEN'))).toEqual({ ok: false, reason: 'no_email', email: null });
  });
});
