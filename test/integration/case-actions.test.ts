import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/flows/types.js';
import { viewSubmissionPayload } from '../../src/sandbox/slack/payloads.js';
import { signedSlackHeaders, viewSubmissionBody } from '../../src/sandbox/slack/sign-slack-request.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  buttonsOf,
  CHANNEL,
  cardText,
  channelCard,
  chatterOf,
  clickButton,
  eventually,
  isCardOf,
  POLICY_YAML,
  type PurchaseScenario,
  postWebhook,
  SIGNING_SECRET,
  startPurchaseScenario,
} from '../support/purchase-scenario.js';

async function submit(
  baseUrl: string,
  userId: string,
  callbackId: string,
  privateMetadata: string,
  values: Record<string, Record<string, Record<string, unknown>>>,
) {
  const req = viewSubmissionBody(
    viewSubmissionPayload({
      userId,
      callbackId,
      privateMetadata,
      values,
      viewId: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    }),
  );
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: signedSlackHeaders(SIGNING_SECRET, req),
    body: req.body,
  });
}

describe('asking the requester, answering, forwarding', () => {
  let s: PurchaseScenario;
  let svc: InProcessService;

  beforeAll(async () => {
    s = await startPurchaseScenario();
    // Business hours around the clock, so the pause and resume of timers is visible.
    const policy = `calendar:
  timeZone: UTC
  workingDays: [mon, tue, wed, thu, fri, sat, sun]
  hours: [{ start: "00:00", end: "24:00" }]
${POLICY_YAML.replace('    reject: { method: button_cancel }', '    reject: { method: button_cancel }\n    timers: { remind: { after: 8h } }\n    forward: { anyone: true }')}`;
    svc = await startInProcess(s, { policyYaml: policy });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  async function audit(caseId: string): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const e of svc.service.deps.audit.entries({ caseId })) out.push(e);
    return out;
  }

  it('an approver asks, the requester answers in chat, and the card, chatter and timers follow', async () => {
    const po = s.newOrder();
    await postWebhook(svc.baseUrl, s, po);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    const card = await channelCard(s, CHANNEL, name);
    const c = await eventually(() =>
      svc.service.deps.store.listCases({ limit: 1000 }).then((cs) => cs.find((x) => x.odooId === po)),
    );
    expect(c.timers.remindAt).toBeTruthy();
    const ask = buttonsOf(card)['approval.ask_question']!;
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.ask_question',
      value: ask.value!,
      channelId: card.channel,
      messageTs: card.ts,
    });
    const view = await eventually(() => s.slack.views().find((v) => v.view.callback_id === 'approval.ask_modal'));
    const asked = await submit(
      svc.baseUrl,
      s.slackUsers.manager,
      'approval.ask_modal',
      String(view.view.private_metadata),
      { text: { text_input: { type: 'plain_text_input', value: 'Why not the framework supplier?' } } },
    );
    expect(asked.status).toBe(200);

    // The requester gets a DM with an Answer button; the case waits with paused timers.
    const dm = await eventually(() => {
      const ch = s.slack.dmChannelOf(s.slackUsers.buyer);
      return ch ? s.slack.messages(ch).find((m) => cardText(m).includes('Why not the framework supplier?')) : undefined;
    });
    const waiting = await svc.service.deps.store.getCase(c.id);
    expect(waiting?.status).toBe('info_requested');
    expect(waiting?.timers.pausedAt).toBeTruthy();
    await eventually(() =>
      s.odoo.messages('purchase.order', po).some((m) => String(m.body).includes('Why not the framework supplier?')),
    );

    const answer = buttonsOf(dm)['approval.answer_question']!;
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.buyer,
      actionId: 'approval.answer_question',
      value: answer.value!,
      channelId: dm.channel,
      messageTs: dm.ts,
    });
    const answerView = await eventually(() =>
      s.slack.views().find((v) => v.view.callback_id === 'approval.answer_modal'),
    );
    await submit(svc.baseUrl, s.slackUsers.buyer, 'approval.answer_modal', String(answerView.view.private_metadata), {
      text: { text_input: { type: 'plain_text_input', value: 'They cannot deliver before January.' } },
    });

    await eventually(async () => (await svc.service.deps.store.getCase(c.id))?.status === 'open');
    const resumed = (await svc.service.deps.store.getCase(c.id))!;
    expect(resumed.timers.pausedAt).toBeNull();
    expect(new Date(resumed.timers.remindAt!).getTime()).toBeGreaterThanOrEqual(new Date(c.timers.remindAt!).getTime());
    await eventually(() =>
      cardText(s.slack.messages(CHANNEL).find((m) => m.ts === card.ts)!).includes(
        'They cannot deliver before January.',
      ),
    );
    expect(
      s.odoo.messages('purchase.order', po).some((m) => String(m.body).includes('They cannot deliver before January.')),
    ).toBe(true);
    const types = (await audit(c.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['info.requested', 'info.answered']));
  });

  it('forwards to someone outside the approvers with a reason; they can then approve', async () => {
    const outsider = s.odoo.addUser({
      login: 'olga',
      name: 'Olga Ops',
      email: 'olga@acme.test',
      groups: ['purchase.group_purchase_user'],
    });
    const olgaSlack = s.slack.addUser({ name: 'olga', email: 'olga@acme.test' });
    const po = s.newOrder();
    await postWebhook(svc.baseUrl, s, po);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    const card = await channelCard(s, CHANNEL, name);
    const fwd = buttonsOf(card)['approval.forward']!;
    await clickButton(svc.baseUrl, s, {
      userId: s.slackUsers.manager,
      actionId: 'approval.forward',
      value: fwd.value!,
      channelId: card.channel,
      messageTs: card.ts,
    });
    const view = await eventually(() =>
      s.slack
        .views()
        .filter((v) => v.view.callback_id === 'approval.forward_modal')
        .at(-1),
    );
    await submit(svc.baseUrl, s.slackUsers.manager, 'approval.forward_modal', String(view.view.private_metadata), {
      target: { target_input: { type: 'users_select', selected_user: olgaSlack } },
      text: { text_input: { type: 'plain_text_input', value: 'Olga runs this project' } },
    });
    const olgaDm = await eventually(() => {
      const ch = s.slack.dmChannelOf(olgaSlack);
      return ch ? s.slack.messages(ch).find((m) => isCardOf(m, name)) : undefined;
    });
    const approve = buttonsOf(olgaDm)['approval.approve']!;
    await clickButton(svc.baseUrl, s, {
      userId: olgaSlack,
      actionId: 'approval.approve',
      value: approve.value!,
      channelId: olgaDm.channel,
      messageTs: olgaDm.ts,
    });
    await eventually(() => s.odoo.record('purchase.order', po)?.state === 'purchase');
    const notes = await chatterOf(s, 'purchase.order', po, /Approved by/);
    expect(notes).toContain('Forwarded by');
    expect(notes).toMatch(/Approved by .*Olga Ops/);
    expect(outsider).toBeGreaterThan(0);
  });
});
