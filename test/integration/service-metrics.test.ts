import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import {
  buttonsOf,
  CHANNEL,
  clickButton,
  eventually,
  isCardOf,
  type PurchaseScenario,
  postWebhook,
  startPurchaseScenario,
  WEBHOOK_TOKEN,
} from '../support/purchase-scenario.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const FLOW = 'purchase-orders';

describe('GET /metrics of the running service (fake Odoo and Slack)', () => {
  let s: PurchaseScenario;
  let svc: InProcessService;

  beforeAll(async () => {
    s = await startPurchaseScenario();
    svc = await startInProcess(s, { env: { METRICS_TOKEN } });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  const scrape = () => fetch(`${svc.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

  /** A new order announced by webhook; resolves with its case id and channel card once both exist. */
  async function openOrder() {
    const po = s.newOrder({ lines: 1 });
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBe(202);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    const card = await eventually(() =>
      s.slack.messages(CHANNEL).find((m) => !m.threadTs && isCardOf(m, name) && buttonsOf(m)['approval.approve']),
    );
    const c = await eventually(() =>
      svc.service.deps.store.listCases({ limit: 1000 }).then((cs) => cs.find((x) => x.odooId === po)),
    );
    return { po, card, caseId: c.id };
  }

  it('refuses a scrape without the bearer token, and says how to send it', async () => {
    const bare = await fetch(`${svc.baseUrl}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await bare.json()) as { message: string }).message).toContain('Authorization: Bearer <METRICS_TOKEN>');
    const wrong = await fetch(`${svc.baseUrl}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
  });

  it('counts an approval end to end: the decision, the Odoo calls, the HTTP requests and the open cases', async () => {
    const approved = await openOrder();
    await openOrder(); // stays open: the open-cases gauge counts it
    const click = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: buttonsOf(approved.card)['approval.approve']!.value!,
      channelId: approved.card.channel,
      messageTs: approved.card.ts,
    });
    expect(click.status).toBe(200);
    // The case is closed before the first scrape, so the gauge's reading (cached 15 s) already has it closed.
    await eventually(async () => (await svc.service.deps.store.getCase(approved.caseId))?.status === 'approved');

    const { response, text, m } = await eventually(async () => {
      const response = await scrape();
      const text = await response.text();
      const m = parsePrometheusText(text);
      const applied = m.value('odoo_chatops_decisions_total', { outcome: 'applied', flow: FLOW, action: 'approve' });
      const jobDone = m.sum('odoo_chatops_queue_jobs_total', { queue: 'chatops.decisions', result: 'completed' });
      return applied === 1 && jobDone >= 1 ? { response, text, m } : null;
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(
      m.value('odoo_chatops_decisions_total', { outcome: 'applied', action: 'approve', flow: FLOW, platform: 'slack' }),
    ).toBe(1);
    expect(m.sum('odoo_chatops_decisions_total', { outcome: 'failed' })).toBe(0);
    expect(m.value('odoo_chatops_decision_apply_seconds_count', { flow: FLOW, action: 'approve' })).toBe(1);
    expect(m.value('odoo_chatops_cases_opened_total', { flow: FLOW })).toBe(2);
    expect(m.value('odoo_chatops_cases_closed_total', { flow: FLOW, outcome: 'approved' })).toBe(1);
    expect(m.value('odoo_chatops_cases_open', { flow: FLOW })).toBe(1);

    // Odoo: the approval itself went through the counted transport, with its latency.
    expect(m.value('odoo_chatops_odoo_calls_total', { method: 'button_approve', result: 'ok' })).toBe(1);
    expect(m.value('odoo_chatops_odoo_call_duration_seconds_count', { method: 'button_approve' })).toBe(1);
    expect(m.sum('odoo_chatops_odoo_call_duration_seconds_count')).toBeGreaterThan(5);

    // HTTP: by route, with the webhook's token kept out of every label.
    expect(m.value('odoo_chatops_http_requests_total', { route: '/odoo/webhook/:token', status: '202' })).toBe(2);
    expect(m.value('odoo_chatops_http_requests_total', { route: '/slack/events', status: '200' })).toBe(1);
    expect(m.value('odoo_chatops_http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
    expect(m.value('odoo_chatops_http_request_duration_seconds_count', { route: '/odoo/webhook/:token' })).toBe(2);
    expect(text).not.toContain(WEBHOOK_TOKEN);
    expect(text).not.toContain(METRICS_TOKEN);

    // Queues: the backlog gauge for the queues this process works, and the process metrics.
    expect(m.value('odoo_chatops_queue_jobs', { queue: 'chatops.decisions', state: 'failed' })).toBe(0);
    expect(m.types.get('odoo_chatops_queue_jobs')).toBe('gauge');
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  }, 60_000);
});
