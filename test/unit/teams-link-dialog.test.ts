// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readApiKey } from '../../src/bot/commands/read-api-key.js';
import { TEAMS_CARD_LIMITS } from '../../src/bot/teams/render-adaptive-card.js';
import {
  LINK_DIALOG_ID,
  LINK_DIALOG_KEY_INPUT,
  linkDialogCard,
  linkPromptCard,
} from '../../src/bot/teams/teams-link-cards.js';
import { TeamsLinkDialog } from '../../src/bot/teams/teams-link-dialog.js';
import { AppError } from '../../src/errors.js';
import type { UserCredentials, VerifyOdooKey } from '../../src/flows/link-identity.js';
import { validateAdaptiveCard } from '../../src/sandbox/teams/validate-adaptive-card.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';

type Json = Record<string, any>;

function valid(card: Json): Json {
  const check = validateAdaptiveCard(card);
  expect(check.errors).toEqual([]);
  expect(Number(check.version)).toBeLessThanOrEqual(1.5);
  expect(check.bytes).toBeLessThanOrEqual(TEAMS_CARD_LIMITS.maxBytes);
  return card;
}

/** Per-user keys in memory: what `PgCredentialStore` does, without the sealing. */
class MemoryCredentials implements UserCredentials {
  readonly keys = new Map<number, { login: string; apiKey: string }>();
  async save(odooUserId: number, login: string, apiKey: string) {
    this.keys.set(odooUserId, { login, apiKey });
  }
  async remove(odooUserId: number) {
    return this.keys.delete(odooUserId);
  }
  async has(odooUserId: number) {
    return this.keys.has(odooUserId);
  }
}

const marcKey = randomBytes(20).toString('hex');

function aDialog(verify?: VerifyOdooKey) {
  const world = buildDeps();
  const credentials = new MemoryCredentials();
  const verifyOdooKey: VerifyOdooKey =
    verify ??
    (async (login, apiKey) => {
      if (login === PEOPLE.marc.odoo.email && apiKey === marcKey) return PEOPLE.marc.odoo.id;
      throw new AppError('odoo.access_denied', 'forbidden', 'Odoo rejected the login.');
    });
  const dialog = new TeamsLinkDialog({
    deps: world.deps,
    identity: { credentials, verifyOdooKey },
    odooUrl: 'https://odoo.example.com/',
    log: world.log,
  });
  return { world, credentials, dialog, marc: world.actor(PEOPLE.marc.chat) };
}

describe('the Teams link cards', () => {
  it('the prompt is a valid 1.5 card whose only button opens the dialog by task/fetch', () => {
    for (const linked of [false, true]) {
      const card = valid(linkPromptCard({ login: 'marc@example.com', linked }));
      expect(card.actions).toEqual([
        expect.objectContaining({
          type: 'Action.Submit',
          data: { msteams: { type: 'task/fetch' }, dialog_id: LINK_DIALOG_ID },
        }),
      ]);
      expect(JSON.stringify(card).includes('already linked')).toBe(linked);
    }
  });

  it('the dialog is a valid 1.5 card: one required password field, the error above it, submit routed by action', () => {
    const card = valid(
      linkDialogCard({ odooUrl: 'https://odoo.example.com/', login: 'marc', linked: true, error: 'Odoo refused it.' }),
    );
    const input = card.body.find((b: Json) => b.type === 'Input.Text');
    expect(input).toMatchObject({ id: LINK_DIALOG_KEY_INPUT, style: 'Password', isRequired: true });
    expect(input.value).toBeUndefined();
    expect(card.body.findIndex((b: Json) => b.text === 'Odoo refused it.')).toBeLessThan(card.body.indexOf(input));
    expect(card.actions).toEqual([expect.objectContaining({ data: { action: LINK_DIALOG_ID, login: 'marc' } })]);
    expect(JSON.stringify(card)).toContain('(https://odoo.example.com)');
    valid(linkDialogCard({}));
  });
});

describe('readApiKey', () => {
  it('takes a pasted key with whitespace around it', () => {
    expect(readApiKey(`\n ${marcKey} \n`)).toEqual({ apiKey: marcKey });
  });

  it('refuses empty, spaced, short and long input, and never repeats what was typed', () => {
    expect(readApiKey(undefined)).toHaveProperty('error');
    expect(readApiKey('password1')).toEqual({ error: expect.stringContaining('too short') });
    expect(readApiKey('a'.repeat(201))).toEqual({ error: expect.stringContaining('too long') });
    expect(readApiKey(`${marcKey} ${marcKey}`)).toEqual({ error: expect.stringContaining('no spaces') });
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 300 }), (raw) => {
        const r = readApiKey(raw);
        if ('error' in r) expect(r.error.includes(raw.trim()) && raw.trim().length > 3).toBe(false);
        else expect(r.apiKey).toBe(raw.trim());
      }),
    );
  });
});

describe('TeamsLinkDialog', () => {
  it('opens the form for a person matched to an Odoo user, only in the 1:1 chat', async () => {
    const { dialog, marc } = aDialog();
    const open = await dialog.open(marc, 'personal');
    expect(open.task?.type).toBe('continue');
    expect(JSON.stringify(open)).toContain(`Odoo user \\"${PEOPLE.marc.odoo.email}\\"`);
    for (const where of ['channel', 'groupChat', undefined])
      expect((await dialog.open(marc, where)).task).toEqual({
        type: 'message',
        value: expect.stringContaining('works only in your 1:1 chat'),
      });
  });

  it('stores a key Odoo accepts and closes with the outcome; refuses others with the form again', async () => {
    const { dialog, marc, credentials, world } = aDialog();
    const wrong = await dialog.submit(marc, { action: LINK_DIALOG_ID, login: 'marc', apiKey: 'f'.repeat(40) });
    expect(wrong.linkedText).toBeUndefined();
    expect(JSON.stringify(wrong.response)).toMatch(/Odoo refused this key/);
    expect(JSON.stringify(wrong.response)).not.toContain('f'.repeat(40));
    expect(credentials.keys.size).toBe(0);

    const right = await dialog.submit(marc, { action: LINK_DIALOG_ID, login: 'marc', apiKey: marcKey });
    expect(right.response.task).toEqual({ type: 'message', value: expect.stringContaining('Marc Demo') });
    expect(right.linkedText).toContain('Your Odoo API key is linked');
    expect(credentials.keys.get(PEOPLE.marc.odoo.id)?.apiKey).toBe(marcKey);
    expect(JSON.stringify(world.log.records)).not.toContain(marcKey);
  });

  it('says Odoo is not answering when the check cannot reach it, and stores nothing', async () => {
    const { dialog, marc, credentials } = aDialog(async () => {
      throw new AppError('odoo.unavailable', 'transient', 'Odoo timed out.');
    });
    const r = await dialog.submit(marc, { action: LINK_DIALOG_ID, apiKey: marcKey });
    expect(r.response.task?.type).toBe('continue');
    expect(JSON.stringify(r.response)).toContain('Odoo is not answering right now');
    expect(credentials.keys.size).toBe(0);
  });

  it('without CREDENTIALS_KEY opens nothing and stores nothing, saying what the admin must set', async () => {
    const world = buildDeps();
    const dialog = new TeamsLinkDialog({ deps: world.deps, log: world.log });
    const marc = world.actor(PEOPLE.marc.chat);
    for (const r of [await dialog.open(marc, 'personal'), (await dialog.submit(marc, { apiKey: marcKey })).response])
      expect(r.task).toEqual({ type: 'message', value: expect.stringContaining('CREDENTIALS_KEY') });
  });
});
