import { Client as ApiClient } from '@microsoft/teams.api';
import type { App } from '@microsoft/teams.apps';
import type { Logger } from '../../flows/ports.js';
import { checkServiceUrl } from './service-url.js';

/** Enough distinct Bot Connector endpoints for every region and cloud; past it the oldest client is dropped. */
const MAX_CLIENTS = 64;

/**
 * Bot Connector clients, one per service URL. Microsoft requires each call to
 * go to the `serviceUrl` of the conversation it targets (it differs by region
 * and cloud), but the SDK's `app.api` is bound to one URL (TEAMS_SERVICE_URL
 * or its default). We build the others exactly as the SDK builds `app.api`
 * (`new ApiClient(url, <token-bearing http client>, apiClientSettings, cloud)`),
 * sharing its http client so they present the same bot token.
 */
export class BotConnectorClients {
  private readonly clients = new Map<string, ApiClient>();
  private readonly refused = new Set<string>();

  constructor(
    private readonly app: Pick<App, 'api' | 'options' | 'cloud'>,
    private readonly logger?: Logger,
  ) {
    this.clients.set(app.api.serviceUrl, app.api);
  }

  /** The client of TEAMS_SERVICE_URL (or the SDK default), for conversations whose service URL we never learnt. */
  get fallback(): ApiClient {
    return this.app.api;
  }

  /** The client for a conversation's stored service URL; the fallback when there is none or it is refused. */
  for(serviceUrl: string | null | undefined): ApiClient {
    if (!serviceUrl) return this.fallback;
    const url = checkServiceUrl(serviceUrl);
    if (!url) {
      this.warnRefused(serviceUrl);
      return this.fallback;
    }
    const known = this.clients.get(url);
    if (known) return known;
    if (this.clients.size >= MAX_CLIENTS) {
      const oldest = [...this.clients.keys()].find((k) => k !== this.app.api.serviceUrl);
      if (oldest) this.clients.delete(oldest);
    }
    const client = new ApiClient(url, this.app.api.http.clone(), this.app.options.apiClientSettings, this.app.cloud);
    this.clients.set(url, client);
    return client;
  }

  private warnRefused(serviceUrl: string): void {
    if (this.refused.has(serviceUrl) || this.refused.size >= MAX_CLIENTS) return;
    this.refused.add(serviceUrl);
    this.logger?.warn(
      { platform: 'teams', serviceUrl: serviceUrl.slice(0, 200), fallback: this.app.api.serviceUrl },
      'Teams named a Bot Connector service URL that is not https (http only on loopback); ' +
        'the bot uses TEAMS_SERVICE_URL for this conversation instead. If posts there fail, reinstall the app in it.',
    );
  }
}
