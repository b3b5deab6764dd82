import { Client as ApiClient } from '@microsoft/teams.api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentialsToken } from '../../src/bot/teams/client-credentials-token.js';
import { TeamsRoster } from '../../src/bot/teams/teams-roster.js';
import { FakeBotConnector, type FakeMember } from '../../src/sandbox/teams/fake-bot-connector.js';
import { PgStore } from '../../src/store/pg-store.js';
import { type KnownTeamsUser, PgTeamsStore, type TeamsConversationRef } from '../../src/store/pg-teams-store.js';
import { type TestDatabaseHandle, testDatabases } from '../support/databases.js';

const TENANT = '00000000-0000-4000-8000-0000000a7e4a';
const CLIENT_ID = '00000000-0000-4000-8000-00000000b07a';
const SECRET = 'roster-secret';
const TEAM = '19:rosterteam@thread.tacv2';
const CHANNEL = '19:rosterchannel@thread.tacv2';
const CHAT = '19:rosterchat@thread.v2';
const EMEA = 'https://smba.trafficmanager.net/emea/';

interface Page {
  members: Array<{ id: string; email?: string; aadObjectId?: string }>;
  continuationToken?: string;
}

/** The Bot Connector answer of an SDK call that failed, or null. */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: unknown } | null> {
  try {
    await call;
    return null;
  } catch (err) {
    const res = (err as { response?: { status: number; data: unknown } }).response;
    return res ? { status: res.status, data: res.data } : null;
  }
}

describe('the fake Bot Connector serves rosters as Teams does (through the Teams SDK client)', () => {
  let fake: FakeBotConnector;
  let api: ApiClient;
  let people: FakeMember[];

  beforeAll(async () => {
    fake = await FakeBotConnector.start({ clientId: CLIENT_ID, clientSecret: SECRET, tenantId: TENANT });
    const token = clientCredentialsToken({
      loginUrl: fake.loginUrl,
      tenantId: TENANT,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
    });
    api = new ApiClient(fake.serviceUrl.replace(/\/$/, ''), {
      token: () => token('https://api.botframework.com/.default'),
    });
    people = Array.from({ length: 620 }, (_, i) =>
      fake.addUser({ name: `Person ${i}`, email: `person${i}@acme.test`, upn: `Person${i}@Acme.onmicrosoft.com` }),
    );
    fake.rosters.set([TEAM, CHANNEL], people);
    fake.rosters.set(CHAT, people.slice(0, 300), { chat: true });
  });
  afterAll(async () => {
    await fake?.stop();
  });

  const paged = (id: string, size?: number, token?: string) =>
    api.conversations.getPagedMembers(id, size, token) as Promise<Page>;

  it('pages a team: 200 by default, never fewer than 50 or more than 500, to the last page', async () => {
    expect((await paged(TEAM)).members).toHaveLength(200);
    expect((await paged(TEAM, 10)).members).toHaveLength(50);
    const first = await paged(TEAM, 1000);
    expect(first.members).toHaveLength(500);
    const last = await paged(TEAM, 1000, first.continuationToken);
    expect(last.members).toHaveLength(120);
    expect(last.continuationToken).toBeUndefined();
    expect(new Set([...first.members, ...last.members].map((m) => m.id)).size).toBe(620);
    expect(first.members[0]).toMatchObject({
      id: people[0]!.id,
      aadObjectId: people[0]!.aadObjectId,
      email: 'person0@acme.test',
      userPrincipalName: 'Person0@Acme.onmicrosoft.com',
      tenantId: TENANT,
      userRole: 'user',
    });
    // A channel of the team has the team's roster; every call is recorded with its query.
    expect((await paged(CHANNEL)).members).toHaveLength(200);
    const calls = fake.calls.filter((c) => /pagedmembers$/i.test(c.path));
    expect(calls.map((c) => c.conversationId)).toEqual([TEAM, TEAM, TEAM, TEAM, CHANNEL]);
    expect(calls[1]!.query).toBe('?pageSize=10');
    expect(calls[3]!.query).toContain('continuationToken=');
  });

  it('answers a group chat with its whole roster at once, and refuses a token from another roster', async () => {
    const chat = await paged(CHAT, 50);
    expect(chat.members).toHaveLength(300);
    expect(chat.continuationToken).toBeUndefined();
    const team = await paged(TEAM);
    expect(await failure(paged(CHANNEL, undefined, team.continuationToken))).toMatchObject({
      status: 400,
      data: { error: { code: 'BadArgument' } },
    });
  });

  it('finds one member by Entra id, Teams id or UPN / email in any case, and 404s everyone else', async () => {
    const p = people[7]!;
    for (const id of [p.aadObjectId, p.id, 'PERSON7@acme.test', encodeURIComponent('person7@acme.onmicrosoft.com')])
      expect(await api.conversations.getMemberById(TEAM, id)).toMatchObject({ id: p.id, email: 'person7@acme.test' });
    expect(await failure(api.conversations.getMemberById(CHAT, people[400]!.aadObjectId))).toEqual({
      status: 404,
      data: { error: { code: 'MemberNotFoundInConversation', message: expect.any(String) } },
    });
    // A conversation nobody seeded has the whole tenant, as before rosters existed in the fake.
    expect(await api.conversations.getMemberById('19:unseeded@thread.v2', people[400]!.id)).toMatchObject({
      aadObjectId: people[400]!.aadObjectId,
    });
  });
});

