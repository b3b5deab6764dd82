// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_DIALOG_ID } from '../../src/bot/teams/teams-link-cards.js';
import { loadEnv } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy.js';
import type { AuditEntry } from '../../src/flows/types.js';
import { createLogger } from '../../src/logger.js';
import { type Service, startService } from '../../src/main.js';
import { type Activity, messageActivity, taskActivity } from '../../src/sandbox/teams/activities.js';
import { validateAdaptiveCard } from '../../src/sandbox/teams/validate-adaptive-card.js';
import { CredentialVault } from '../../src/store/credential-vault.js';
import { PgCredentialStore } from '../../src/store/pg-credential-store.js';
import type { PgStore } from '../../src/store/pg-store.js';
import { eventually } from '../support/purchase-scenario.js';
import { cardOf, type Json } from '../support/teams-cards.js';
import { startTeamsScenario, TEAMS_POLICY_YAML, type TeamsScenario } from '../support/teams-scenario.js';

const CREDENTIALS_KEY = randomBytes(32).toString('base64');
const DANA_KEY = randomBytes(20).toString('hex');
const WRONG_KEY = randomBytes(20).toString('hex');
const CHAT = 'a:1dana-personal-chat';
const GROUP_CHAT = '19:dana-and-friends@thread.v2';

function expectValidCard(card: Json | undefined): Json {
  expect(card).toBeDefined();
  const check = validateAdaptiveCard(card!);
  expect(check.errors).toEqual([]);
  expect(Number(check.version)).toBeLessThanOrEqual(1.5);
  return card!;
}

