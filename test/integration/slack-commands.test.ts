import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_MODAL_CALLBACK, LINK_MODAL_IDS } from '../../src/bot/slack/link-modal.js';
import type { AuditEntry } from '../../src/flows/types.js';
import { slashCommandFields, viewSubmissionPayload } from '../../src/sandbox/slack/payloads.js';
import {
  signedSlackHeaders,
  slashCommandBody,
  viewSubmissionBody,
} from '../../src/sandbox/slack/sign-slack-request.js';
import { CredentialVault } from '../../src/store/credential-vault.js';
import { PgCredentialStore } from '../../src/store/pg-credential-store.js';
import type { PgStore } from '../../src/store/pg-store.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  buttonsOf,
  CHANNEL,
  channelCard,
  clickButton,
  eventually,
  type PurchaseScenario,
  postWebhook,
  SIGNING_SECRET,
  startPurchaseScenario,
} from '../support/purchase-scenario.js';
import { sendSlash } from '../support/slack-slash.js';

const CREDENTIALS_KEY = randomBytes(32).toString('base64');
const DANA_KEY = randomBytes(20).toString('hex');

function isoDaysAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('/odoo commands through signed Slack requests', () => {
  let s: PurchaseScenario;
  let svc: InProcessService;
  let dana: { odoo: number; slack: string };

  beforeAll(async () => {
    s = await startPurchaseScenario();
    // Dana buys nothing and approves nothing herself: she only approves as Mia's delegate.
    dana = {
      odoo: s.odoo.addUser({
        login: 'dana',
        name: 'Dana Deputy',
        email: 'dana@acme.test',
        groups: ['purchase.group_purchase_user'],
        apiKey: DANA_KEY,
      }),
      slack: s.slack.addUser({ name: 'dana', email: 'dana@acme.test' }),
    };
    svc = await startInProcess(s, { env: { CREDENTIALS_KEY } });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  /** Sends `/odoo <text>` as `userId`; returns the HTTP reply, the acknowledgement's text and the response_url id. */
  function slash(userId: string, text: string) {
    return sendSlash(svc.baseUrl, s.slack, userId, text, CHANNEL);
  }

  /** The answer posted to the command's response_url. */
  async function answerTo(responseId: string): Promise<{ text: string; response_type?: string }> {
    const r = await eventually(() => s.slack.responses(responseId)[0]);
    return r.body as { text: string; response_type?: string };
  }

  async function submitLink(userId: string, apiKey: string, privateMetadata = '') {
    const payload = viewSubmissionPayload({
      userId,
      callbackId: LINK_MODAL_CALLBACK,
      privateMetadata,
      values: {
        [LINK_MODAL_IDS.apiKeyBlock]: { [LINK_MODAL_IDS.apiKeyInput]: { type: 'plain_text_input', value: apiKey } },
      },
    });
    const req = viewSubmissionBody(payload);
    const res = await fetch(`${svc.baseUrl}/slack/events`, {
      method: 'POST',
      headers: signedSlackHeaders(SIGNING_SECRET, req),
      body: req.body,
    });
    const raw = await res.text();
    return { status: res.status, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
  }

  async function audit(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const e of svc.service.deps.audit.entries()) out.push(e);
    return out;
  }

  it('answers help, unknown subcommands and bad input at once, privately, with the usage', async () => {
    const help = await slash(s.slackUsers.manager, 'help');
    expect(help.status).toBe(200);
    expect(help.ack.response_type).toBe('ephemeral');
    expect(help.ack.text).toContain('/odoo delegate @person until YYYY-MM-DD');
    expect(help.ack.text).toContain('/odoo link');

    const unknown = await slash(s.slackUsers.manager, 'approve everything');
    expect(unknown.ack.text).toMatch(/^Unknown subcommand "approve"\.\n/);

    const badDate = await slash(s.slackUsers.manager, `delegate <@${dana.slack}|dana> until 24.12.2026`);
    expect(badDate.ack).toMatchObject({ response_type: 'ephemeral' });
    expect(badDate.ack.text).toContain('write it as YYYY-MM-DD');
    expect(badDate.ack.text).toContain('/odoo delegate off');
  });

  let delegatedOrder = 0;

  it('delegate: stores, lists and refuses a loop', async () => {
    const until = isoDaysAhead(7);
    const set = await slash(s.slackUsers.manager, `delegate <@${dana.slack}|dana> until ${until}`);
    expect(set.status).toBe(200);
    const setAnswer = await answerTo(set.responseId);
    expect(setAnswer.response_type).toBe('ephemeral');
    expect(setAnswer.text).toContain('Dana Deputy can approve for you until the end of');
    const stored = await svc.service.deps.store.listDelegations({ activeAt: new Date() });
    expect(stored).toEqual([
      expect.objectContaining({ fromOdooUserId: s.users.manager, toOdooUserId: dana.odoo, source: 'chat' }),
    ]);
    expect(stored[0]!.endsAt.toISOString()).toBe(`${isoDaysAhead(8)}T00:00:00.000Z`);
    expect((await audit()).some((e) => e.type === 'delegation.created')).toBe(true);

    const mine = await answerTo((await slash(s.slackUsers.manager, 'delegate')).responseId);
    expect(mine.text).toContain('*You delegate to:*\n• Dana Deputy until the end of');
    const hers = await answerTo((await slash(dana.slack, 'delegate list')).responseId);
    expect(hers.text).toContain('*You approve for:*\n• Mia Manager until the end of');

    const loop = await answerTo(
      (await slash(dana.slack, `delegate <@${s.slackUsers.manager}> until ${until}`)).responseId,
    );
    expect(loop.text).toContain('Mia Manager already delegates to you, so this would make a loop');
  });

  it('delegate: the delegate receives the card and approves on behalf of the delegator', async () => {
    const po = s.newOrder();
    delegatedOrder = po;
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBe(202);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    const card = await channelCard(s, CHANNEL, name);
    const click = await clickButton(svc.baseUrl, s, {
      userId: dana.slack,
      actionId: 'approval.approve',
      value: buttonsOf(card)['approval.approve']!.value!,
      channelId: card.channel,
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);
    await eventually(() => s.odoo.record('purchase.order', po)?.state === 'purchase');
    const c = (await svc.service.deps.store.listCases({ limit: 1000 })).find((x) => x.odooId === po);
    expect(c?.tiers[0]?.approvals).toEqual([
      expect.objectContaining({
        odooUserId: dana.odoo,
        onBehalfOf: { odooUserId: s.users.manager, name: 'Mia Manager' },
      }),
    ]);
  });

  it('delegate: the chatter note names on whose behalf the delegate approved', async () => {
    const notes = await eventually(() => {
      const text = s.odoo
        .messages('purchase.order', delegatedOrder)
        .map((m) => String(m.body))
        .join('\n');
      return text.includes('Approved by') ? text : null;
    });
    expect(notes).toMatch(/Approved by <b>Dana Deputy<\/b> on behalf of <b>Mia Manager<\/b>/);
  });

  it('delegate off ends it', async () => {
    const off = await answerTo((await slash(s.slackUsers.manager, 'delegate off')).responseId);
    expect(off.text).toContain('Your delegation to Dana Deputy has ended.');
    expect(await svc.service.deps.store.listDelegations({ activeAt: new Date() })).toEqual([]);
    expect((await audit()).some((e) => e.type === 'delegation.ended')).toBe(true);
  });

  it('delegate to someone without an Odoo user is refused with a sentence', async () => {
    const r = await slash(s.slackUsers.manager, `delegate <@${s.slackUsers.stranger}|sam> until ${isoDaysAhead(3)}`);
    const answer = await answerTo(r.responseId);
    expect(answer.text).toContain('is not an active internal Odoo user');
  });

  it('link: opens the modal, refuses a wrong key, stores the right one sealed, and unlink removes it', async () => {
    const r = await slash(dana.slack, 'link');
    expect(r.status).toBe(200);
    const view = await eventually(() =>
      s.slack.views().find((v) => v.userId === dana.slack && v.view.callback_id === LINK_MODAL_CALLBACK),
    );
    expect(JSON.stringify(view.view.blocks)).toContain('your Odoo login: *dana*');
    const meta = String(view.view.private_metadata ?? '');

    const wrong = await submitLink(dana.slack, randomBytes(20).toString('hex'), meta);
    expect(wrong.status).toBe(200);
    expect(wrong.body).toMatchObject({ response_action: 'errors' });
    expect((wrong.body.errors as Record<string, string>)[LINK_MODAL_IDS.apiKeyBlock]).toMatch(/^Odoo refused this key/);

    const short = await submitLink(dana.slack, 'password1', meta);
    expect((short.body.errors as Record<string, string>)[LINK_MODAL_IDS.apiKeyBlock]).toMatch(/too short/);

    const right = await submitLink(dana.slack, DANA_KEY, meta);
    expect(right.status).toBe(200);
    expect(right.body).toEqual({});
    const confirmed = await answerTo(r.responseId);
    expect(confirmed.text).toContain('Your Odoo API key is linked');

    const store = svc.service.deps.store as PgStore;
    const credentials = new PgCredentialStore(store.pool, CredentialVault.fromEnv(CREDENTIALS_KEY), {
      schema: store.schema,
    });
    expect(await credentials.get(dana.odoo)).toEqual({ login: 'dana', apiKey: DANA_KEY });
    const sealed = await store.pool.query(
      `SELECT sealed FROM "${store.schema}".user_credentials WHERE odoo_user_id = $1`,
      [dana.odoo],
    );
    expect(String(sealed.rows[0]?.sealed)).not.toContain(DANA_KEY);
    const linked = (await audit()).find((e) => e.type === 'identity.linked');
    expect(linked?.data).toEqual({ odooUserId: dana.odoo, login: 'dana' });
    expect(JSON.stringify(await audit())).not.toContain(DANA_KEY);

    const unlink = await answerTo((await slash(dana.slack, 'unlink')).responseId);
    expect(unlink.text).toContain('Your Odoo API key is removed');
    expect(await credentials.has(dana.odoo)).toBe(false);
  });
});

describe('/odoo link without CREDENTIALS_KEY', () => {
  it('says per-user keys are not enabled and what the admin must set', async () => {
    const s = await startPurchaseScenario();
    const svc = await startInProcess(s);
    try {
      const responseId = randomUUID();
      const req = slashCommandBody(
        slashCommandFields({
          text: 'link',
          userId: s.slackUsers.manager,
          triggerId: s.slack.issueTriggerId(s.slackUsers.manager),
          responseUrl: s.slack.responseUrl(responseId),
        }),
      );
      const res = await fetch(`${svc.baseUrl}/slack/events`, {
        method: 'POST',
        headers: signedSlackHeaders(SIGNING_SECRET, req),
        body: req.body,
      });
      expect(res.status).toBe(200);
      const answer = await eventually(() => s.slack.responses(responseId)[0]);
      expect((answer.body as { text: string }).text).toMatch(/not enabled.*CREDENTIALS_KEY/s);
      expect(s.slack.views()).toEqual([]);
    } finally {
      await svc.close();
      await s.stop();
    }
  }, 60_000);
});
