import type { IdentityLinking } from './bot/commands/run-command.js';
import { createSlackApp } from './bot/slack/slack-app.js';
import { SlackRequestReceiver } from './bot/slack/slack-request-receiver.js';
import { registerTeamsRoutes } from './bot/teams/teams-app.js';
import type { TeamsBot } from './bot/teams/teams-bot.js';
import type { Env } from './config/env.js';
import type { FlowDeps } from './flows/deps.js';
import { exceptionDeps } from './flows/exceptions/exception-support.js';
import { openExternalException } from './flows/exceptions/open-exception.js';
import { type IngestRecordJob, JOBS, jobId, QUEUES } from './flows/jobs.js';
import type { JobQueue, Logger } from './flows/ports.js';
import { handleEvents } from './http/events-endpoint.js';
import { type HttpHandlers, json, type RunningServer, startHttpServer } from './http/server.js';
import { acceptOdooWebhook } from './odoo/profiles/webhook-event.js';
import { XmlRpcOdooGateway } from './odoo/xmlrpc-odoo-gateway.js';
import type { PgCredentialStore } from './store/pg-credential-store.js';

/** What a web process needs besides the domain's dependencies. */
export interface WebProcessOptions {
  env: Env;
  deps: FlowDeps;
  log: Logger;
  queue: Pick<JobQueue, 'enqueue'>;
  /** Slack, when configured: its signing secret and the bot `auth.test` named. */
  slack: {
    signingSecret: string;
    token: string;
    apiUrl?: string | undefined;
    bot: { botId: string; botUserId: string };
  } | null;
  teams: TeamsBot | null;
  /** Per-user Odoo keys (`/odoo link`), when CREDENTIALS_KEY is set. */
  credentials: PgCredentialStore | null;
  sandbox?: HttpHandlers['sandbox'] | undefined;
  readiness: HttpHandlers['readiness'];
  metricsRoute: Pick<HttpHandlers, 'metrics' | 'metricsToken' | 'observeRequest'>;
}

/**
 * The part of the service that takes traffic: mounts the Slack app and the
 * Teams routes on the chat platforms, and serves them with the Odoo webhook,
 * `/events`, health checks and `/metrics` on one HTTP server.
 */
export function startWebProcess(o: WebProcessOptions): Promise<RunningServer> {
  const { env, deps, log, queue, slack, teams, credentials, readiness, metricsRoute } = o;
  const policy = deps.policy;
  const receiver = slack && new SlackRequestReceiver(slack.signingSecret, log);
  if (slack && receiver)
    createSlackApp({
      odooUrl: env.ODOO_URL,
      identity: credentials ? identityLinking(env, credentials) : undefined,
      token: slack.token,
      apiUrl: slack.apiUrl,
      botId: slack.bot.botId,
      botUserId: slack.bot.botUserId,
      receiver,
      deps,
      log,
    });
  if (teams)
    registerTeamsRoutes(teams.app, {
      deps,
      store: teams.store,
      platform: teams.platform,
      tenantId: teams.platform.tenantId,
      log,
      identity: credentials ? identityLinking(env, credentials) : undefined,
      odooUrl: env.ODOO_URL,
    });
  const models = new Set([
    ...policy.approvals.map((f) => f.model),
    ...(policy.exceptions ?? []).flatMap((e) => (e.odoo ? [e.odoo.model] : [])),
  ]);
  return startHttpServer(
    {
      ...(receiver ? { slack: (req, raw) => receiver.handle(req.headers, raw) } : {}),
      ...(teams ? { teams: (req, raw) => teams.handle(req.headers, raw) } : {}),
      ...(env.EVENTS_HMAC_SECRET
        ? {
            events: (req, raw) =>
              handleEvents(
                {
                  secret: env.EVENTS_HMAC_SECRET!,
                  previousSecret: env.EVENTS_HMAC_SECRET_PREVIOUS,
                  now: () => new Date(),
                  accept: (event) => openExternalException(exceptionDeps(deps), event),
                  log,
                },
                req.headers,
                raw,
              ),
          }
        : {}),
      odooWebhook: async (body) => {
        const outcome = await acceptOdooWebhook(
          {
            modelsWithFlows: () => models,
            now: () => new Date(),
            enqueue: (event, key) =>
              queue.enqueue<IngestRecordJob>(
                QUEUES.events,
                JOBS.ingestRecord,
                { model: event.model, id: event.id, writeDate: event.writeDate, source: 'webhook' },
                { jobId: jobId('ingest', event.model, event.id, key), attempts: 5, backoffMs: 1000 },
              ),
          },
          body,
        );
        return json(outcome.status, outcome.body);
      },
      ...(o.sandbox ? { sandbox: o.sandbox } : {}),
      webhookToken: env.ODOO_WEBHOOK_TOKEN,
      readiness,
      log,
      ...metricsRoute,
    },
    env.PORT,
  );
}

/**
 * What `/odoo link` needs: the store, and a check of a key by logging in to
 * Odoo as its owner, with a short deadline so the Slack form still gets its
 * answer within 3 s.
 */
function identityLinking(env: Env, credentials: PgCredentialStore): IdentityLinking {
  return {
    credentials,
    async verifyOdooKey(login, apiKey) {
      const gateway = new XmlRpcOdooGateway({
        url: env.ODOO_URL,
        db: env.ODOO_DB,
        username: login,
        apiKey,
        timeoutMs: 2_500,
      });
      try {
        return await gateway.authenticate();
      } finally {
        gateway.close();
      }
    },
  };
}
