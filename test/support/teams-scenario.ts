import type { Activity, ActivityContext } from '../../src/sandbox/teams/activities.js';
import { FakeBotConnector } from '../../src/sandbox/teams/fake-bot-connector.js';
import { type PurchaseScenario, type ScenarioOptions, startPurchaseScenario } from './purchase-scenario.js';

export const TEAMS_CLIENT_ID = '00000000-0000-4000-8000-00000000b07a';
export const TEAMS_TENANT_ID = '00000000-0000-4000-8000-0000000a7e4a';
export const TEAMS_SECRET = 'teams-client-secret';
export const TEAMS_CHANNEL = '19:approvals0123456789@thread.tacv2';
export const TEAMS_TEAM = '19:team0123456789@thread.tacv2';

/** The README policy with a Teams section: no channel, so it is linked from Teams. */
export const TEAMS_POLICY_YAML = `approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    teams: {}
    approvers: { odooGroup: purchase.group_purchase_manager }
    approve: { method: button_approve }
    reject: { method: button_cancel }
`;

export interface TeamsScenario extends PurchaseScenario {
  teams: FakeBotConnector;
  teamsUsers: {
    manager: ReturnType<FakeBotConnector['addUser']>;
    buyer: ReturnType<FakeBotConnector['addUser']>;
  };
  channelContext(): ActivityContext;
  personalContext(conversationId: string): ActivityContext;
  /** Posts an activity to the service's `/api/messages`, signed unless told otherwise. */
  deliver(baseUrl: string, activity: Activity, authorization?: string | null): Promise<Response>;
}

/** The purchase scenario with a fake Microsoft Teams tenant next to the fake Slack. */
export async function startTeamsScenario(options: ScenarioOptions = {}): Promise<TeamsScenario> {
  const teams = await FakeBotConnector.start({
    clientId: TEAMS_CLIENT_ID,
    clientSecret: TEAMS_SECRET,
    tenantId: TEAMS_TENANT_ID,
  });
  const s = await startPurchaseScenario({
    ...options,
    extraEnv: {
      TEAMS_CLIENT_ID,
      TEAMS_CLIENT_SECRET: TEAMS_SECRET,
      TEAMS_TENANT_ID,
      TEAMS_SERVICE_URL: teams.serviceUrl,
      TEAMS_LOGIN_URL: teams.loginUrl,
      TEAMS_OPENID_METADATA_URL: teams.openIdMetadataUrl,
      TEAMS_TOKEN_ISSUER: teams.issuer,
      ...options.extraEnv,
    },
  });
  const teamsUsers = {
    manager: teams.addUser({ name: 'Mia Manager', email: 'mia@acme.test' }),
    buyer: teams.addUser({ name: 'Bob Buyer', email: 'bob@acme.test' }),
  };
  const stop = s.stop;
  return {
    ...s,
    teams,
    teamsUsers,
    channelContext: () =>
      teams.context({ kind: 'channel', id: TEAMS_CHANNEL, teamId: TEAMS_TEAM, channelName: 'Approvals' }),
    personalContext: (id) => teams.context({ kind: 'personal', id }),
    deliver: (baseUrl, activity, authorization) => teams.deliver(`${baseUrl}/api/messages`, activity, authorization),
    async stop() {
      await stop();
      await teams.stop();
    },
  };
}
