import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgStore } from '../../src/store/pg-store.js';
import { type KnownTeamsUser, PgTeamsStore, type TeamsConversationRef } from '../../src/store/pg-teams-store.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';

const EMEA = 'https://smba.trafficmanager.net/emea/';
const AMER = 'https://smba.trafficmanager.net/amer/';

const aConversation = (overrides: Partial<TeamsConversationRef> = {}): TeamsConversationRef => ({
  conversationId: '19:approvals@thread.tacv2',
  kind: 'channel',
  tenantId: 'tenant',
  serviceUrl: EMEA,
  teamId: '19:team@thread.tacv2',
  ...overrides,
});
const aUser = (overrides: Partial<KnownTeamsUser> = {}): KnownTeamsUser => ({
  aadObjectId: 'aad-mia',
  teamsUserId: '29:mia',
  email: 'mia@acme.test',
  upn: 'mia@acme.test',
  name: 'Mia Manager',
  tenantId: 'tenant',
  serviceUrl: EMEA,
  ...overrides,
});

describe('PgTeamsStore keeps each service URL current', () => {
  let db: TestDatabaseHandle;
  let pgStore: PgStore;
  let store: PgTeamsStore;

  beforeAll(async () => {
    db = await postgresDatabase.connect();
    pgStore = await PgStore.connect(db.connectionString, { schema: db.schema, poolSize: 2 });
    store = new PgTeamsStore(pgStore.pool, { schema: db.schema });
  });
  afterAll(async () => {
    await pgStore?.close();
    await db?.close();
  });

  it('finds a conversation by id, thread suffix or not, with the latest service URL an activity named', async () => {
    await store.saveConversation(aConversation());
    await store.saveConversation(aConversation({ serviceUrl: AMER, teamId: null }));
    expect(await store.conversation('19:approvals@thread.tacv2')).toMatchObject({
      serviceUrl: AMER,
      teamId: '19:team@thread.tacv2',
    });
    expect((await store.conversation('19:approvals@thread.tacv2;messageid=1700000000000'))?.serviceUrl).toBe(AMER);
    expect(await store.conversation('19:unknown@thread.tacv2')).toBeNull();
  });

  it('does not forget a known service URL when an activity carries none', async () => {
    await store.saveConversation(aConversation({ conversationId: 'a:1mia', kind: 'personal', aadObjectId: 'aad-mia' }));
    await store.saveConversation(aConversation({ conversationId: 'a:1mia', kind: 'personal', serviceUrl: '' }));
    expect((await store.personalConversation('aad-mia'))?.serviceUrl).toBe(EMEA);
    await store.saveConversation(aConversation({ conversationId: 'a:1new', serviceUrl: '' }));
    expect((await store.conversation('a:1new'))?.serviceUrl).toBe('');
  });

  it('moves a user to the service URL they were last seen through, keeping it when none is given', async () => {
    await store.saveUser(aUser());
    await store.saveUser(aUser({ serviceUrl: AMER }));
    expect((await store.user('aad-mia'))?.serviceUrl).toBe(AMER);
    await store.saveUser(aUser({ serviceUrl: '' }));
    expect((await store.userByEmail('MIA@acme.test'))?.serviceUrl).toBe(AMER);
  });
});
