import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/flows/types.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  buttonsOf,
  CHANNEL,
  cardText,
  chatterOf,
  clickButton,
  eventually,
  isCardOf,
  type PurchaseScenario,
  postWebhook,
  startPurchaseScenario,
  submitRejectModal,
} from '../support/purchase-scenario.js';

async function auditOf(svc: InProcessService, caseId: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of svc.service.deps.audit.entries({ caseId })) out.push(e);
  return out;
}

describe('approval decisions against fake Odoo and Slack', () => {
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

  /** A new order in "to approve", announced by webhook; resolves once its channel card is up. */
  async function openOrder(opts: { userId?: number } = {}) {
    const po = s.odoo.addPurchaseOrder({
      partnerId: s.vendor,
      userId: opts.userId ?? s.users.buyer,
      lines: [{ productId: s.product, qty: 3, priceUnit: 99 }],
      state: 'to approve',
    });
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBe(202);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    // The channel card of this order: a top-level message with the buttons (thread replies may name it too).
    const card = await eventually(() =>
      s.slack.messages(CHANNEL).find((m) => !m.threadTs && isCardOf(m, name) && buttonsOf(m)['approval.approve']),
    );
    const c = await eventually(() =>
      svc.service.deps.store.listCases({ limit: 1000 }).then((cs) => cs.find((x) => x.odooId === po)),
    );
    return { po, name, card, caseId: c.id, value: buttonsOf(card)['approval.approve']!.value! };
  }

  const approveCalls = (po: number) =>
    s.odoo.calls.filter(
      (c) => c.modelMethod === 'button_approve' && Array.isArray(c.args[0]) && (c.args[0] as number[]).includes(po),
    ).length;

  it('double clicks, Slack retries and a second approver at once lead to one write-back and one applied entry', async () => {
    const o = await openOrder();
    const click = (userId: string, actionTs: string) =>
      clickButton(svc.baseUrl, s, {
        userId,
        actionId: 'approval.approve',
        value: o.value,
        channelId: o.card.channel,
        messageTs: o.card.ts,
        actionTs,
      });
    const replies = await Promise.all([
      click(s.slackUsers.manager, '1700000001.000001'),
      click(s.slackUsers.manager, '1700000001.000001'), // Slack's retry of the same request
      click(s.slackUsers.manager, '1700000001.000002'), // a double click
      click(s.slackUsers.manager2, '1700000001.000003'), // another approver at the same moment
    ]);
    for (const r of replies) expect(r.status).toBe(200);
    await eventually(() => s.odoo.record('purchase.order', o.po)?.state === 'purchase');
    await eventually(
      async () => (await auditOf(svc, o.caseId)).filter((e) => e.type === 'decision.refused').length === 2,
    );
    await eventually(async () => (await auditOf(svc, o.caseId)).some((e) => e.type === 'decision.applied'));
    expect(approveCalls(o.po)).toBe(1);
    const audit = await auditOf(svc, o.caseId);
    expect(audit.filter((e) => e.type === 'decision.applied')).toHaveLength(1);
    expect(audit.filter((e) => e.type === 'decision.requested')).toHaveLength(3);
    // The losers were told who won.
    const told = s.slack.responses().map((r) => JSON.stringify(r));
    expect(told.some((t) => /already approved by|being approved by/.test(t))).toBe(true);
    expect(s.odoo.messages('purchase.order', o.po).filter((m) => /Approved by/.test(String(m.body)))).toHaveLength(1);
  });

  it('tells an unlinked Slack user privately and changes nothing', async () => {
    const o = await openOrder();
    const r = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.stranger,
      actionId: 'approval.approve',
      value: o.value,
      channelId: o.card.channel,
      messageTs: o.card.ts,
    });
    expect(r.status).toBe(200);
    await eventually(() => s.slack.responses().some((x) => JSON.stringify(x).includes('not linked to an Odoo user')));
    expect(s.odoo.record('purchase.order', o.po)?.state).toBe('to approve');
    const audit = await auditOf(svc, o.caseId);
    expect(audit.find((e) => e.type === 'decision.refused')?.data.code).toBe('identity.not_linked');
  });

  it('refuses a requester approving their own order (segregation of duties)', async () => {
    const o = await openOrder({ userId: s.users.manager2 });
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager2,
      actionId: 'approval.approve',
      value: o.value,
      channelId: o.card.channel,
      messageTs: o.card.ts,
    });
    await eventually(async () =>
      (await auditOf(svc, o.caseId)).some((e) => e.data.code === 'policy.segregation_of_duties'),
    );
    expect(s.odoo.record('purchase.order', o.po)?.state).toBe('to approve');
    // The requester was not sent the card either.
    expect(
      s.slack.dmChannelOf(s.slackUsers.manager2) &&
        s.slack.messages(s.slack.dmChannelOf(s.slackUsers.manager2)).some((m) => cardText(m).includes(o.name)),
    ).toBeFalsy();
  });

  it('refuses a stale card, redraws it, and accepts a click on the redrawn card', async () => {
    const o = await openOrder();
    await new Promise((r) => setTimeout(r, 1100)); // write_date has one-second resolution
    s.odoo.write('purchase.order', o.po, { partner_ref: 'changed after the card was drawn' });
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: o.value,
      channelId: o.card.channel,
      messageTs: o.card.ts,
    });
    await eventually(async () => (await auditOf(svc, o.caseId)).some((e) => e.data.code === 'case.stale_card'));
    expect(s.odoo.record('purchase.order', o.po)?.state).toBe('to approve');
    const redrawn = await eventually(() => {
      const m = s.slack.messages(CHANNEL).find((x) => x.ts === o.card.ts)!;
      const v = buttonsOf(m)['approval.approve']?.value;
      return v && v !== o.value ? { m, v } : null;
    });
    expect(cardText(redrawn.m)).toContain('changed in Odoo');
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: redrawn.v,
      channelId: o.card.channel,
      messageTs: o.card.ts,
    });
    await eventually(() => s.odoo.record('purchase.order', o.po)?.state === 'purchase');
  });

  it('rejects through the modal with a required reason, cancelling the order (None-marshal fault is success)', async () => {
    const o = await openOrder();
    const r = await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.reject',
      value: o.value,
      channelId: o.card.channel,
      messageTs: o.card.ts,
    });
    expect(r.status).toBe(200);
    const view = await eventually(() =>
      s.slack.views().find((v) => String(v.view.private_metadata ?? '').includes(o.caseId)),
    );
    const meta = String(view.view.private_metadata);
    const empty = await submitRejectModal(svc.baseUrl, {
      userId: s.slackUsers.manager,
      privateMetadata: meta,
      reason: ' ',
    });
    expect(await empty.json()).toMatchObject({ response_action: 'errors' });
    const ok = await submitRejectModal(svc.baseUrl, {
      userId: s.slackUsers.manager,
      privateMetadata: meta,
      reason: 'Price is 20% above the framework contract',
    });
    expect(ok.status).toBe(200);
    await eventually(() => s.odoo.record('purchase.order', o.po)?.state === 'cancel');
    const note = await chatterOf(s, 'purchase.order', o.po, /Rejected by/);
    expect(note).toMatch(/Rejected by .*Mia Manager/);
    expect(note).toContain('framework contract');
    await eventually(() =>
      cardText(s.slack.messages(CHANNEL).find((m) => m.ts === o.card.ts)!).includes('Rejected by Mia Manager'),
    );
  });

  it('keeps a decision while Odoo is down and applies it once when Odoo is back', async () => {
    const o = await openOrder();
    s.odoo.failNext(2, 'unreachable');
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: o.value,
      channelId: o.card.channel,
      messageTs: o.card.ts,
    });
    await eventually(
      () => cardText(s.slack.messages(CHANNEL).find((m) => m.ts === o.card.ts)!).includes('Odoo is not answering'),
      10_000,
    );
    await eventually(() => s.odoo.record('purchase.order', o.po)?.state === 'purchase', 30_000);
    await eventually(async () => (await auditOf(svc, o.caseId)).some((e) => e.type === 'decision.applied'));
    expect(approveCalls(o.po)).toBe(1);
    const audit = await auditOf(svc, o.caseId);
    expect(audit.filter((e) => e.type === 'decision.applied')).toHaveLength(1);
  });
});
