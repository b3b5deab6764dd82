import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_MORE_ACTION } from '../../src/bot/commands/run-command.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  buttonsOf,
  CHANNEL,
  channelCard,
  clickButton,
  eventually,
  POLICY_YAML,
  type PurchaseScenario,
  postWebhook,
  startPurchaseScenario,
} from '../support/purchase-scenario.js';
import { sendSlash, slashAnswer } from '../support/slack-slash.js';

/** The README policy plus `access.finance`: Max sees every case. */
const POLICY = `${POLICY_YAML}access:
  finance: { users: [max@acme.test] }
`;

describe('/odoo status, pending, sla and whoami through signed Slack requests', () => {
  let s: PurchaseScenario;
  let svc: InProcessService;
  let lead: string;
  let outsider: string;
  const orders: number[] = [];

  beforeAll(async () => {
    s = await startPurchaseScenario();
    // Nina leads Bob (the buyer); Olga has an Odoo user but nothing to do with these orders.
    const nina = s.odoo.addUser({ login: 'nina', name: 'Nina Lead', email: 'nina@acme.test', groups: [] });
    const ninaEmployee = s.odoo.addEmployee({ name: 'Nina Lead', userId: nina });
    s.odoo.addEmployee({ name: 'Bob Buyer', userId: s.users.buyer, parentId: ninaEmployee });
    s.odoo.addUser({ login: 'olga', name: 'Olga Other', email: 'olga@acme.test', groups: [] });
    lead = s.slack.addUser({ name: 'nina', email: 'nina@acme.test' });
    outsider = s.slack.addUser({ name: 'olga', email: 'olga@acme.test' });
    svc = await startInProcess(s, { policyYaml: POLICY });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  /** Sends `/odoo <text>` as `userId` and returns the private answer. */
  async function ask(userId: string, text: string) {
    const r = await sendSlash(svc.baseUrl, s.slack, userId, text, CHANNEL);
    expect(r.status).toBe(200);
    const answer = await slashAnswer(s.slack, r);
    if (!r.ack.text) expect(answer.body.response_type).toBe('ephemeral');
    return answer;
  }

  async function openOrder(): Promise<{ id: number; name: string }> {
    const id = s.newOrder();
    expect((await postWebhook(svc.baseUrl, s, id)).status).toBe(202);
    await eventually(async () =>
      (await svc.service.deps.store.listCases({ limit: 1000 })).some((c) => c.odooId === id && c.status === 'open'),
    );
    orders.push(id);
    return { id, name: String(s.odoo.record('purchase.order', id)!.name) };
  }

  async function approve(name: string, id: number) {
    const card = await channelCard(s, CHANNEL, name);
    const click = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: buttonsOf(card)['approval.approve']!.value!,
      channelId: card.channel,
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);
    await eventually(() => s.odoo.record('purchase.order', id)?.state === 'purchase');
    await eventually(async () =>
      (await svc.service.deps.store.listCases({ limit: 1000 })).some((c) => c.odooId === id && c.status === 'approved'),
    );
  }

  let first: { id: number; name: string };

  it('status of an open order shows its approvers, the waiting time, events and the Odoo link', async () => {
    first = await openOrder();
    const { text } = await ask(s.slackUsers.manager, `status ${first.name.toLowerCase()}`);
    expect(text).toContain(`*${first.name}*`);
    expect(text).toContain('case: waiting for approval');
    expect(text).toMatch(/waiting on [^\n]*Mia Manager[^\n]* for \d+m of business time/);
    expect(text).toMatch(/waiting on [^\n]*Max Manager/);
    expect(text).toContain('of business time');
    expect(text).toContain('case.opened');
    expect(text).toContain('_It is waiting on you');
    expect(text).toMatch(/Open in Odoo: http:\/\/127\.0\.0\.1:\d+\/.*purchase\.order/);
  });

  it('status of an unknown reference suggests near misses, and hides cases one may not see', async () => {
    const near = await ask(s.slackUsers.manager, `status ${first.name}X`);
    expect(near.text).toContain(`No approval case found for "${first.name}X". Did you mean \`${first.name}\``);
    const hidden = await ask(outsider, `status ${first.name}`);
    expect(hidden.text).toMatch(/^No approval case found for/);
    expect(hidden.text).not.toContain(first.name.replace(/\d+$/, '') + 'X');
    const lead = await ask(s.slackUsers.buyer, `status ${first.name}`);
    expect(lead.text).toContain(`*${first.name}*`);
    const empty = await ask(s.slackUsers.manager, 'status');
    expect(empty.text).toContain('Say which document');
    expect(empty.text).toContain('/odoo status <reference>');
  });

  it('pending mine pages ten at a time with a Show more button', async () => {
    for (let i = 0; i < 11; i++) await openOrder();
    const page1 = await ask(s.slackUsers.manager, 'pending');
    expect(page1.text).toMatch(/^12 cases waiting on you, oldest first/);
    expect(page1.text.split('\n').filter((l) => /^\d+\. \*/.test(l))).toHaveLength(10);
    expect(page1.text).toContain(`1. *${first.name}*`);
    const more = buttonsOf(page1.body as { blocks?: unknown })[COMMAND_MORE_ACTION];
    expect(more?.value).toBeTruthy();

    const click = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: COMMAND_MORE_ACTION,
      value: more!.value!,
      channelId: CHANNEL,
      messageTs: '1700000000.000100',
    });
    expect(click.status).toBe(200);
    const page2 = await eventually(() =>
      s.slack.ephemerals(s.slackUsers.manager).find((e) => /^12 cases waiting on you.*11–12/.test(e.text)),
    );
    expect(page2.text.split('\n').filter((l) => /^\d+\. \*/.test(l))).toHaveLength(2);
    expect(buttonsOf(page2)[COMMAND_MORE_ACTION]).toBeUndefined();
  });

  it('pending team shows a manager the cases of their reports; all is for finance only', async () => {
    const team = await ask(lead, 'pending team');
    expect(team.text).toMatch(/^12 cases requested by your team/);
    const refused = await ask(s.slackUsers.manager, 'pending all');
    expect(refused.text).toContain('`pending all` is only for the finance people');
    const all = await ask(s.slackUsers.manager2, 'pending all purchase-orders');
    expect(all.text).toMatch(/^12 cases waiting in all flows in purchase-orders/);
    const unknownFlow = await ask(s.slackUsers.manager2, 'pending all nope');
    expect(unknownFlow.text).toContain('There is no flow "nope"');
    const bad = await ask(s.slackUsers.manager2, 'pending everyone');
    expect(bad.text).toContain('"everyone" is not a scope');
    expect(bad.text).toContain('/odoo pending [mine|team|all] [flow]');
  });

  it('sla after a couple of approvals', async () => {
    const names = orders.slice(0, 2).map((id) => ({ id, name: String(s.odoo.record('purchase.order', id)!.name) }));
    for (const o of names) await approve(o.name, o.id);
    const { text } = await ask(s.slackUsers.manager2, 'sla 7d');
    expect(text).toContain('all cases; times in business hours');
    expect(text).toMatch(/\*purchase-orders\*: 12 opened · 2 decided · median \S+ · p90 \S+ · SLA n\/a/);
    expect(text).toContain('0 escalated · 0 expired');
    const bad = await ask(s.slackUsers.manager2, 'sla 90d');
    expect(bad.text).toContain('"90d" is not a period');
  });

  it('whoami names the Odoo user, the flows one approves and delegations', async () => {
    const mia = await ask(s.slackUsers.manager, 'whoami');
    expect(mia.text).toContain('You are *Mia Manager* in Odoo (login mia');
    expect(mia.text).toContain('You approve: purchase-orders.');
    expect(mia.text).toContain('You see your own cases and those of people who report to you.');
    expect(mia.text).toContain('You delegate to nobody.');
    const max = await ask(s.slackUsers.manager2, 'whoami');
    expect(max.text).toContain('You see every case');
    const stranger = await ask(s.slackUsers.stranger, 'whoami');
    expect(stranger.text).toContain('is not linked to an Odoo user');
  });
});
