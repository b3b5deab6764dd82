import { describe, expect, it } from 'vitest';
import { LINK_DISABLED_TEXT, runCommand, todayIn } from '../../src/bot/commands/run-command.js';
import { AppError } from '../../src/errors.js';
import { linkIdentity, type UserCredentials, type VerifyOdooKey } from '../../src/flows/link-identity.js';
import type { AuditEntry } from '../../src/flows/types.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

const { admin } = PEOPLE;
const KEY = 'a'.repeat(40);

function memoryCredentials(): UserCredentials & { keys: Map<number, string> } {
  const keys = new Map<number, string>();
  return {
    keys,
    async save(id, _login, apiKey) {
      keys.set(id, apiKey);
    },
    async remove(id) {
      return keys.delete(id);
    },
    async has(id) {
      return keys.has(id);
    },
  };
}

function world(verify: VerifyOdooKey) {
  const w = buildDeps();
  const credentials = memoryCredentials();
  return { w, credentials, identity: { credentials, verifyOdooKey: verify } };
}

describe('runCommand', () => {
  it('says what the admin must set when per-user keys are off', async () => {
    const w = buildDeps();
    for (const kind of ['link', 'unlink'] as const) {
      expect(await runCommand({ flow: w.deps }, w.actor(admin.chat), { kind })).toEqual({
        kind: 'text',
        text: LINK_DISABLED_TEXT,
      });
    }
    expect(LINK_DISABLED_TEXT).toContain('CREDENTIALS_KEY');
  });

  it('asks the adapter to open the key form with the Odoo login, and says when a key is linked already', async () => {
    const { w, credentials, identity } = world(async () => admin.odoo.id);
    const flow = { flow: w.deps, identity };
    expect(await runCommand(flow, w.actor(admin.chat), { kind: 'link' })).toEqual({
      kind: 'open_link_form',
      login: admin.odoo.email,
      linked: false,
    });
    credentials.keys.set(admin.odoo.id, KEY);
    expect(await runCommand(flow, w.actor(admin.chat), { kind: 'link' })).toMatchObject({ linked: true });
  });

  it('gives today in the calendar time zone', () => {
    expect(todayIn(new Date('2026-11-25T23:30:00Z'), 'UTC')).toBe('2026-11-25');
    expect(todayIn(new Date('2026-11-25T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-26');
  });
});

describe('linkIdentity', () => {
  it('saves a key Odoo accepts for the person, audits without the key, and unlinks', async () => {
    const { w, credentials, identity } = world(async () => admin.odoo.id);
    const r = await linkIdentity({ ...w.deps, ...identity }, { actor: w.actor(admin.chat), apiKey: KEY });
    expect(r).toMatchObject({ ok: true, text: expect.stringContaining('Your Odoo API key is linked') });
    expect(credentials.keys.get(admin.odoo.id)).toBe(KEY);
    const entries: AuditEntry[] = [];
    for await (const e of w.audit.entries()) entries.push(e);
    expect(entries.map((e) => e.type)).toEqual(['identity.linked']);
    expect(JSON.stringify(entries)).not.toContain(KEY);
    const out = await runCommand({ flow: w.deps, identity }, w.actor(admin.chat), { kind: 'unlink' });
    expect(out).toMatchObject({ text: expect.stringContaining('removed') });
    expect(credentials.keys.size).toBe(0);
  });

  it.each([
    [new AppError('odoo.access_denied', 'forbidden', 'rejected'), /^Odoo refused this key for the login/],
    [new AppError('odoo.unreachable', 'transient', 'down'), /not answering right now/],
    [new Error('boom'), /error on our side; it was not saved/],
  ])('maps a failed check (%s) to a form error and saves nothing', async (err, message) => {
    const { w, credentials, identity } = world(async () => {
      throw err;
    });
    const r = await linkIdentity({ ...w.deps, ...identity }, { actor: w.actor(admin.chat), apiKey: KEY });
    expect(r).toMatchObject({ ok: false, fieldError: expect.stringMatching(message) });
    expect(credentials.keys.size).toBe(0);
  });

  it('refuses a key of another Odoo user', async () => {
    const { w, credentials, identity } = world(async () => PEOPLE.eve.odoo.id);
    const r = await linkIdentity({ ...w.deps, ...identity }, { actor: w.actor(admin.chat), apiKey: KEY });
    expect(r).toMatchObject({ ok: false, fieldError: expect.stringContaining('logs in as another Odoo user') });
    expect(credentials.keys.size).toBe(0);
  });
});
