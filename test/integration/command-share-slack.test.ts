import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_MORE_ACTION } from '../../src/bot/commands/run-command.js';
import {
  COMMAND_SHARE_ACTION,
  SHARE_ALREADY_TEXT,
  SHARE_DAMAGED_TEXT,
  SHARE_NOT_ASKER_TEXT,
} from '../../src/bot/commands/share-answer.js';
import type { AuditEntry } from '../../src/flows/types.js';
import type { FakeEphemeral } from '../../src/sandbox/slack/fake-slack-workspace.js';
import { blockActionsPayload, slashCommandFields } from '../../src/sandbox/slack/payloads.js';
import { blockActionsBody, signedSlackHeaders, slashCommandBody } from '../../src/sandbox/slack/sign-slack-request.js';
import { aNewException } from '../fakes/builders.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import {
  buttonsOf,
  CHANNEL,
  eventually,
  POLICY_YAML,
  type PurchaseScenario,
  postWebhook,
  SIGNING_SECRET,
  startPurchaseScenario,
} from '../support/purchase-scenario.js';

/** The README flow plus two kinds of external exceptions, both owned by Mia. */
const POLICY = `${POLICY_YAML}exceptions:
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { users: [mia@acme.test] }
    slack: { channel: ${CHANNEL} }
  - id: meter-gaps
    external: { type: meter-gap }
    owner: { users: [mia@acme.test] }
    slack: { channel: ${CHANNEL} }
`;

type Ephemeral = FakeEphemeral;

