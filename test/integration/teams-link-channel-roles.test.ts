import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatFor } from '../../src/flows/chats.js';
import { messageActivity } from '../../src/sandbox/teams/activities.js';
import type { FakeMember } from '../../src/sandbox/teams/fake-bot-connector.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { eventually } from '../support/purchase-scenario.js';
import {
  startTeamsScenario,
  TEAMS_CHANNEL,
  TEAMS_POLICY_YAML,
  TEAMS_TEAM,
  type TeamsScenario,
} from '../support/teams-scenario.js';

const OTHER_CHANNEL = '19:general0123456789@thread.tacv2';
const FLOW = 'purchase-orders';

describe('`link channel` in Teams: team owners may, guests never, the rest by the Odoo rule', () => {
  let s: TeamsScenario;
  let svc: InProcessService;
  /** No Odoo user at all. */
  let owen: FakeMember;
  /** Bob: an Odoo user with no admin, finance or approver role. */
  let bob: FakeMember;
  /** Max: a purchase manager in Odoo, so an approver of the flow. */
  let max: FakeMember;
  /** Ada: an Odoo administrator (Settings). */
  let ada: FakeMember;

  const seedTeam = (roles: { owen: 'owner' | 'user'; bob: 'owner' | 'user' }) =>
    s.teams.rosters.set(
      [TEAMS_TEAM, TEAMS_CHANNEL, OTHER_CHANNEL],
      [
        { ...owen, userRole: roles.owen },
        { ...bob, userRole: roles.bob },
        { ...max, userRole: 'guest' },
        { ...ada, userRole: 'user' },
      ],
    );

  beforeAll(async () => {
    s = await startTeamsScenario();
    s.odoo.addUser({ login: 'ada', name: 'Ada Admin', email: 'ada@acme.test', groups: ['base.group_system'] });
    owen = s.teams.addUser({ name: 'Owen Owner', email: 'owen@acme.test' });
    bob = s.teamsUsers.buyer;
    max = s.teams.addUser({ name: 'Max Manager', email: 'max@acme.test' });
    ada = s.teams.addUser({ name: 'Ada Admin', email: 'ada@acme.test' });
    seedTeam({ owen: 'owner', bob: 'user' });
    svc = await startInProcess(s, { policyYaml: TEAMS_POLICY_YAML });
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await s?.stop();
  });

  const linkedChannel = () => chatFor(svc.service.deps, 'teams').channelFor(FLOW);

  /** Writes `link channel` in a channel as this person; resolves with the bot's answer there. */
  async function linkAs(person: FakeMember, channel = TEAMS_CHANNEL): Promise<string> {
    const ctx = s.teams.context({ kind: 'channel', id: channel, teamId: TEAMS_TEAM, channelName: 'Approvals' });
    const before = s.teams.activities(channel).length;
    expect((await s.deliver(svc.baseUrl, messageActivity(ctx, person, `link channel ${FLOW}`))).status).toBe(200);
    const reply = await eventually(() =>
      s.teams
        .activities(channel)
        .slice(before)
        .find((a) => a.text),
    );
    return String(reply.text);
  }

  it('refuses a plain member of the team with no Odoo role, saying who may and that guests may not', async () => {
    const text = await linkAs(bob);
    expect(text).toContain('an owner of this team');
    expect(text).toContain('Odoo administrator');
    expect(text).toContain('finance user');
    expect(text).toContain(`an approver of "${FLOW}"`);
    expect(text).toContain('guests of the team never can');
    expect(text).toContain('The channel was not linked');
    expect(await linkedChannel()).toBeNull();
  });

  it('refuses a guest of the team even though Odoo makes them an approver of the flow', async () => {
    const text = await linkAs(max);
    expect(text).toMatch(/^Guests of this team cannot choose where approval cards go, even when they approve in Odoo/);
    expect(text).toContain('ask an owner of this team, an Odoo administrator');
    expect(await linkedChannel()).toBeNull();
  });

  it('refuses, and links nothing, when Teams does not answer who the person is in the team', async () => {
    // One for the sender lookup every message makes, one for the role lookup of the command.
    s.teams.failNext(403, 2);
    const text = await linkAs(owen);
    expect(text).toMatch(/did not say whether you are an owner, member or guest of this team/);
    expect(await linkedChannel()).toBeNull();
  });

  it('lets a team owner with no Odoo user link the channel, asking Teams for their role at that moment', async () => {
    const text = await linkAs(owen);
    expect(text).toMatch(/now gets the approval cards of "purchase-orders"/);
    expect(await linkedChannel()).toBe(TEAMS_CHANNEL);
    expect(
      s.teams.calls.some(
        (c) => c.method === 'GET' && c.path.includes(`/conversations/${TEAMS_TEAM}/members/${owen.aadObjectId}`),
      ),
    ).toBe(true);
  });

  it('still lets an Odoo administrator who is a plain member link another channel of the team', async () => {
    const text = await linkAs(ada, OTHER_CHANNEL);
    expect(text).toMatch(/now gets the approval cards of "purchase-orders"/);
    expect(await linkedChannel()).toBe(OTHER_CHANNEL);
  });

  it('reads the role anew each time: a member made owner a moment ago may link', async () => {
    seedTeam({ owen: 'owner', bob: 'owner' });
    const text = await linkAs(bob);
    expect(text).toMatch(/now gets the approval cards of "purchase-orders"/);
    expect(await linkedChannel()).toBe(TEAMS_CHANNEL);
  });
});