describe.each(testDatabases)('Teams rosters in the store and the roster reader ($name)', (database) => {
  let db: TestDatabaseHandle;
  let pgStore: PgStore;
  let store: PgTeamsStore;
  let fake: FakeBotConnector;
  let api: ApiClient;

  const aUser = (overrides: Partial<KnownTeamsUser> = {}): KnownTeamsUser => ({
    aadObjectId: 'aad-ann',
    teamsUserId: '29:ann',
    email: 'ann@acme.test',
    upn: 'ann@acme.test',
    name: 'Ann',
    tenantId: TENANT,
    serviceUrl: EMEA,
    ...overrides,
  });
  const aConversation = (overrides: Partial<TeamsConversationRef> = {}): TeamsConversationRef => ({
    conversationId: CHANNEL,
    kind: 'channel',
    tenantId: TENANT,
    serviceUrl: '',
    teamId: TEAM,
    ...overrides,
  });

  beforeAll(async () => {
    db = await database.connect();
    pgStore = await PgStore.connect(db.connectionString, { schema: db.schema, poolSize: 2 });
    store = new PgTeamsStore(pgStore.pool, { schema: db.schema });
    fake = await FakeBotConnector.start({ clientId: CLIENT_ID, clientSecret: SECRET, tenantId: TENANT });
    const token = clientCredentialsToken({
      loginUrl: fake.loginUrl,
      tenantId: TENANT,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
    });
    api = new ApiClient(fake.serviceUrl.replace(/\/$/, ''), {
      token: () => token('https://api.botframework.com/.default'),
    });
  }, 60_000);
  afterAll(async () => {
    await fake?.stop();
    await pgStore?.close();
    await db?.close();
  });

  it('stores a roster in one statement, keeping a service URL the person was seen through', async () => {
    await store.saveUser(aUser({ serviceUrl: 'https://smba.trafficmanager.net/amer/' }));
    await store.saveRosterMembers([]);
    await store.saveRosterMembers([
      aUser({ name: 'Ann Accountant' }),
      aUser({ aadObjectId: 'aad-ben', teamsUserId: '29:ben', email: 'ben@acme.test', upn: null, name: 'Ben' }),
      aUser({ aadObjectId: 'aad-ben', teamsUserId: '29:ben', email: 'ben@acme.test', upn: null, name: 'Ben B' }),
    ]);
    expect(await store.user('aad-ann')).toMatchObject({
      name: 'Ann Accountant',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
    });
    expect(await store.userByEmail('BEN@acme.test')).toMatchObject({ teamsUserId: '29:ben', serviceUrl: EMEA });
  });

  it('lists teams (once, by their latest channel) and group chats, most recent first, never 1:1 chats', async () => {
    await store.saveConversation(aConversation({ conversationId: '19:other-channel@thread.tacv2' }));
    await store.saveConversation(aConversation({ conversationId: CHAT, kind: 'groupChat', teamId: null }));
    await store.saveConversation(aConversation({ conversationId: 'a:1ann', kind: 'personal', teamId: null }));
    await store.saveConversation(aConversation());
    const listed = await store.groupConversations(20);
    expect(listed.map((c) => c.conversationId)).toEqual([CHANNEL, CHAT]);
    expect(await store.groupConversations(1)).toHaveLength(1);
  });

  it('looks a person up in the known teams and chats once, and asks again only after the miss expires', async () => {
    let now = 1_000_000;
    const roster = new TeamsRoster({ connectors: { for: () => api }, store, now: () => now, retryDelayMs: 1 });
    const cleo = fake.addUser({ name: 'Cleo', email: 'cleo@acme.test' });
    const dora = fake.addUser({ name: 'Dora', email: 'dora@acme.test' });
    fake.rosters.set([TEAM, CHANNEL], [cleo]);
    fake.rosters.set(CHAT, [], { chat: true });
    const lookups = (who: string) => fake.calls.filter((c) => c.path.endsWith(`/members/${who}`)).length;

    expect(await roster.find('CLEO@acme.test')).toMatchObject({ aadObjectId: cleo.aadObjectId, teamsUserId: cleo.id });
    expect(await store.userByEmail('cleo@acme.test')).toMatchObject({ aadObjectId: cleo.aadObjectId });

    expect(await roster.find('dora@acme.test')).toBeNull();
    expect(lookups('dora@acme.test')).toBe(2);
    now += 9 * 60_000;
    expect(await roster.find('Dora@acme.test')).toBeNull();
    expect(lookups('dora@acme.test')).toBe(2);
    now += 2 * 60_000;
    fake.rosters.add(CHAT, dora);
    expect(await roster.find('dora@acme.test')).toMatchObject({ aadObjectId: dora.aadObjectId });
    expect(lookups('dora@acme.test')).toBe(4);
  });

  it('does not believe a miss when a team could not answer, and retries a throttled roster page', async () => {
    const roster = new TeamsRoster({ connectors: { for: () => api }, store, retryDelayMs: 1 });
    const eve = fake.addUser({ name: 'Eve', email: 'eve@acme.test' });
    fake.failNext(503);
    expect(await roster.find('eve@acme.test')).toBeNull();
    fake.rosters.add(TEAM, eve);
    expect(await roster.find('eve@acme.test')).toMatchObject({ aadObjectId: eve.aadObjectId });

    const many = Array.from({ length: 260 }, (_, i) => fake.addUser({ name: `M ${i}`, email: `m${i}@acme.test` }));
    fake.rosters.set('19:bigteam@thread.tacv2', many);
    fake.failNext(429, 2);
    const stored = await roster.sync(aConversation({ conversationId: '19:bigteam@thread.tacv2', teamId: null }));
    expect(stored).toBe(260);
    expect(await store.userByEmail('m259@acme.test')).toMatchObject({ aadObjectId: many[259]!.aadObjectId });
  });
});
