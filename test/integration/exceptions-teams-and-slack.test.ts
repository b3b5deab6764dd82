// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES } from '../../src/flows/exceptions/jobs.js';
import { cardActionActivity, installationUpdateActivity } from '../../src/sandbox/teams/activities.js';
import { EVENTS_SECRET, postEvent } from '../support/exception-scenario.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { cardText, chatterOf, eventually, POLICY_YAML } from '../support/purchase-scenario.js';
import { sendSlash, slashAnswer } from '../support/slack-slash.js';
import { cardOf, isTeamsCardOf, type Json } from '../support/teams-cards.js';
import { startTeamsScenario, TEAMS_CHANNEL, type TeamsScenario } from '../support/teams-scenario.js';

const SLACK_EXCEPTIONS = 'C0EXCEPTIONS';

/** One external exception definition posted to both platforms, owned by the accountants. */
const POLICY = `${POLICY_YAML}exceptions:
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: ${SLACK_EXCEPTIONS} }
    teams: { channel: "${TEAMS_CHANNEL}" }
    sla: 4h
    severity: high
  - id: bill-variances
    type: bill-variance
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: ${SLACK_EXCEPTIONS} }
    teams: { channel: "${TEAMS_CHANNEL}" }
    sla: 8h
    resolve: { write: { release_to_pay_manual: "yes" } }
`;

