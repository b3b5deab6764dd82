import { afterEach, describe, expect, it } from 'vitest';
import { JOBS, QUEUES } from '../../src/flows/jobs.js';
import type { AuditEntry } from '../../src/flows/types.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  buttonsOf,
  CHANNEL,
  cardText,
  channelCard,
  clickButton,
  eventually,
  type PurchaseScenario,
  postWebhook,
  type ScenarioOptions,
  startPurchaseScenario,
  submitRejectModal,
} from '../support/purchase-scenario.js';

async function auditOf(svc: InProcessService, caseId?: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of svc.service.deps.audit.entries(caseId ? { caseId } : {})) out.push(e);
  return out;
}

const open: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('close' in x ? x.close() : x.stop());
});

async function setup(options: ScenarioOptions = {}) {
  const s = await startPurchaseScenario(options);
  open.push(s);
  const svc = await startInProcess(s);
  open.push(svc);
  return { s, svc };
}

async function announce(s: PurchaseScenario, svc: InProcessService, po: number) {
  expect((await postWebhook(svc.baseUrl, s, po)).status).toBe(202);
  const name = String(s.odoo.record('purchase.order', po)!.name);
  const card = await channelCard(s, CHANNEL, name);
  const c = await eventually(() =>
    svc.service.deps.store.listCases({ limit: 1000 }).then((cs) => cs.find((x) => x.odooId === po)),
  );
  return { card, caseId: c.id, value: buttonsOf(card)['approval.approve']!.value! };
}

const approveCalls = (s: PurchaseScenario, po: number) =>
  s.odoo.calls.filter(
    (c) => c.modelMethod === 'button_approve' && Array.isArray(c.args[0]) && (c.args[0] as number[]).includes(po),
  ).length;

describe('resilience', () => {
  it('a restart in the middle of a decision loses nothing and applies it once', async () => {
    const s = await startPurchaseScenario();
    open.push(s);
    let svc = await startInProcess(s);
    const po = s.newOrder();
    const o = await announce(s, svc, po);
    s.odoo.failNext(1000, 'unreachable');
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
    await svc.close();
    expect(s.odoo.record('purchase.order', po)?.state).toBe('to approve');

    s.odoo.recover();
    svc = await startInProcess(s);
    open.push(svc);
    await eventually(() => s.odoo.record('purchase.order', po)?.state === 'purchase', 30_000);
    await eventually(async () => (await auditOf(svc, o.caseId)).some((e) => e.type === 'decision.applied'));
    expect(approveCalls(s, po)).toBe(1);
    expect((await auditOf(svc, o.caseId)).filter((e) => e.type === 'decision.applied')).toHaveLength(1);
    expect((await svc.service.deps.audit.verify()).ok).toBe(true);
  });

  it('says so, and reopens the case, when Odoo accepts button_approve but does nothing (bot lacks rights)', async () => {
    const { s, svc } = await setup({ botGroups: ['purchase.group_purchase_user'] });
    const po = s.newOrder({ lines: 40 }); // over the two-step threshold
    const o = await announce(s, svc, po);
    expect(cardText(o.card)).toContain('and 35 more lines');
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: o.value,
      channelId: o.card.channel,
      messageTs: o.card.ts,
    });
    await eventually(async () => (await auditOf(svc, o.caseId)).some((e) => e.type === 'decision.failed'));
    expect(s.odoo.record('purchase.order', po)?.state).toBe('to approve');
    const card = await eventually(() => {
      const m = s.slack.messages(CHANNEL).find((x) => x.ts === o.card.ts)!;
      return cardText(m).includes('did not change') ? m : null;
    });
    expect(buttonsOf(card)['approval.approve']).toBeDefined();
    expect(s.slack.responses().some((r) => JSON.stringify(r).includes('lacks the rights'))).toBe(true);
  });

  it('Odoo 16: the poller finds waiting orders without webhooks and closes cases decided in Odoo itself', async () => {
    const { s, svc } = await setup({ version: 16 });
    const po = s.newOrder();
    const name = String(s.odoo.record('purchase.order', po)!.name);
    const poll = () => svc.service.deps.queue.enqueue(QUEUES.maintenance, JOBS.pollFlow, { flowId: 'purchase-orders' });
    await poll();
    const card = await channelCard(s, CHANNEL, name);
    expect(await svc.service.deps.store.getCheckpoint('poll.purchase-orders')).toBeTruthy();
    s.odoo.setState('purchase.order', po, 'purchase');
    await poll();
    const closed = await eventually(() => {
      const m = s.slack.messages(CHANNEL).find((x) => x.ts === card.ts)!;
      return cardText(m).includes('left the approval step') ? m : null;
    });
    expect(buttonsOf(closed)['approval.approve']).toBeUndefined();
    expect((await auditOf(svc)).some((e) => e.type === 'case.closed')).toBe(true);
  });

  it('Odoo 19: approves with all_group_ids, and forwards a UserError on reject without retrying', async () => {
    const { s, svc } = await setup({ version: 19 });
    const first = s.newOrder();
    const a = await announce(s, svc, first);
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.approve',
      value: a.value,
      channelId: a.card.channel,
      messageTs: a.card.ts,
    });
    await eventually(() => s.odoo.record('purchase.order', first)?.state === 'purchase');

    const locked = s.newOrder();
    s.odoo.write('purchase.order', locked, { locked: true });
    const b = await announce(s, svc, locked);
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.reject',
      value: b.value,
      channelId: b.card.channel,
      messageTs: b.card.ts,
    });
    const view = await eventually(() =>
      s.slack.views().find((v) => String(v.view.private_metadata ?? '').includes(b.caseId)),
    );
    await submitRejectModal(svc.baseUrl, {
      userId: s.slackUsers.manager,
      privateMetadata: String(view.view.private_metadata),
      reason: 'duplicate order',
    });
    const failed = await eventually(async () =>
      (await auditOf(svc, b.caseId)).find((e) => e.type === 'decision.failed'),
    );
    expect(String(failed.data.message)).toContain('unlock');
    expect(s.odoo.calls.filter((c) => c.modelMethod === 'button_cancel')).toHaveLength(1);
    expect(s.odoo.record('purchase.order', locked)?.state).toBe('to approve');
  });
});