describe('Share in channel and exceptions paging, through signed Slack requests', () => {
  let s: PurchaseScenario;
  let svc: InProcessService;
  let orderName = '';

  beforeAll(async () => {
    s = await startPurchaseScenario();
    svc = await startInProcess(s, { policyYaml: POLICY });
    const po = s.newOrder();
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBe(202);
    orderName = String(s.odoo.record('purchase.order', po)!.name);
    await eventually(async () =>
      (await svc.service.deps.store.listCases({ limit: 100 })).some((c) => c.odooId === po && c.status === 'open'),
    );
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  /**
   * `/odoo <text>` typed in the approvals channel. Its response_url belongs to
   * that channel and user, as Slack's does, so the answer becomes an
   * ephemeral message there; resolves with it.
   */
  async function ask(userId: string, text: string): Promise<Ephemeral> {
    const responseId = randomUUID();
    const req = slashCommandBody(
      slashCommandFields({
        text,
        userId,
        channelId: CHANNEL,
        triggerId: s.slack.issueTriggerId(userId),
        responseUrl: s.slack.responseUrl(responseId, { channelId: CHANNEL, userId }),
      }),
    );
    const res = await fetch(`${svc.baseUrl}/slack/events`, {
      method: 'POST',
      headers: signedSlackHeaders(SIGNING_SECRET, req),
      body: req.body,
    });
    expect(res.status).toBe(200);
    const before = new Set(s.slack.ephemerals(userId).map((e) => e.messageTs));
    await eventually(() => s.slack.responses(responseId)[0]);
    return eventually(() => s.slack.ephemerals(userId).find((e) => !before.has(e.messageTs)));
  }

  /** A click on a button of an ephemeral message, as Slack sends it; returns the click's response_url id. */
  async function click(userId: string, actionId: string, value: string, on: Ephemeral): Promise<string> {
    const responseId = randomUUID();
    const payload = blockActionsPayload({
      userId,
      actionId,
      value,
      channelId: CHANNEL,
      messageTs: on.messageTs,
      isEphemeral: true,
      triggerId: s.slack.issueTriggerId(userId),
      responseUrl: s.slack.responseUrl(responseId, { channelId: CHANNEL, messageTs: on.messageTs, userId }),
    });
    const req = blockActionsBody(payload);
    const res = await fetch(`${svc.baseUrl}/slack/events`, {
      method: 'POST',
      headers: signedSlackHeaders(SIGNING_SECRET, req),
      body: req.body,
    });
    expect(res.status).toBe(200);
    return responseId;
  }

  /** What the click's response_url received, once it received `n` posts. */
  const responsesTo = (id: string, n = 1) =>
    eventually(() => {
      const r = s.slack.responses(id);
      return r.length >= n ? r.map((x) => x.body as { text?: string; response_type?: string }) : undefined;
    });
  const shared = () => s.slack.messages(CHANNEL).filter((m) => m.text.startsWith('Shared by'));
  const shareValue = (e: Ephemeral) => buttonsOf(e)[COMMAND_SHARE_ACTION]?.value;
  async function audit(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const e of svc.service.deps.audit.entries()) out.push(e);
    return out;
  }

  it('offers Share under status, pending, exceptions and sla, saying what it does; not under whoami or delegate', async () => {
    for (const text of [`status ${orderName}`, 'pending', 'exceptions', 'sla 7d']) {
      const answer = await ask(s.slackUsers.manager, text);
      const value = shareValue(answer);
      expect(value, text).toBeTruthy();
      expect(value!.length).toBeLessThan(2000);
      expect(JSON.stringify(answer.blocks)).toContain('Only you can see this. *Share in channel* posts it here');
    }
    expect(shareValue(await ask(s.slackUsers.manager, 'whoami'))).toBeUndefined();
    expect(shareValue(await ask(s.slackUsers.manager, 'delegate'))).toBeUndefined();
    expect(shared()).toEqual([]);
  });

  it('posts the answer in the channel once, from the asker, and marks the private copy as shared', async () => {
    const answer = await ask(s.slackUsers.manager, `status ${orderName}`);
    const value = shareValue(answer)!;
    const id = await click(s.slackUsers.manager, COMMAND_SHARE_ACTION, value, answer);
    const [post, replace] = await responsesTo(id, 2);
    expect(post).toMatchObject({ response_type: 'in_channel', replace_original: false });
    const message = await eventually(() => shared()[0]);
    expect(message.text).toMatch(
      new RegExp(`^Shared by <@${s.slackUsers.manager}> · \`/odoo status ${orderName}\`:\n`),
    );
    expect(message.text).toContain(`*${orderName}*`);
    expect(message.text).toContain('case: waiting for approval');
    expect(message.history[0]!.via).toBe('response_url');
    expect(buttonsOf(message)).toEqual({});

    expect(replace).toMatchObject({ replace_original: true });
    const mine = s.slack.ephemerals(s.slackUsers.manager).find((e) => e.messageTs === answer.messageTs)!;
    expect(mine.replacedAt).toHaveLength(1);
    expect(mine.text).toBe(answer.text);
    expect(JSON.stringify(mine.blocks)).toContain('You shared this answer in the conversation.');
    expect(shareValue(mine)).toBeUndefined();

    const entry = (await audit()).find((e) => e.type === 'answer.shared');
    expect(entry).toMatchObject({
      actor: `slack:${s.slackUsers.manager}`,
      data: { command: `/odoo status ${orderName}`, offset: 0, conversation: CHANNEL },
    });

    // The same button again (a stale copy, a retry): nothing is posted twice.
    const again = await click(s.slackUsers.manager, COMMAND_SHARE_ACTION, value, answer);
    expect((await responsesTo(again))[0]).toMatchObject({ response_type: 'ephemeral', text: SHARE_ALREADY_TEXT });
    expect(shared()).toHaveLength(1);
  });

  it('a double click races to share: exactly one post', async () => {
    const answer = await ask(s.slackUsers.manager, 'pending');
    const value = shareValue(answer)!;
    const before = shared().length;
    const ids = await Promise.all(
      [1, 2, 3].map(() => click(s.slackUsers.manager, COMMAND_SHARE_ACTION, value, answer)),
    );
    const answers = await Promise.all(ids.map((id) => responsesTo(id)));
    const firsts = answers.map((r) => r[0]!);
    expect(firsts.filter((b) => b.response_type === 'in_channel')).toHaveLength(1);
    expect(firsts.filter((b) => b.text === SHARE_ALREADY_TEXT)).toHaveLength(2);
    await eventually(() => shared().length === before + 1);
    expect(shared().at(-1)!.text).toContain('1 case waiting on you');
  });

  it('refuses a share by anyone but the asker, and damaged buttons, with a sentence and no post', async () => {
    const answer = await ask(s.slackUsers.manager, 'pending');
    const value = shareValue(answer)!;
    const before = shared().length;
    const other = await click(s.slackUsers.buyer, COMMAND_SHARE_ACTION, value, answer);
    expect((await responsesTo(other))[0]).toMatchObject({ response_type: 'ephemeral', text: SHARE_NOT_ASKER_TEXT });

    const v = JSON.parse(value) as Record<string, unknown>;
    for (const damaged of [
      'not json',
      JSON.stringify({ ...v, k: undefined }),
      JSON.stringify({ ...v, k: 'short' }),
      JSON.stringify({ ...v, o: -1 }),
      JSON.stringify({ ...v, q: 'x'.repeat(500) }),
    ]) {
      const id = await click(s.slackUsers.manager, COMMAND_SHARE_ACTION, damaged, answer);
      expect((await responsesTo(id))[0]!.text, damaged).toBe(SHARE_DAMAGED_TEXT);
    }
    for (const q of ['whoami', 'delegate off', 'help']) {
      const id = await click(s.slackUsers.manager, COMMAND_SHARE_ACTION, JSON.stringify({ ...v, q }), answer);
      expect((await responsesTo(id))[0]!.text, q).toBe(SHARE_DAMAGED_TEXT);
    }
    expect(shared()).toHaveLength(before);
    expect(await svc.service.deps.store.listDelegations({ activeAt: new Date() })).toEqual([]);
  });

  it('pages `exceptions` with Show more to the last page, and shares the page one saw', async () => {
    const exceptions = svc.service.deps.exceptions!;
    const mia = { odooUserId: s.users.manager, name: 'Mia Manager', email: 'mia@acme.test' };
    for (let i = 0; i < 50; i++)
      await exceptions.open(
        aNewException({
          definitionId: 'usage-sync',
          source: 'external',
          key: `usage-${randomUUID()}`,
          odooModel: null,
          odooId: null,
          reference: null,
          title: `Usage sync failed #${i}`,
          owners: [mia],
        }),
      );
    for (let i = 0; i < 8; i++)
      await exceptions.open(
        aNewException({
          definitionId: 'meter-gaps',
          source: 'external',
          key: `gap-${randomUUID()}`,
          odooModel: null,
          odooId: null,
          reference: null,
          title: `Meter gap #${i}`,
          owners: [mia],
        }),
      );
    let page = await ask(s.slackUsers.manager, 'exceptions');
    const seen: string[] = [];
    const pages: Ephemeral[] = [];
    for (;;) {
      pages.push(page);
      expect(page.text).toMatch(/^58 open exceptions/);
      seen.push(...page.text.split('\n').filter((l) => l.startsWith('• ')));
      const more = buttonsOf(page)[COMMAND_MORE_ACTION];
      if (!more) break;
      expect(pages.length).toBeLessThan(6);
      const before = new Set(s.slack.ephemerals(s.slackUsers.manager).map((e) => e.messageTs));
      await click(s.slackUsers.manager, COMMAND_MORE_ACTION, more.value!, page);
      page = await eventually(() => s.slack.ephemerals(s.slackUsers.manager).find((e) => !before.has(e.messageTs)));
    }
    expect(seen).toHaveLength(58);
    expect(new Set(seen).size).toBe(58);
    // 15 + 8, then 15 a page: 23, 15, 15, 5.
    expect(pages.map((p) => p.text.split('\n').filter((l) => l.startsWith('• ')).length)).toEqual([23, 15, 15, 5]);
    expect(pages[1]!.text).toMatch(/^58 open exceptions; 24–38:\n\n\*usage-sync\* \(50, 15 on earlier pages\)/);

    const second = pages[1]!;
    const id = await click(s.slackUsers.manager, COMMAND_SHARE_ACTION, shareValue(second)!, second);
    await responsesTo(id, 2);
    const post = await eventually(() => shared().find((m) => m.text.includes('exceptions open')));
    expect(post.text).toContain('58 open exceptions; 24–38:');
    expect(post.text.split('\n').filter((l) => l.startsWith('• '))).toEqual(
      second.text.split('\n').filter((l) => l.startsWith('• ')),
    );
  });
});
