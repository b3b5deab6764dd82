import { PUBLIC, withOverrides } from '@microsoft/teams.api';
import { App } from '@microsoft/teams.apps';
import type { Logger } from '../../flows/ports.js';
import type { TeamsStore } from '../../store/pg-teams-store.js';
import type { HttpReply } from '../slack/slack-request-receiver.js';
import { BotConnectorClients } from './bot-connector-clients.js';
import { clientCredentialsToken } from './client-credentials-token.js';
import { RouteCaptureAdapter } from './route-capture-adapter.js';
import { checkServiceUrl } from './service-url.js';
import { teamsLogger } from './teams-logger.js';
import { TeamsPlatform } from './teams-platform.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';

export interface TeamsBotOptions {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /**
   * Bot Connector base URL for conversations whose own service URL the bot never
   * learnt (TEAMS_SERVICE_URL); default the SDK's https://smba.trafficmanager.net/teams.
   */
  serviceUrl?: string | undefined;
  /** Sovereign clouds and offline tests: Entra login, OpenID metadata of the Bot Connector, its token issuer. */
  loginUrl?: string | undefined;
  openIdMetadataUrl?: string | undefined;
  tokenIssuer?: string | undefined;
  /** Development only: accept activities without a Bot Framework JWT. */
  allowUnauthenticated?: boolean;
  store: TeamsStore;
  log: Logger;
  /** The Teams conversation of each flow from the policy file. */
  channels?: (flowId: string) => string | null;
}

export interface TeamsBot {
  platform: TeamsPlatform;
  store: TeamsStore;
  app: App;
  /** `POST /api/messages`: the SDK checks the JWT, then routes the activity. */
  handle(headers: Record<string, string | string[] | undefined>, raw: Buffer): Promise<HttpReply>;
}

/**
 * Builds the Teams SDK app on our HTTP server (no port of its own) and the
 * chat platform on its Bot Connector client. Routes come from `registerTeamsRoutes`.
 */
export async function createTeamsBot(options: TeamsBotOptions): Promise<TeamsBot> {
  const { log } = options;
  const store = withCheckedServiceUrls(options.store, log);
  const cloud = withOverrides(PUBLIC, {
    ...(options.loginUrl ? { loginEndpoint: options.loginUrl.replace(/\/+$/, '') } : {}),
    ...(options.openIdMetadataUrl ? { openIdMetadataUrl: options.openIdMetadataUrl } : {}),
    ...(options.tokenIssuer ? { tokenIssuer: options.tokenIssuer } : {}),
  });
  const adapter = new RouteCaptureAdapter();
  const getToken = clientCredentialsToken({
    loginUrl: cloud.loginEndpoint,
    tenantId: options.tenantId,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  });
  // No clientSecret here on purpose: with one the SDK uses MSAL, which refuses http:// authorities.
  const app = new App({
    clientId: options.clientId,
    tenantId: options.tenantId,
    token: (scope) => getToken((Array.isArray(scope) ? scope[0] : scope) ?? ''),
    httpServerAdapter: adapter,
    cloud,
    ...(options.serviceUrl ? { serviceUrl: options.serviceUrl } : {}),
    logger: teamsLogger(log),
    dangerouslyAllowUnauthenticatedRequests: options.allowUnauthenticated ?? false,
    messagingEndpoint: TEAMS_MESSAGES_PATH,
  });
  const platform = new TeamsPlatform({
    connectors: new BotConnectorClients(app, log),
    store,
    clientId: options.clientId,
    tenantId: options.tenantId,
    ...(options.channels ? { channels: options.channels } : {}),
    logger: log,
  });

  app.event('error', ({ error }: { error: unknown }) =>
    log.error({ err: error, platform: 'teams' }, 'Teams SDK error'),
  );
  await app.initialize();
  return { platform, store, app, handle: (headers, raw) => adapter.handle(TEAMS_MESSAGES_PATH, headers, raw) };
}

/**
 * The store as the routes see it: a service URL we would not send the bot's
 * token to is saved as unknown (''), so it never replaces a good one and the
 * conversation falls back to TEAMS_SERVICE_URL instead.
 */
function withCheckedServiceUrls(store: TeamsStore, log: Logger): TeamsStore {
  const checked = (serviceUrl: string, what: string): string => {
    if (!serviceUrl || checkServiceUrl(serviceUrl)) return serviceUrl;
    log.warn(
      { platform: 'teams', serviceUrl: serviceUrl.slice(0, 200) },
      `a Teams activity named a Bot Connector service URL that is not https (http only on loopback); the ${what} keeps its known one (or TEAMS_SERVICE_URL)`,
    );
    return '';
  };
  return {
    saveConversation: (ref) => store.saveConversation({ ...ref, serviceUrl: checked(ref.serviceUrl, 'conversation') }),
    saveUser: (user) => store.saveUser({ ...user, serviceUrl: checked(user.serviceUrl, 'user') }),
    saveRosterMembers: (users) => {
      // A roster's members share its service URL: check (and warn) once, not once per person.
      const seen = new Map<string, string>();
      const once = (url: string) => seen.get(url) ?? seen.set(url, checked(url, 'user')).get(url)!;
      return store.saveRosterMembers(users.map((u) => ({ ...u, serviceUrl: once(u.serviceUrl) })));
    },
    groupConversations: (limit) => store.groupConversations(limit),
    linkFlow: (conversationId, flowId) => store.linkFlow(conversationId, flowId),
    conversation: (conversationId) => store.conversation(conversationId),
    conversationForFlow: (flowId) => store.conversationForFlow(flowId),
    personalConversation: (aadObjectId) => store.personalConversation(aadObjectId),
    user: (aadObjectId) => store.user(aadObjectId),
    userByEmail: (email) => store.userByEmail(email),
  };
}
