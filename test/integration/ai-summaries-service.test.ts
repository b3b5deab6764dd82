import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../../src/sandbox/ai/fake-openai-server.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  CHANNEL,
  cardText,
  channelCard,
  eventually,
  type PurchaseScenario,
  postWebhook,
  startPurchaseScenario,
} from '../support/purchase-scenario.js';

describe('the service with AI summaries on (fake Odoo, fake Slack, fake OpenAI-compatible server)', () => {
  let s: PurchaseScenario;
  let ai: FakeOpenAiServer;
  let svc: InProcessService;

  beforeAll(async () => {
    s = await startPurchaseScenario();
    ai = await FakeOpenAiServer.start();
    svc = await startInProcess(s, {
      env: { AI_BASE_URL: ai.baseUrl, AI_API_KEY: 'sk-test', AI_MODEL: 'gpt-test', AI_TIMEOUT_MS: '5000' },
    });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await ai?.stop();
    await s?.stop();
  });

  it('posts the card with flags at once, and a slow AI draft replaces the summary later', async () => {
    // An earlier confirmed order at 100 per chair; the new one pays 150 (+50%).
    s.odoo.addPurchaseOrder({
      partnerId: s.vendor,
      userId: s.users.buyer,
      state: 'purchase',
      lines: [{ productId: s.product, qty: 2, priceUnit: 100 }],
    });
    ai.mode = 'slow';
    ai.delayMs = 1_500;
    const po = s.newOrder({ lines: 1 });
    const name = String(s.odoo.record('purchase.order', po)!.name);
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBeLessThan(300);

    const card = await channelCard(s, CHANNEL, name);
    const first = cardText(card);
    expect(first).toContain('Price increase');
    expect(first).toContain('up 50.0% from 100.00');
    expect(first).not.toContain('AI-drafted');

    const updated = await eventually(() => {
      const m = s.slack.messages(CHANNEL).find((x) => x.ts === card.ts);
      return m && cardText(m).includes('AI-drafted') ? m : null;
    });
    expect(cardText(updated)).toContain(`AI-drafted: Order ${name} from Azure Interior`);
    expect(ai.requests).toHaveLength(1);
    const metrics = await (await fetch(`${svc.baseUrl}/metrics`)).text();
    expect(metrics).toContain('chatops_ai_drafts_requested_total 1\n');
    expect(metrics).toContain('chatops_ai_drafts_shown_total 1\n');
  }, 30_000);
});
