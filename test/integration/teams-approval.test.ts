// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardActionActivity, installationUpdateActivity, messageActivity } from '../../src/sandbox/teams/activities.js';
import { FakeSigningKey } from '../../src/sandbox/teams/fake-jwt.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { chatterOf, eventually, postWebhook } from '../support/purchase-scenario.js';
import { cardOf, executes, isTeamsCardOf, type Json } from '../support/teams-cards.js';
import { startTeamsScenario, TEAMS_CHANNEL, TEAMS_POLICY_YAML, type TeamsScenario } from '../support/teams-scenario.js';

describe('an approval entirely in Microsoft Teams (fake Bot Connector)', () => {
  let s: TeamsScenario;
  let svc: InProcessService;

  beforeAll(async () => {
    s = await startTeamsScenario();
    svc = await startInProcess(s, { policyYaml: TEAMS_POLICY_YAML });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  /** A new order announced by webhook; resolves with the Teams channel card and Mia's 1:1 card. */
  async function openOrder() {
    const po = s.newOrder();
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBeLessThan(300);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    const find = (conv: string) => s.teams.activities(conv).find((a) => isTeamsCardOf(a, name));
    const channel = await eventually(() => find(TEAMS_CHANNEL));
    const dmConv = await eventually(() => [...s.teams.conversations.keys()].find((c) => c.startsWith('a:') && find(c)));
    const dm = find(dmConv)!;
    return { po, name, channel, dmConv, dm };
  }

  it('is installed in a team channel, linked to the flow, and learns who Mia is', async () => {
    const install = installationUpdateActivity(s.channelContext(), s.teamsUsers.manager);
    expect((await s.deliver(svc.baseUrl, install)).status).toBe(200);
    const link = messageActivity(s.channelContext(), s.teamsUsers.manager, 'link channel purchase-orders');
    expect((await s.deliver(svc.baseUrl, link)).status).toBe(200);
    const replies = s.teams.activities(TEAMS_CHANNEL).map((a) => String(a.text ?? ''));
    expect(replies.join('\n')).toMatch(/now gets the approval cards of "purchase-orders"/);
    // The bot asked the Bot Connector who Mia is, with a token from the fake login.
    expect(
      s.teams.calls.some((c) => c.method === 'GET' && c.path.includes(`/members/${s.teamsUsers.manager.id}`)),
    ).toBe(true);
  });

  it('posts the card in the channel (status only) and 1:1 to Mia (with buttons), and approves from Teams', async () => {
    const { po, channel, dmConv, dm } = await openOrder();
    expect(executes(cardOf(channel))[`approval.approve`]).toBeUndefined();
    expect(cardOf(channel)?.refresh?.userIds).toEqual([s.teamsUsers.manager.id]);
    const approve = executes(cardOf(dm))['approval.approve'];
    expect(approve).toBeDefined();

    const invoke = cardActionActivity(s.personalContext(dmConv), s.teamsUsers.manager, {
      verb: approve!.verb,
      data: approve!.data,
      replyToId: String(dm.id),
    });
    const res = await s.deliver(svc.baseUrl, invoke);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(body.value)).toContain('Your approval is being recorded');

    await eventually(() => s.odoo.record('purchase.order', po)?.state === 'purchase');
    const chatter = await chatterOf(s, 'purchase.order', po, /Microsoft Teams/);
    expect(chatter).toMatch(/Mia Manager/);
    const updated = await eventually(() =>
      s.teams.calls.find(
        (c) =>
          c.method === 'PUT' &&
          c.conversationId === TEAMS_CHANNEL &&
          c.activityId === channel.id &&
          /Approved by/.test(JSON.stringify(c.body)),
      ),
    );
    expect(Object.keys(executes(cardOf(updated.body as Json)))).toEqual([]);
  });

  it('refuses unsigned and badly signed activities with 401 and does nothing', async () => {
    const { po, dmConv, dm } = await openOrder();
    const approve = executes(cardOf(dm))['approval.approve']!;
    const invoke = () =>
      cardActionActivity(s.personalContext(dmConv), s.teamsUsers.manager, { verb: approve.verb, data: approve.data });
    expect((await s.deliver(svc.baseUrl, invoke(), null)).status).toBe(401);
    const forged = `Bearer ${new FakeSigningKey().sign({ iss: s.teams.issuer, aud: s.env.TEAMS_CLIENT_ID, serviceurl: s.teams.serviceUrl })}`;
    expect((await s.deliver(svc.baseUrl, invoke(), forged)).status).toBe(401);
    const wrongAudience = s.teams.signActivityJwt({ serviceUrl: s.teams.serviceUrl }, { aud: 'someone-else' });
    expect((await s.deliver(svc.baseUrl, invoke(), wrongAudience)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.odoo.record('purchase.order', po)?.state).toBe('to approve');
  });

  it('rejects with the required reason', async () => {
    const { po, dmConv, dm } = await openOrder();
    const reject = executes(cardOf(dm))['approval.reject']!;
    const send = (reason: string) =>
      s.deliver(
        svc.baseUrl,
        cardActionActivity(s.personalContext(dmConv), s.teamsUsers.manager, {
          verb: reject.verb,
          data: { ...reject.data, reason },
        }),
      );
    const blank = (await (await send(' ')).json()) as Json;
    expect(JSON.stringify(blank.value)).toMatch(/Please give a reason/);
    expect(s.odoo.record('purchase.order', po)?.state).toBe('to approve');
    expect((await send('Vendor is not on the approved list')).status).toBe(200);
    await eventually(() => s.odoo.record('purchase.order', po)?.state === 'cancel');
    await chatterOf(s, 'purchase.order', po, /Vendor is not on the approved list/);
  });

  it('refuses "link channel" from someone who neither administers Odoo nor approves the flow', async () => {
    const link = messageActivity(s.channelContext(), s.teamsUsers.buyer, 'link channel purchase-orders');
    expect((await s.deliver(svc.baseUrl, link)).status).toBe(200);
    await eventually(() =>
      s.teams
        .activities(TEAMS_CHANNEL)
        .some((a) => String(a.text ?? '').includes('Only an Odoo administrator, a finance user')),
    );
  });
});
