// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARE_ALREADY_TEXT, SHARE_DAMAGED_TEXT, SHARE_NOT_ASKER_TEXT } from '../../src/bot/commands/share-answer.js';
import { ANSWERED_PRIVATELY_TEXT } from '../../src/bot/teams/teams-commands.js';
import type { AuditEntry } from '../../src/flows/types.js';
import {
  type Activity,
  cardActionActivity,
  installationUpdateActivity,
  messageActivity,
} from '../../src/sandbox/teams/activities.js';
import { validateAdaptiveCard } from '../../src/sandbox/teams/validate-adaptive-card.js';
import { aNewException } from '../fakes/builders.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { eventually, postWebhook } from '../support/purchase-scenario.js';
import { cardOf, type Json } from '../support/teams-cards.js';
import { startTeamsScenario, TEAMS_CHANNEL, TEAMS_POLICY_YAML, type TeamsScenario } from '../support/teams-scenario.js';

const POLICY = `${TEAMS_POLICY_YAML}exceptions:
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { users: [mia@acme.test] }
    teams: {}
`;

const textOf = (card: Json | undefined): string => String(card?.body?.[0]?.text ?? '');
const actionsOf = (card: Json | undefined): Record<string, Json> =>
  Object.fromEntries(((card?.actions ?? []) as Json[]).map((a) => [a.verb, a]));
const bullets = (text: string) => text.split('\n').filter((l) => l.startsWith('• '));

