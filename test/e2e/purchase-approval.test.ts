import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buttonsOf,
  CHANNEL,
  cardText,
  clickButton,
  eventually,
  type PurchaseScenario,
  postWebhook,
  startPurchaseScenario,
} from '../support/purchase-scenario.js';
import { runCli, type SpawnedService, spawnService } from '../support/spawn-service.js';

const variants = [
  { name: 'embedded defaults (PGlite store and queues)', env: () => ({}) },
  {
    name: 'Redis queues',
    env: () => ({ REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: `e2e-${randomUUID().slice(0, 8)}` }),
  },
];

describe.each(variants)('purchase order approval end to end, $name', ({ env }) => {
  let s: PurchaseScenario;
  let svc: SpawnedService;

  beforeAll(async () => {
    s = await startPurchaseScenario({ extraEnv: env() });
    svc = await spawnService(s.env);
  }, 60_000);

  afterAll(async () => {
    const code = await svc?.stop();
    await s?.stop();
    expect(code).toBe(0);
  });

  it('answers health and readiness', async () => {
    expect((await fetch(`${svc.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${svc.baseUrl}/readyz`);
    const body = (await ready.json()) as { status: string; checks: Array<{ name: string; ok: boolean }> };
    expect(ready.status, JSON.stringify(body)).toBe(200);
    expect(body.checks.map((c) => c.name).sort()).toEqual(expect.arrayContaining(['database', 'odoo']));
  });

  it('webhook → card → signed click → Odoo approved, chatter, card updated, audit verifies', async () => {
    const po = s.newOrder();
    const hook = await postWebhook(svc.baseUrl, s, po);
    expect(hook.status).toBe(202);

    const card = await eventually(() => s.slack.lastMessage(CHANNEL));
    const text = cardText(card);
    expect(text).toContain('Azure Interior');
    expect(text).toContain('Bob Buyer');
    const approve = buttonsOf(card)['approval.approve'];
    expect(approve?.value).toBeTruthy();
    // The approvers with a Slack account got a DM too; the requester did not.
    await eventually(() => s.slack.dmChannelOf(s.slackUsers.manager2));
    expect(s.slack.dmChannelOf(s.slackUsers.buyer)).toBeUndefined();

    const click = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: approve!.value!,
      channelId: card.channel,
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);

    await eventually(() => s.odoo.record('purchase.order', po)?.state === 'purchase');
    const notes = await eventually(() => {
      const text = s.odoo
        .messages('purchase.order', po)
        .map((m) => String(m.body))
        .join('\n');
      return text.includes('Approved by') ? text : null;
    });
    expect(notes).toMatch(/Approved by .*Mia Manager.* in Slack/);
    const updated = await eventually(() => {
      const m = s.slack.lastMessage(CHANNEL);
      return m && cardText(m).includes('Approved by Mia Manager') ? m : null;
    });
    expect(buttonsOf(updated)['approval.approve']).toBeUndefined();
    // Every copy of the card, DMs included, shows the outcome.
    const dm = s.slack.dmChannelOf(s.slackUsers.manager2)!;
    await eventually(() => cardText(s.slack.lastMessage(dm)!).includes('Approved by Mia Manager'));

    const verify = await runCli(['audit', 'verify'], s.env);
    expect(verify.stdout + verify.stderr).toMatch(/audit log intact: \d+ entries/);
    expect(verify.code).toBe(0);
    const exported = await runCli(['audit', 'export', '--format', 'jsonl'], s.env);
    expect(exported.code).toBe(0);
    const types = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type as string);
    expect(types).toEqual(
      expect.arrayContaining(['case.opened', 'card.posted', 'decision.requested', 'decision.applied']),
    );
    expect(types.filter((t) => t === 'decision.applied')).toHaveLength(1);
  });

  it('refuses a forged click and a wrong webhook token without side effects', async () => {
    const writes = () =>
      s.odoo.calls.filter((c) =>
        ['button_approve', 'button_cancel', 'message_post', 'write', 'create'].includes(c.modelMethod ?? ''),
      ).length;
    const before = writes();
    const forged = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: JSON.stringify({ c: randomUUID(), w: null }),
      channelId: CHANNEL,
      messageTs: '1.2',
      secret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const hook = await fetch(`${svc.baseUrl}/odoo/webhook/wrong-token-wrong-token-wrong`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"_id":1,"_model":"purchase.order"}',
    });
    expect(hook.status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(writes()).toBe(before);
  });
});
