// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamsPlatform } from '../../src/bot/teams/teams-platform.js';
import { loadEnv } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy.js';
import { createLogger } from '../../src/logger.js';
import { type Service, startService } from '../../src/main.js';
import { conversationUpdateActivity, installationUpdateActivity } from '../../src/sandbox/teams/activities.js';
import type { FakeConnectorCall, FakeMember } from '../../src/sandbox/teams/fake-bot-connector.js';
import type { PgStore } from '../../src/store/pg-store.js';
import { PgTeamsStore } from '../../src/store/pg-teams-store.js';
import { eventually, postWebhook } from '../support/purchase-scenario.js';
import { isTeamsCardOf, type Json } from '../support/teams-cards.js';
import {
  startTeamsScenario,
  TEAMS_CHANNEL,
  TEAMS_POLICY_YAML,
  TEAMS_TEAM,
  type TeamsScenario,
} from '../support/teams-scenario.js';

const GROUP_CHAT = '19:roster-group-chat@thread.v2';
const NO_DM = 'approver has no chat account with their Odoo email; not sent a DM';

const isPaged = (c: FakeConnectorCall) => c.method === 'GET' && /\/pagedmembers$/i.test(c.path);
/** GET …/members/<who> calls. */
const lookupsOf = (calls: FakeConnectorCall[], who: string) =>
  calls.filter((c) => c.method === 'GET' && c.path.endsWith(`/members/${who}`));

/**
 * The bot learns Teams users from the rosters of the teams and chats it is
 * installed in (Bot Connector `pagedmembers` and `members/{id}`), so an
 * approver who never wrote to it still gets their 1:1 card.
 */
