import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateView } from '../../src/sandbox/slack/block-kit-limits.js';
import { signSlackRequest } from '../../src/sandbox/slack/sign-slack-request.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  buttonsOf,
  CHANNEL,
  cardText,
  clickButton,
  eventually,
  type PurchaseScenario,
  postWebhook,
  SIGNING_SECRET,
  startPurchaseScenario,
} from '../support/purchase-scenario.js';

describe('Slack App Home', () => {
  let s: PurchaseScenario;
  let svc: InProcessService;

  beforeAll(async () => {
    s = await startPurchaseScenario();
    svc = await startInProcess(s);
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  /** An Events API `event_callback` for `app_home_opened`, signed as Slack signs it. */
  async function openHome(userId: string, tab: 'home' | 'messages' = 'home') {
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: s.slack.teamId,
      api_app_id: 'A0FAKEAPP01',
      type: 'event_callback',
      event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab, event_ts: `${Date.now() / 1000}` },
      authorizations: [{ team_id: s.slack.teamId, user_id: s.slack.botUserId, is_bot: true }],
    });
    const res = await fetch(`${svc.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(SIGNING_SECRET, body) },
      body,
    });
    expect(res.status).toBe(200);
  }

  const homeText = (userId: string) => JSON.stringify(s.slack.homeView(userId)?.view.blocks ?? []);
  const publishes = (userId: string) =>
    s.slack.calls.filter((c) => c.method === 'views.publish' && c.args.user_id === userId);

  let order: { id: number; name: string };

  it('publishes the opener’s pending approvals with views.publish', async () => {
    const id = s.newOrder();
    expect((await postWebhook(svc.baseUrl, s, id)).status).toBe(202);
    await eventually(() => s.slack.messages(CHANNEL).some((m) => cardText(m).length > 0));
    order = { id, name: String(s.odoo.record('purchase.order', id)!.name) };
    await openHome(s.slackUsers.manager);
    const view = await eventually(() => s.slack.homeView(s.slackUsers.manager));
    expect(view.view.type).toBe('home');
    expect(validateView({ type: 'home', blocks: view.view.blocks })).toEqual([]);
    expect(homeText(s.slackUsers.manager)).toContain('Waiting on you');
    expect(homeText(s.slackUsers.manager)).toContain(`*${order.name}*`);
    expect(homeText(s.slackUsers.manager)).toMatch(/1 case waiting on you/);
    expect(publishes(s.slackUsers.manager).every((c) => c.ok)).toBe(true);
  });

  it('is refreshed each time it is opened', async () => {
    const card = await eventually(() => s.slack.messages(CHANNEL).find((m) => cardText(m).includes(order.name)));
    const click = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: buttonsOf(card)['approval.approve']!.value!,
      channelId: card.channel,
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);
    await eventually(() => s.odoo.record('purchase.order', order.id)?.state === 'purchase');
    const before = publishes(s.slackUsers.manager).length;
    await openHome(s.slackUsers.manager);
    await eventually(() => publishes(s.slackUsers.manager).length > before);
    expect(homeText(s.slackUsers.manager)).toContain('Nothing is waiting on you.');
    expect(s.slack.homeView(s.slackUsers.manager)!.history.length).toBeGreaterThan(1);
  });

  it('tells someone without an Odoo user why it is empty, and ignores the Messages tab', async () => {
    await openHome(s.slackUsers.stranger);
    await eventually(() => s.slack.homeView(s.slackUsers.stranger));
    expect(homeText(s.slackUsers.stranger)).toContain('is not linked to an Odoo user');
    await openHome(s.slackUsers.buyer, 'messages');
    await new Promise((r) => setTimeout(r, 200));
    expect(publishes(s.slackUsers.buyer)).toHaveLength(0);
  });
});