describe('Share and exceptions paging in Microsoft Teams (fake Bot Connector)', () => {
  let s: TeamsScenario;
  let svc: InProcessService;
  let mia: TeamsScenario['teamsUsers']['manager'];
  let miaChat = '';
  let order = '';
  const orderName = () => order;

  beforeAll(async () => {
    s = await startTeamsScenario();
    svc = await startInProcess(s, { policyYaml: POLICY });
    mia = s.teamsUsers.manager;
    expect((await s.deliver(svc.baseUrl, installationUpdateActivity(s.channelContext(), mia))).status).toBe(200);
    const po = s.newOrder();
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBe(202);
    order = String(s.odoo.record('purchase.order', po)!.name);
    await eventually(async () =>
      (await svc.service.deps.store.listCases({ limit: 100 })).some((c) => c.odooId === po && c.status === 'open'),
    );
    // The bot opens Mia's 1:1 chat for her approval card.
    miaChat = await eventually(() => [...s.teams.conversations.keys()].find((c) => c.startsWith('a:')));
    await eventually(() => s.teams.activities(miaChat).some((a) => JSON.stringify(a).includes('approval.approve')));
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  async function invoke(activity: Activity): Promise<Json> {
    const res = await s.deliver(svc.baseUrl, activity);
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  }
  const inMiaChat = (verb: string, data: Json, who = mia) =>
    invoke(cardActionActivity(s.personalContext(miaChat), who, { verb, data }));
  const sharedInChannel = () =>
    s.teams.activities(TEAMS_CHANNEL).filter((a) => textOf(cardOf(a)).startsWith('Shared by'));

  /** Mia writes `text` to the bot in the channel; resolves with the answer card in her 1:1 chat. */
  async function askInChannel(text: string): Promise<Json> {
    const before = new Set(s.teams.activities(miaChat).map((a) => a.id));
    const notes = s.teams.activities(TEAMS_CHANNEL).filter((a) => a.text === ANSWERED_PRIVATELY_TEXT).length;
    expect((await s.deliver(svc.baseUrl, messageActivity(s.channelContext(), mia, text))).status).toBe(200);
    await eventually(
      () => s.teams.activities(TEAMS_CHANNEL).filter((a) => a.text === ANSWERED_PRIVATELY_TEXT).length > notes,
    );
    const answer = s.teams
      .activities(miaChat)
      .find((a) => !before.has(a.id) && !JSON.stringify(a).includes('approval.approve'));
    expect(answer).toBeDefined();
    return answer!;
  }

  it('answers a command written in a channel in the 1:1 chat, with Share, and only a note in the channel', async () => {
    const answer = await askInChannel('pending');
    const card = cardOf(answer)!;
    expect(validateAdaptiveCard(card).errors).toEqual([]);
    expect(textOf(card)).toMatch(/^1 case waiting on you/);
    expect(JSON.stringify(card)).toContain('Only you can see this. Share posts it in the channel where you asked');
    const share = actionsOf(card)['command.share']!;
    expect(share).toMatchObject({ type: 'Action.Execute', title: 'Share in channel' });
    expect(share.data).toMatchObject({ q: 'pending mine', o: 0, t: TEAMS_CHANNEL, u: mia.aadObjectId });
    expect(s.teams.activities(TEAMS_CHANNEL).some((a) => /case waiting/.test(JSON.stringify(a)))).toBe(false);
  });

  it('shares into the channel once, from the asker; the 1:1 card then says so', async () => {
    const share = actionsOf(cardOf(await askInChannel(`status ${orderName()}`)))['command.share']!;
    const body = await inMiaChat('command.share', share.data);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(body.value)).toContain('You shared this answer where you asked.');
    expect(actionsOf(body.value)['command.share']).toBeUndefined();

    const posted = await eventually(() => sharedInChannel()[0]);
    const card = cardOf(posted)!;
    expect(validateAdaptiveCard(card).errors).toEqual([]);
    expect(textOf(card)).toBe(`Shared by Mia Manager: "status ${orderName()}"`);
    expect(JSON.stringify(card)).toContain('case: waiting for approval');
    expect(card.actions).toBeUndefined();
    const entries: AuditEntry[] = [];
    for await (const e of svc.service.deps.audit.entries()) entries.push(e);
    expect(entries.find((e) => e.type === 'answer.shared')).toMatchObject({
      actor: `teams:${mia.aadObjectId}`,
      data: { conversation: TEAMS_CHANNEL, command: `/odoo status ${orderName()}` },
    });

    const again = await inMiaChat('command.share', share.data);
    expect(again.statusCode).toBe(200);
    expect(JSON.stringify(again.value)).toContain(SHARE_ALREADY_TEXT);
    expect(sharedInChannel()).toHaveLength(1);
  });

  it('refuses someone else, damaged data and a conversation the bot does not know, sharing nothing', async () => {
    const share = actionsOf(cardOf(await askInChannel('sla 7d')))['command.share']!;
    const before = sharedInChannel().length;
    const other = await inMiaChat('command.share', share.data, s.teamsUsers.buyer);
    expect(other).toMatchObject({
      statusCode: 400,
      value: { code: 'command.not_asker', message: SHARE_NOT_ASKER_TEXT },
    });
    for (const data of [
      { ...share.data, k: 'short' },
      { ...share.data, t: undefined },
      { ...share.data, o: 'zero' },
      { ...share.data, t: '19:unknown@thread.tacv2' },
      { ...share.data, t: miaChat },
      { ...share.data, q: 'whoami' },
    ]) {
      const body = await inMiaChat('command.share', data);
      expect(body.statusCode, JSON.stringify(data)).toBe(400);
      expect(body.value.message).toBe(SHARE_DAMAGED_TEXT);
    }
    expect(sharedInChannel()).toHaveLength(before);
  });

  it('offers no Share where there is nowhere to share: the 1:1 chat', async () => {
    const before = new Set(s.teams.activities(miaChat).map((a) => a.id));
    expect((await s.deliver(svc.baseUrl, messageActivity(s.personalContext(miaChat), mia, 'pending'))).status).toBe(
      200,
    );
    const answer = await eventually(() => s.teams.activities(miaChat).find((a) => !before.has(a.id)));
    expect(String(answer.text)).toMatch(/^1 case waiting on you/);
    expect(answer.attachments).toBeUndefined();
  });

  it('pages `exceptions` with Show more to the last page, keeping Share on every page', async () => {
    const miaRef = { odooUserId: s.users.manager, name: 'Mia Manager', email: 'mia@acme.test' };
    for (let i = 0; i < 47; i++)
      await svc.service.deps.exceptions!.open(
        aNewException({
          definitionId: 'usage-sync',
          source: 'external',
          key: `usage-${randomUUID()}`,
          odooModel: null,
          odooId: null,
          reference: null,
          title: `Usage sync failed #${i}`,
          owners: [miaRef],
        }),
      );
    let card = cardOf(await askInChannel('exceptions'))!;
    const seen: string[] = [];
    const pages: Json[] = [];
    for (;;) {
      pages.push(card);
      expect(validateAdaptiveCard(card).errors).toEqual([]);
      expect(textOf(card)).toMatch(/^47 open exceptions/);
      expect(actionsOf(card)['command.share']?.data).toMatchObject({ q: 'exceptions open', t: TEAMS_CHANNEL });
      seen.push(...bullets(textOf(card)));
      const more = actionsOf(card)['command.more'];
      if (!more) break;
      expect(pages.length).toBeLessThan(6);
      const body = await inMiaChat('command.more', more.data);
      expect(body.statusCode).toBe(200);
      card = body.value;
    }
    expect(seen).toHaveLength(47);
    expect(new Set(seen).size).toBe(47);
    expect(pages.map((p) => bullets(textOf(p)).length)).toEqual([15, 15, 15, 2]);
    expect(textOf(pages[3])).toMatch(/^47 open exceptions; 46–47:/);

    const body = await inMiaChat('command.share', actionsOf(pages[3])['command.share']!.data);
    expect(body.statusCode).toBe(200);
    const posted = await eventually(() => sharedInChannel().find((a) => /exceptions open/.test(textOf(cardOf(a)))));
    expect(bullets(String(cardOf(posted)!.body[1].text))).toEqual(bullets(textOf(pages[3])));
  });
});