describe('an exception reaches Slack and Teams and is resolved from Teams', () => {
  let s: TeamsScenario;
  let svc: InProcessService;
  let ann: ReturnType<TeamsScenario['teams']['addUser']>;
  let annSlack: string;

  /** A signed `/odoo` command; returns the private answer (at once, or through response_url). */
  async function slash(userId: string, text: string): Promise<string> {
    const r = await sendSlash(svc.baseUrl, s.slack, userId, text, SLACK_EXCEPTIONS);
    if (r.ack.text && /Working on it|received/i.test(r.ack.text)) r.ack = {};
    return (await slashAnswer(s.slack, r)).text;
  }

  beforeAll(async () => {
    s = await startTeamsScenario({ extraEnv: { EVENTS_HMAC_SECRET: EVENTS_SECRET } });
    s.odoo.addUser({
      login: 'ann',
      name: 'Ann Accountant',
      email: 'ann@acme.test',
      groups: ['account.group_account_manager'],
    });
    annSlack = s.slack.addUser({ name: 'ann', email: 'ann@acme.test' });
    s.slack.addChannel({ id: SLACK_EXCEPTIONS, name: 'billing-exceptions' });
    ann = s.teams.addUser({ name: 'Ann Accountant', email: 'ann@acme.test' });
    svc = await startInProcess(s, { policyYaml: POLICY });
    // Installing the app in the channel is how the bot meets Ann in Teams.
    expect((await s.deliver(svc.baseUrl, installationUpdateActivity(s.channelContext(), ann))).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  it('a signed /events call posts to both platforms; Ann assigns and resolves it in Teams; Odoo has the activity and the note', async () => {
    const bill = s.odoo.addVendorBill({ partnerId: s.vendor, lines: [{ qty: 1, priceUnit: 99 }] });
    const res = await postEvent(svc.baseUrl, {
      key: 'usage-2026-11-25-acme',
      type: 'usage-sync-failed',
      severity: 'high',
      title: 'Usage sync failed for ACME',
      facts: { customer: 'ACME', records: 1200 },
      odoo: { model: 'account.move', id: bill },
    });
    expect(res.status).toBe(202);

    const slackCard = await eventually(() =>
      s.slack.messages(SLACK_EXCEPTIONS).find((m) => cardText(m).includes('Usage sync failed for ACME')),
    );
    expect(cardText(slackCard)).toContain('ACME');
    const teamsCard = await eventually(() =>
      s.teams
        .activities(TEAMS_CHANNEL)
        .find((a) => JSON.stringify(cardOf(a) ?? {}).includes('Usage sync failed for ACME')),
    );
    const exceptionId = cardOf(teamsCard)?.refresh?.action?.data?.c as string;
    expect(exceptionId).toBeTruthy();
    expect(cardOf(teamsCard)?.refresh?.userIds).toContain(ann.id);

    // Finance asks from Slack: the accountant sees it, a purchase manager does not.
    expect(await slash(annSlack, 'exceptions')).toMatch(
      /1 open exception:[\s\S]*usage-sync[\s\S]*Usage sync failed for ACME/,
    );
    expect(await slash(annSlack, 'exceptions aging')).toMatch(/< 1 business day\* \(1\)/);
    expect(await slash(s.slackUsers.manager, 'exceptions')).toContain('No open exceptions you can see.');
    expect(await slash(annSlack, 'exceptions sideways')).toContain('exceptions [open|aging|mine] [type]');

    const click = (verb: string, data: Json) =>
      s.deliver(
        svc.baseUrl,
        cardActionActivity(s.channelContext(), ann, {
          verb,
          data: { c: exceptionId, ...data },
          replyToId: String(teamsCard.id),
        }),
      );
    expect((await click('exception.assign', {})).status).toBe(200);
    const activity = await eventually(() => s.odoo.activities('account.move', bill)[0]);
    expect(activity).toBeTruthy();

    const blank = await click('exception.resolve', { note: ' ' });
    expect(JSON.stringify(await blank.json())).toContain('Please write how it was resolved');
    expect((await click('exception.resolve', { note: 'Re-ran the sync; 1200 records in.' })).status).toBe(200);

    const notes = await chatterOf(s, 'account.move', bill, /resolved by Ann Accountant/);
    expect(notes).toContain('Ann Accountant');
    await eventually(() => s.odoo.activities('account.move', bill).length === 0);
    // Both cards show the outcome.
    await eventually(() =>
      cardText(s.slack.messages(SLACK_EXCEPTIONS).find((m) => m.ts === slackCard.ts)!).match(/[Rr]esolved/),
    );
    await eventually(() =>
      s.teams.calls.some((c) => c.method === 'PUT' && JSON.stringify(c.body ?? {}).match(/[Rr]esolved by Ann/)),
    );
    // A repeat of the same event key creates nothing new.
    const again = await postEvent(svc.baseUrl, {
      key: 'usage-2026-11-25-acme',
      type: 'usage-sync-failed',
      severity: 'high',
      title: 'Usage sync failed for ACME',
      facts: {},
    });
    expect(again.status).toBe(200);
  });

  it('a bill whose amounts do not match its order, found by the poller, is resolved from Teams and released to pay', async () => {
    const order = s.odoo.addPurchaseOrder({
      partnerId: s.vendor,
      userId: s.users.buyer,
      lines: [{ productId: s.product, qty: 5, priceUnit: 150 }],
      state: 'purchase',
    });
    const bill = s.odoo.addVendorBill({
      partnerId: s.vendor,
      purchaseOrderId: order,
      releaseToPay: 'exception',
      state: 'posted',
      lines: [{ qty: 5, priceUnit: 160 }],
    });
    await svc.service.deps.queue.enqueue(EXCEPTION_QUEUES.work, EXCEPTION_JOBS.poll, {
      definitionId: 'bill-variances',
    });
    const name = String(s.odoo.record('account.move', bill)!.name);
    const teamsCard = await eventually(() => s.teams.activities(TEAMS_CHANNEL).find((a) => isTeamsCardOf(a, name)));
    await eventually(() => s.slack.messages(SLACK_EXCEPTIONS).find((m) => cardText(m).includes(name)));
    const exceptionId = cardOf(teamsCard)?.refresh?.action?.data?.c as string;
    const click = (verb: string, data: Json) =>
      s.deliver(
        svc.baseUrl,
        cardActionActivity(s.channelContext(), ann, {
          verb,
          data: { c: exceptionId, ...data },
          replyToId: String(teamsCard.id),
        }),
      );
    await click('exception.assign', {});
    await eventually(() => s.odoo.activities('account.move', bill).length === 1);
    await click('exception.resolve', { note: 'Price rise agreed with the vendor by phone.' });
    await chatterOf(s, 'account.move', bill, /resolved by Ann Accountant/);
    await eventually(() => s.odoo.record('account.move', bill)?.release_to_pay_manual === 'yes');
  });
});