describe('Teams users from team and chat rosters', () => {
  let s: TeamsScenario;
  let service: Service;
  let baseUrl: string;
  let teamsStore: PgTeamsStore;
  let platform: TeamsPlatform;
  let team: FakeMember[];
  let pat: FakeMember;
  let quinn: FakeMember;
  let olga: FakeMember;
  let olgaOdoo: number;
  const logLines: Json[] = [];

  beforeAll(async () => {
    s = await startTeamsScenario();
    const odooManager = (login: string, name: string) =>
      s.odoo.addUser({ login, name, email: `${login}@acme.test`, groups: ['purchase.group_purchase_manager'] });
    // Approvers who never write to the bot: Pat is in the team, Quinn joins it unannounced, Olga is in no team.
    odooManager('pat', 'Pat Purchaser');
    odooManager('quinn', 'Quinn Quartermaster');
    olgaOdoo = odooManager('olga', 'Olga Outsider');
    pat = s.teams.addUser({ name: 'Pat Purchaser', email: 'pat@acme.test' });
    quinn = s.teams.addUser({ name: 'Quinn Quartermaster', email: 'quinn@acme.test' });
    olga = s.teams.addUser({ name: 'Olga Outsider', email: 'olga@acme.test' });
    const others = Array.from({ length: 248 }, (_, i) =>
      s.teams.addUser({ name: `Member ${i}`, email: `member${i}@acme.test` }),
    );
    team = [s.teamsUsers.manager, pat, ...others];
    s.teams.rosters.set([TEAMS_TEAM, TEAMS_CHANNEL], team);

    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
    });
    service = await startService(loadEnv(s.env), parsePolicy(TEAMS_POLICY_YAML), {
      role: 'all',
      log: createLogger('info', sink),
    });
    baseUrl = `http://127.0.0.1:${service.port}`;
    const store = service.deps.store as PgStore;
    teamsStore = new PgTeamsStore(store.pool, { schema: store.schema });
    platform = service.deps.chats?.find((c) => c.platform === 'teams') as TeamsPlatform;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await s?.stop();
  });

  /** A new order; resolves when its 1:1 card reached each of `people`. */
  async function openOrderFor(people: FakeMember[]) {
    const po = s.newOrder();
    expect((await postWebhook(baseUrl, s, po)).status).toBeLessThan(300);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    for (const p of people) {
      const chat = `a:1${p.aadObjectId.replace(/-/g, '')}`;
      await eventually(() => s.teams.activities(chat).some((a) => isTeamsCardOf(a, name)));
    }
    return { po, name };
  }

  it('installed in a team of 250, it stores everyone, page by page', async () => {
    const ctx = s.channelContext();
    const install = installationUpdateActivity(ctx, s.teamsUsers.manager);
    expect((await s.deliver(baseUrl, install)).status).toBe(200);
    // Teams also announces the bot as a new member; the roster is still read once.
    const botAdded = conversationUpdateActivity(ctx, s.teamsUsers.manager);
    expect((await s.deliver(baseUrl, botAdded)).status).toBe(200);
    await platform.roster.settled();

    const pages = s.teams.calls.filter(isPaged);
    expect(pages.map((c) => [c.conversationId, c.status])).toEqual([
      [TEAMS_TEAM, 200],
      [TEAMS_TEAM, 200],
    ]);
    expect(pages[0]!.query).toBe('?pageSize=200');
    expect(pages[1]!.query).toMatch(/^\?pageSize=200&continuationToken=./);
    for (const p of team)
      expect(await teamsStore.userByEmail(p.email)).toMatchObject({
        aadObjectId: p.aadObjectId,
        teamsUserId: p.id,
        tenantId: s.env.TEAMS_TENANT_ID,
        serviceUrl: s.teams.serviceUrl,
      });
  });

  it('sends the 1:1 card to an approver who never wrote to the bot, and finds one who joined unannounced', async () => {
    // Quinn joined the team without the bot hearing of it (say it was down): found by email when needed.
    s.teams.rosters.add(TEAMS_TEAM, quinn);
    expect(await teamsStore.userByEmail('quinn@acme.test')).toBeNull();
    await openOrderFor([s.teamsUsers.manager, pat, quinn]);
    expect(lookupsOf(s.teams.calls, 'pat@acme.test')).toEqual([]);
    expect(lookupsOf(s.teams.calls, 'quinn@acme.test').map((c) => [c.conversationId, c.status])).toEqual([
      [TEAMS_TEAM, 200],
    ]);
    expect(await teamsStore.userByEmail('quinn@acme.test')).toMatchObject({ aadObjectId: quinn.aadObjectId });
  });

  it('a person in no team gets no DM and the clear error, and the next card does not ask again', async () => {
    const asked = lookupsOf(s.teams.calls, 'olga@acme.test');
    expect(asked.map((c) => [c.conversationId, c.status])).toEqual([[TEAMS_TEAM, 404]]);
    const noDm = () => logLines.filter((l) => l.msg === NO_DM && l.odooUserId === olgaOdoo && l.platform === 'teams');
    expect(noDm()).toHaveLength(1);

    // The DMs of a case are worked out before any is posted: once Pat has this card, Olga was considered.
    await openOrderFor([pat]);
    expect(lookupsOf(s.teams.calls, 'olga@acme.test')).toHaveLength(1);
    expect(noDm()).toHaveLength(2);

    await expect(platform.personalConversation(olga.aadObjectId)).rejects.toMatchObject({
      code: 'teams.unknown_user',
      message: expect.stringMatching(/found them in none of its teams or group chats.*install the app/),
    });
    expect(lookupsOf(s.teams.calls, olga.aadObjectId)).toHaveLength(1);
    await expect(platform.personalConversation(olga.aadObjectId)).rejects.toMatchObject({ code: 'teams.unknown_user' });
    expect(lookupsOf(s.teams.calls, olga.aadObjectId)).toHaveLength(1);
  });

  it('reads a group chat whole, and stores a member added later', async () => {
    const bob = s.teamsUsers.buyer;
    const ravi = s.teams.addUser({ name: 'Ravi Receiver', email: 'ravi@acme.test' });
    s.teams.rosters.set(GROUP_CHAT, [bob, olga], { chat: true });
    const chat = s.teams.context({ kind: 'groupChat', id: GROUP_CHAT });
    expect((await s.deliver(baseUrl, installationUpdateActivity(chat, bob))).status).toBe(200);
    await eventually(() => teamsStore.userByEmail('olga@acme.test'));
    expect(s.teams.calls.filter((c) => isPaged(c) && c.conversationId === GROUP_CHAT)).toHaveLength(1);

    s.teams.rosters.add(GROUP_CHAT, ravi);
    const added = conversationUpdateActivity(chat, bob, [{ id: ravi.id, aadObjectId: ravi.aadObjectId }]);
    expect((await s.deliver(baseUrl, added)).status).toBe(200);
    expect(await eventually(() => teamsStore.userByEmail('ravi@acme.test'))).toMatchObject({
      aadObjectId: ravi.aadObjectId,
      teamsUserId: ravi.id,
      name: 'Ravi Receiver',
    });
    expect(lookupsOf(s.teams.calls, ravi.id).map((c) => [c.conversationId, c.status])).toEqual([[GROUP_CHAT, 200]]);
  });
});
