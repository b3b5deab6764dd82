// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cardActionActivity,
  conversationUpdateActivity,
  installationUpdateActivity,
  messageActivity,
} from '../../src/sandbox/teams/activities.js';
import type { FakeBotConnector } from '../../src/sandbox/teams/fake-bot-connector.js';
import { EVENTS_SECRET, postEvent } from '../support/exception-scenario.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { eventually, postWebhook } from '../support/purchase-scenario.js';
import { cardOf, executes, isTeamsCardOf, type Json } from '../support/teams-cards.js';
import {
  startTeamsScenario,
  TEAMS_CHANNEL,
  TEAMS_POLICY_YAML,
  TEAMS_TEAM,
  type TeamsScenario,
} from '../support/teams-scenario.js';

/** A channel named in the policy file that never sent the bot an activity: only TEAMS_SERVICE_URL is known for it. */
const UNSEEN_CHANNEL = '19:neverseen0123456789@thread.tacv2';
const GROUP_CHAT = '19:groupchat0123456789@thread.v2';

const POLICY = `${TEAMS_POLICY_YAML}exceptions:
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { odooGroup: purchase.group_purchase_manager }
    teams: { channel: "${UNSEEN_CHANNEL}" }
    sla: 4h
`;

const mentions = (a: Json | undefined, text: string) => JSON.stringify(cardOf(a) ?? {}).includes(text);
const v3Calls = (fake: FakeBotConnector) => fake.calls.filter((c) => c.path.includes('/v3/'));

/**
 * Teams serves each conversation from a regional Bot Connector named by the
 * activities' `serviceUrl`; the bot must call that one, not TEAMS_SERVICE_URL.
 * Here the service is configured with the fake's `/teams/` endpoint, the
 * approvals channel lives in `/emea/` and Mia was last seen through `/amer/`.
 */
describe('Teams calls go to the service URL of the conversation they target', () => {
  let s: TeamsScenario;
  let svc: InProcessService;
  let emea: FakeBotConnector;
  let amer: FakeBotConnector;

  beforeAll(async () => {
    s = await startTeamsScenario({ extraEnv: { EVENTS_HMAC_SECRET: EVENTS_SECRET } });
    emea = await s.teams.addRegion('emea');
    amer = await s.teams.addRegion('amer');
    svc = await startInProcess(s, { policyYaml: POLICY });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  const deliver = (fake: FakeBotConnector, activity: Parameters<FakeBotConnector['deliver']>[1]) =>
    fake.deliver(`${svc.baseUrl}/api/messages`, activity);

  it('posts a channel card to the channel region and a new 1:1 to the region the approver was last seen in, and updates each there', async () => {
    const { manager, buyer } = s.teamsUsers;
    const channel = emea.context({ kind: 'channel', id: TEAMS_CHANNEL, teamId: TEAMS_TEAM, channelName: 'Approvals' });
    expect((await deliver(emea, installationUpdateActivity(channel, manager))).status).toBe(200);
    expect((await deliver(emea, messageActivity(channel, manager, 'link channel purchase-orders'))).status).toBe(200);
    await eventually(() =>
      emea.activities(TEAMS_CHANNEL).some((a) => /now gets the approval cards/.test(String(a.text))),
    );
    // Bob adds Mia to a group chat served from /amer/: the bot now knows her through that endpoint.
    const chat = amer.context({ kind: 'groupChat', id: GROUP_CHAT });
    const added = conversationUpdateActivity(chat, buyer, [{ id: manager.id, aadObjectId: manager.aadObjectId }]);
    expect((await deliver(amer, added)).status).toBe(200);
    await eventually(() => amer.calls.some((c) => c.method === 'GET' && c.path.endsWith(`/members/${manager.id}`)));

    const po = s.newOrder();
    expect((await postWebhook(svc.baseUrl, s, po)).status).toBeLessThan(300);
    const name = String(s.odoo.record('purchase.order', po)!.name);
    const channelCard = await eventually(() => emea.activities(TEAMS_CHANNEL).find((a) => isTeamsCardOf(a, name)));
    const dmConv = await eventually(() =>
      amer.calls.find((c) => c.method === 'POST' && c.path === '/amer/v3/conversations' && c.status === 201),
    ).then((c) => c.conversationId!);
    const dm = await eventually(() => amer.activities(dmConv).find((a) => isTeamsCardOf(a, name)));
    expect((amer.calls.find((c) => c.path === '/amer/v3/conversations')?.body as Json)?.members?.[0]?.id).toBe(
      manager.id,
    );

    // Mia approves from her 1:1 (served from /amer/); both cards are updated where they live.
    const approve = executes(cardOf(dm))['approval.approve']!;
    const click = cardActionActivity(amer.context({ kind: 'personal', id: dmConv }), manager, {
      verb: approve.verb,
      data: approve.data,
      replyToId: String(dm.id),
    });
    expect((await deliver(amer, click)).status).toBe(200);
    await eventually(() =>
      emea.calls.find(
        (c) => c.method === 'PUT' && c.activityId === channelCard.id && /Approved by/.test(JSON.stringify(c.body)),
      ),
    );
    await eventually(() =>
      amer.calls.find(
        (c) => c.method === 'PUT' && c.activityId === dm.id && /Approved by/.test(JSON.stringify(c.body)),
      ),
    );

    // Nothing of this went to TEAMS_SERVICE_URL, the other region, or failed.
    expect(v3Calls(s.teams)).toEqual([]);
    expect(v3Calls(emea).filter((c) => c.conversationId?.startsWith('a:'))).toEqual([]);
    expect(v3Calls(amer).filter((c) => c.conversationId?.startsWith(TEAMS_CHANNEL))).toEqual([]);
    // 404 from `members/<email>` only says an approver without a Teams account (Max) is not in that team.
    const failed = (c: { path: string; status: number }) => c.status >= 400 && !/\/members\/[^/]*@/.test(c.path);
    expect([...v3Calls(emea), ...v3Calls(amer)].filter(failed)).toEqual([]);
  });

  it('uses TEAMS_SERVICE_URL for a policy-file channel the bot has never heard from', async () => {
    const res = await postEvent(svc.baseUrl, {
      key: 'usage-unseen-channel',
      type: 'usage-sync-failed',
      severity: 'high',
      title: 'Usage sync failed for Globex',
      facts: { customer: 'Globex' },
    });
    expect(res.status).toBe(202);
    await eventually(() => s.teams.activities(UNSEEN_CHANNEL).find((a) => mentions(a, 'Usage sync failed for Globex')));
    expect(emea.activities(UNSEEN_CHANNEL)).toEqual([]);
    expect(amer.activities(UNSEEN_CHANNEL)).toEqual([]);
  });
});
