import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES } from '../../src/flows/exceptions/jobs.js';
import type { AuditEntry } from '../../src/flows/types.js';
import {
  EVENTS_PREVIOUS_SECRET,
  EXCEPTION_SCENARIO_POLICY,
  EXCEPTIONS_CHANNEL,
  type ExceptionScenario,
  postEvent,
  startExceptionScenario,
  submitResolveModal,
} from '../support/exception-scenario.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { buttonsOf, cardText, chatterOf, clickButton, eventually } from '../support/purchase-scenario.js';

describe('billing exceptions end to end (fake Odoo, fake Slack)', () => {
  let s: ExceptionScenario;
  let svc: InProcessService;

  beforeAll(async () => {
    s = await startExceptionScenario();
    svc = await startInProcess(s, { policyYaml: EXCEPTION_SCENARIO_POLICY });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  async function auditTypes(id: string): Promise<string[]> {
    const out: AuditEntry[] = [];
    for await (const e of svc.service.deps.audit.entries({ caseId: id })) out.push(e);
    return out.map((e) => e.type);
  }

  /** Resolves a card through Slack: click Resolve, submit the form. */
  async function resolveFromSlack(card: { channel: string; ts: string; blocks?: unknown }, id: string, note: string) {
    const value = buttonsOf(card)['exception.resolve']!.value!;
    const click = await clickButton(svc.baseUrl, s, {
      userId: s.accountant.slack,
      actionId: 'exception.resolve',
      value,
      channelId: card.channel,
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);
    const view = await eventually(() =>
      s.slack.views().find((v) => String(v.view.private_metadata ?? '').includes(id)),
    );
    const submit = await submitResolveModal(svc.baseUrl, {
      userId: s.accountant.slack,
      privateMetadata: String(view.view.private_metadata),
      note,
    });
    expect(submit.status).toBe(200);
  }

  it('a bill in variance found by the poller is assigned and resolved from Slack, and Odoo shows it', async () => {
    const { bill } = s.newVarianceBill();
    const name = String(s.odoo.record('account.move', bill)!.name);
    await svc.service.deps.queue.enqueue(EXCEPTION_QUEUES.work, EXCEPTION_JOBS.poll, {
      definitionId: 'bill-variances',
    });
    const card = await eventually(() => s.slack.messages(EXCEPTIONS_CHANNEL).find((m) => cardText(m).includes(name)));
    expect(cardText(card)).toMatch(/ordered 5 @ 150\.00 · received 3 · billed 5 @ 160\.00/);
    const item = await eventually(() =>
      svc.service.deps.exceptions!.findActive('bill-variances', 'account.move', bill),
    );

    const assign = await clickButton(svc.baseUrl, s, {
      userId: s.accountant.slack,
      actionId: 'exception.assign',
      value: buttonsOf(card)['exception.assign']!.value!,
      channelId: card.channel,
      messageTs: card.ts,
    });
    expect(assign.status).toBe(200);
    const activity = await eventually(() => s.odoo.activities('account.move', bill)[0]);
    expect(activity.user_id).toBe(s.accountant.odoo);
    const cardNow = () => s.slack.messages(EXCEPTIONS_CHANNEL).find((m) => m.ts === card.ts) ?? {};
    await eventually(() => cardText(cardNow()).includes('Assigned to Ann Accountant'));

    await resolveFromSlack(card, item.id, 'Vendor raised the price; accepted with purchasing');
    const chatter = await chatterOf(s, 'account.move', bill, /resolved by Ann Accountant/);
    expect(chatter).toMatch(/Vendor raised the price; accepted with purchasing/);
    expect(chatter).toMatch(/done/); // the activity's "done" message
    expect(s.odoo.activities('account.move', bill)).toHaveLength(0);
    expect(s.odoo.record('account.move', bill)!.release_to_pay_manual).toBe('yes');
    await eventually(() => cardText(cardNow()).includes('Resolved by Ann Accountant'));
    expect(await auditTypes(item.id)).toEqual(
      expect.arrayContaining(['exception.opened', 'exception.assigned', 'exception.resolved']),
    );
  }, 60_000);

  it('a signed /events call opens a card once, which is resolved from Slack', async () => {
    const event = {
      key: `usage-${Date.now()}`,
      type: 'usage-sync-failed',
      title: 'Usage sync failed for Azure Interior',
      facts: { 'Billing period': '2026-11', 'Records rejected': 42 },
    };
    const first = await postEvent(svc.baseUrl, event);
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    const again = await postEvent(svc.baseUrl, event);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id });
    expect((await postEvent(svc.baseUrl, event, { secret: 'forged-secret-0123456789abcdef0123' })).status).toBe(401);
    // During a rotation a caller still signing with the previous secret is accepted (same key: same exception).
    const rotated = await postEvent(svc.baseUrl, event, { secret: EVENTS_PREVIOUS_SECRET });
    expect(rotated.status).toBe(200);
    expect(await rotated.json()).toMatchObject({ id });

    const card = await eventually(() =>
      s.slack.messages(EXCEPTIONS_CHANNEL).find((m) => cardText(m).includes('Usage sync failed for Azure Interior')),
    );
    expect(cardText(card)).toMatch(/Records rejected/);
    await resolveFromSlack(card, id, 'Re-ran the sync after fixing the product mapping');
    await eventually(async () => (await svc.service.deps.exceptions!.get(id))?.status === 'resolved');
    expect(s.slack.messages(EXCEPTIONS_CHANNEL).filter((m) => cardText(m).includes('Usage sync failed'))).toHaveLength(
      1,
    );
  }, 60_000);
});