/** The dialog card of a `task/fetch` or `task/submit` answer that keeps the form open. */
function dialogCardOf(body: Json): Json {
  expect(body.task?.type).toBe('continue');
  expect(body.task.value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return expectValidCard(body.task.value.card.content);
}

describe('`link` in Microsoft Teams: a dialog for the Odoo API key', () => {
  let s: TeamsScenario;
  let service: Service;
  let baseUrl: string;
  let dana: ReturnType<TeamsScenario['teams']['addUser']>;
  let danaOdoo: number;
  const logLines: string[] = [];

  beforeAll(async () => {
    s = await startTeamsScenario();
    danaOdoo = s.odoo.addUser({
      login: 'dana',
      name: 'Dana Deputy',
      email: 'dana@acme.test',
      groups: ['purchase.group_purchase_user'],
      apiKey: DANA_KEY,
    });
    dana = s.teams.addUser({ name: 'Dana Deputy', email: 'dana@acme.test' });
    // Everything the service logs, at debug, so the test can prove the key is never in it.
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => logLines.push(chunk.toString('utf8')));
    const log = createLogger('debug', sink);
    service = await startService(loadEnv({ ...s.env, CREDENTIALS_KEY }), parsePolicy(TEAMS_POLICY_YAML), {
      role: 'all',
      log,
    });
    baseUrl = `http://127.0.0.1:${service.port}`;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await s?.stop();
  });

  const personal = () => s.personalContext(CHAT);
  const credentials = () => {
    const store = service.deps.store as PgStore;
    return new PgCredentialStore(store.pool, CredentialVault.fromEnv(CREDENTIALS_KEY), { schema: store.schema });
  };
  const audit = async (): Promise<AuditEntry[]> => {
    const out: AuditEntry[] = [];
    for await (const e of service.deps.audit.entries()) out.push(e);
    return out;
  };
  async function invoke(activity: Activity): Promise<Json> {
    const res = await s.deliver(baseUrl, activity);
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  }
  const submit = (data: Json) => invoke(taskActivity(personal(), dana, 'task/submit', data));

  let openButton: Json;
  let submitData: Json;

  it('answers `link` in the 1:1 chat with a small card whose button opens a dialog', async () => {
    expect((await s.deliver(baseUrl, messageActivity(personal(), dana, 'link'))).status).toBe(200);
    const reply = await eventually(() => s.teams.activities(CHAT).find((a) => cardOf(a)));
    const card = expectValidCard(cardOf(reply));
    expect(JSON.stringify(card)).toContain('your Odoo user \\"dana\\"');
    expect(card.actions).toHaveLength(1);
    openButton = card.actions[0];
    expect(openButton).toMatchObject({
      type: 'Action.Submit',
      data: { msteams: { type: 'task/fetch' }, dialog_id: LINK_DIALOG_ID },
    });
  });

  it('task/fetch returns the dialog: a required password field, never pre-filled, and the login', async () => {
    const body = await invoke(taskActivity(personal(), dana, 'task/fetch', openButton.data));
    const card = dialogCardOf(body);
    expect(body.task.value.title).toBe('Link your Odoo user');
    const input = card.body.find((b: Json) => b.type === 'Input.Text');
    expect(input).toMatchObject({ id: 'apiKey', style: 'Password', isRequired: true });
    expect(input.value).toBeUndefined();
    const text = JSON.stringify(card);
    expect(text).toContain('Odoo user \\"dana\\"');
    expect(text).toContain('My Profile → Account Security → New API Key');
    expect(text).toContain(s.env.ODOO_URL!.replace(/\/+$/, ''));
    const send = card.actions.find((a: Json) => a.type === 'Action.Submit');
    expect(send.data).toMatchObject({ action: LINK_DIALOG_ID, login: 'dana' });
    submitData = send.data;
  });

  it('a key Odoo refuses: the form comes back empty with what to do, and nothing is stored', async () => {
    const body = await submit({ ...submitData, apiKey: WRONG_KEY });
    const card = dialogCardOf(body);
    expect(JSON.stringify(card)).toMatch(/Odoo refused this key for the login \\"dana\\"/);
    expect(JSON.stringify(body)).not.toContain(WRONG_KEY);
    expect(card.body.find((b: Json) => b.type === 'Input.Text').value).toBeUndefined();

    const short = dialogCardOf(await submit({ ...submitData, apiKey: 'password1' }));
    expect(JSON.stringify(short)).toMatch(/too short for an Odoo API key/);
    expect(await credentials().has(danaOdoo)).toBe(false);
    expect((await audit()).some((e) => e.type === 'identity.linked')).toBe(false);
  });

  it('the right key: stored sealed, the dialog closes saying who is linked, and the chat keeps a note', async () => {
    const before = s.teams.activities(CHAT).length;
    const body = await submit({ ...submitData, apiKey: ` ${DANA_KEY}\n` });
    expect(body.task).toEqual({ type: 'message', value: expect.stringContaining('Your Odoo API key is linked') });
    expect(body.task.value).toContain('Dana Deputy (dana)');
    expect(JSON.stringify(body)).not.toContain(DANA_KEY);
    const note = s.teams.activities(CHAT).slice(before);
    expect(note.map((a) => String(a.text ?? '')).join('\n')).toContain('Your Odoo API key is linked');

    expect(await credentials().get(danaOdoo)).toEqual({ login: 'dana', apiKey: DANA_KEY });
    const store = service.deps.store as PgStore;
    const sealed = await store.pool.query(
      `SELECT sealed FROM "${store.schema}".user_credentials WHERE odoo_user_id = $1`,
      [danaOdoo],
    );
    expect(String(sealed.rows[0]?.sealed)).not.toContain(DANA_KEY);
    const linked = (await audit()).find((e) => e.type === 'identity.linked');
    expect(linked).toMatchObject({ actor: `teams:${dana.aadObjectId}`, data: { odooUserId: danaOdoo, login: 'dana' } });
    expect(JSON.stringify(await audit())).not.toContain(DANA_KEY);
  });

  it('the key is never in the log, nor in anything sent to the Bot Connector', () => {
    // The sink was listening while the keys went through: the SDK logs each invoke's name at debug.
    expect(logLines.join('')).toContain('activity/invoke/task/submit');
    expect(logLines.join('')).not.toContain(DANA_KEY);
    expect(logLines.join('')).not.toContain(WRONG_KEY);
    expect(JSON.stringify(s.teams.calls)).not.toContain(DANA_KEY);
    expect(JSON.stringify(s.teams.calls)).not.toContain(WRONG_KEY);
  });

  it('`link` again says a key is linked and offers to replace it; `unlink` removes it', async () => {
    const before = s.teams.activities(CHAT).length;
    expect((await s.deliver(baseUrl, messageActivity(personal(), dana, 'odoo link'))).status).toBe(200);
    const card = expectValidCard(cardOf(await eventually(() => s.teams.activities(CHAT).slice(before).find(cardOf))));
    expect(JSON.stringify(card)).toContain('already linked');

    expect((await s.deliver(baseUrl, messageActivity(personal(), dana, '/odoo unlink'))).status).toBe(200);
    const answer = await eventually(() =>
      s.teams.activities(CHAT).find((a) => String(a.text ?? '').includes('Your Odoo API key is removed')),
    );
    expect(answer).toBeDefined();
    expect(await credentials().has(danaOdoo)).toBe(false);
    expect((await audit()).some((e) => e.type === 'identity.unlinked')).toBe(true);
  });

  it('refuses `link` in a channel and a group chat, with no card, and tells them to write to the bot directly', async () => {
    const channel = s.channelContext();
    const group = s.teams.context({ kind: 'groupChat', id: GROUP_CHAT });
    for (const [ctx, conv] of [
      [channel, channel.conversation.id],
      [group, GROUP_CHAT],
    ] as const) {
      expect((await s.deliver(baseUrl, messageActivity(ctx, dana, 'link'))).status).toBe(200);
      const refusal = await eventually(() =>
        s.teams.activities(conv).find((a) => String(a.text ?? '').includes('works only in your 1:1 chat')),
      );
      expect(refusal).toBeDefined();
      expect(s.teams.activities(conv).some((a) => JSON.stringify(cardOf(a) ?? {}).includes('task/fetch'))).toBe(false);
    }
    // A forged or stale button pressed outside the 1:1 chat opens no form either.
    const body = await invoke(taskActivity(channel, dana, 'task/fetch', openButton.data));
    expect(body.task).toEqual({ type: 'message', value: expect.stringContaining('works only in your 1:1 chat') });
  });
});
